"""Real document files made in the tests: PDFs (fpdf2), Word files (python-docx) and web pages.

Small on purpose: the converters run on real bytes, and the suite stays fast.
"""

from __future__ import annotations

import io
import zipfile

ARTICLE = ("Floods in Dadu: at least 1,200 people were displaced on 3 July 2024, officials said.",
           "At least 45 people were killed in the district since June, according to the disaster authority.")

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Floods hit Dadu | Daily News</title></head>
<body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/live">24 updates</a></nav></header>
<div id="cookie-banner">We use cookies. <button>Accept all</button></div>
<main><article>
<h1>Floods hit Dadu</h1>
<p class="byline">By A. Reporter, 4 July 2024</p>
{paragraphs}
</article>
<aside class="related"><h2>Related</h2><ul><li><a href="/a">17 dead in bus crash</a></li>
<li><a href="/b">300 families rescued in Sindh</a></li></ul></aside>
<div class="share">Share <span>1.2k</span> Tweet <span>310</span></div>
<section id="comments"><h2>3 comments</h2><div class="comment"><p>I saw 5,000 people leave the town, 
terrible.</p></div></section>
</main>
<footer><p>Copyright 2024 Daily News. 12 offices worldwide.</p></footer>
</body></html>
"""

COOKIE_WALL = """<!DOCTYPE html>
<html><head><title>Before you continue</title></head><body>
<div class="consent"><h1>Before you continue</h1>
<p>We use cookies and data to deliver and maintain our services and to measure audience engagement. If you
choose to accept all, we will also use cookies to develop new services and show personalised ads.</p>
<button>Reject all</button><button>Accept all</button></div></body></html>
"""


def html_page(paragraphs=ARTICLE, head: str = "") -> bytes:
    page = PAGE.format(paragraphs="\n".join(f"<p>{p}</p>" for p in paragraphs))
    return page.replace("</title>", "</title>\n" + head, 1).encode("utf-8")


# The metadata a news site puts in a page's <head> (Open Graph and article tags).
PAGE_METADATA = """<meta property="og:title" content="Floods hit Dadu: 1,200 displaced">
<meta property="og:site_name" content="Daily News">
<meta property="og:url" content="https://news.example.org/2024/07/04/dadu-floods">
<meta property="article:published_time" content="2024-07-04T08:30:00+05:00">"""


def pdf(pages=(ARTICLE[0], ARTICLE[1]), password: str | None = None) -> bytes:
    """A PDF with a text layer, one page per string; an empty string gives a page with a picture only."""
    from fpdf import FPDF

    doc = FPDF()
    for text in pages:
        doc.add_page()
        doc.set_font("helvetica", size=11)
        if text:
            doc.multi_cell(0, 6, text)
        else:
            doc.rect(20, 20, 120, 160, style="F")
    if password:
        doc.set_encryption(owner_password="owner-" + password, user_password=password)
    return bytes(doc.output())


def docx(paragraphs=ARTICLE, table=(("Province", "Displaced"), ("Sindh", "1,200"))) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_heading("Floods hit Dadu", level=1)
    for p in paragraphs:
        document.add_paragraph(p)
    t = document.add_table(rows=0, cols=len(table[0]))
    for row in table:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_of_something_else() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("photos/holiday.jpg", b"\xff\xd8\xff not really a photo")
    return out.getvalue()
