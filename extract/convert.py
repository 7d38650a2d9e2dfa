"""Turn a document file (text, web page, PDF, Word) into the text the extractor reads and the package stores.

Offsets in ``figures`` index the text a converter produced, not the file's bytes, so every converted text is
stored in the package (``texts/<source_id>.txt``) with the converter's name and version: a quote can always be
checked, even after a converter changes. A file that cannot be converted raises :class:`UnreadableDocument`
with a reason a user can act on (a scanned PDF without a text layer, a password, a truncated download, a page
that is only a cookie wall), never a guess.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from .text import FORMULA_LEADS, UnreadableDocument, decode

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# What to say about a format that is not read, so the user knows what to do with it.
NOT_READ = {
    ".doc": "an old Word document (.doc); save it as .docx",
    ".rtf": "rich text (.rtf); save it as .docx or .txt",
    ".odt": "an OpenDocument text (.odt); save it as .docx",
    ".pages": "a Pages document; export it as .docx or PDF",
}
# Words of a cookie or consent banner: a page whose whole main text is such a banner holds no article.
CONSENT_WORDS = re.compile(r"\b(?:cookies?|consent)\b", re.IGNORECASE)
WALL_MAX_WORDS = 120
# Characters a converter may leave that are not text: controls other than tab and line feed.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
# A web page's metadata fills these sources columns, each only in the shape the sources schema takes.
PAGE_METADATA = {"headline": "title", "outlet": "sitename", "published": "date", "url": "url"}
METADATA_SHAPES = {"published": re.compile(r"\d{4}-\d{2}-\d{2}"), "url": re.compile(r"https?://[^\s/?#]+\S*")}
# htmldate reads the date the page states in its markup (meta tags, JSON-LD, time elements, a dated byline),
# never one guessed from the text at large.
DATE_CONFIG = {"original_date": True, "extensive_search": False, "outputformat": "%Y-%m-%d"}


@dataclass(frozen=True)
class Converted:
    text: str
    encoding: str | None  # how the bytes were decoded, for plain text; None for converted formats
    media_type: str
    converter: str  # "<name> <version>"
    # What the file states about itself (web pages: headline, outlet, published, url), for the sources row.
    metadata: Mapping[str, str] = field(default_factory=dict)


def suffix_of(name: str) -> str:
    """The lower-cased suffix a format is recognised by ("REPORT.TXT" is text)."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def supported(name: str) -> bool:
    return suffix_of(name) in MEDIA_TYPES


def not_read_reason(name: str) -> str:
    """Why a file found in a folder is not a document the tool reads."""
    suffix = suffix_of(name)
    if suffix in NOT_READ:
        return f"{NOT_READ[suffix]}; not read"
    kinds = ", ".join(sorted(MEDIA_TYPES))
    return f"format {suffix or '(no extension)'} is not read; documents are {kinds}"


def _own_version() -> str:
    """This tool's version as every package it writes states it (pyproject.toml in a checkout, else the installed
    metadata), read once at import; asking importlib.metadata again cost 6 ms of every run's start."""
    from displacement_figures import __version__

    return __version__


@cache
def _version(distribution: str) -> str:
    # imported here: importlib.metadata (and the email package it loads) cost 15 ms of every start, and only a
    # converter's version needs it
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:  # pragma: no cover - a broken install
        return "unknown"


def convert(data: bytes, name: str, strict: bool = False) -> Converted:
    """The text of one document file, by its suffix; raises :class:`UnreadableDocument` naming the reason."""
    suffix = suffix_of(name)
    if suffix not in MEDIA_TYPES:
        raise UnreadableDocument(f"{name}: {not_read_reason(name)}")
    if not data:
        raise UnreadableDocument(f"{name}: empty file (0 bytes)")
    media_type = MEDIA_TYPES[suffix]
    if suffix in (".txt", ".md"):
        text, encoding = decode(data, name, strict=strict)
        return Converted(text, encoding, media_type, f"displacement-figures {_own_version()}")
    reader = {".pdf": _pdf_text, ".docx": _docx_text}.get(suffix, _html_text)
    text, converter = reader(data, name)
    # PDFium marks a hyphen it found at a line end with \x02; as "-" the extractor's join of broken words sees it.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-")
    text = _CONTROLS.sub("", text).strip()
    if not text:
        raise UnreadableDocument(f"{name}: no text after conversion")
    metadata = page_metadata(data) if media_type == "text/html" else {}
    return Converted(text + "\n", None, media_type, converter, metadata)


def _html_text(data: bytes, name: str) -> tuple[str, str]:
    """The article's main text, without menus, related links, share counts, comments or footers."""
    import trafilatura

    text = trafilatura.extract(data, include_comments=False, include_links=False, include_tables=True,
                               include_images=False, favor_precision=True, deduplicate=False)
    if not text or not text.strip():
        raise UnreadableDocument(f"{name}: no article text in the page (empty, built by JavaScript, or behind a "
                                 "wall); save the page as shown in a browser, or its text as .txt")
    words = text.split()
    if len(words) <= WALL_MAX_WORDS and CONSENT_WORDS.search(text):
        raise UnreadableDocument(f"{name}: only a cookie or consent notice, no article text; save the page after "
                                 "accepting it in a browser, or copy the article's text into a .txt")
    return text, f"trafilatura {_version('trafilatura')}"


def page_metadata(data: bytes) -> dict[str, str]:
    """Headline, outlet, publication date and address a web page states about itself (<title>, Open Graph and
    article tags, JSON-LD), read by trafilatura. Only what the page states and in the schema's shape: a value
    missing, malformed or starting like a spreadsheet formula is left out, and metadata never costs a document."""
    from trafilatura import extract_metadata

    try:
        found = extract_metadata(data, date_config=dict(DATE_CONFIG), extensive=False)
    except Exception:  # noqa: BLE001 - metadata is optional; the article's text was read
        return {}
    out = {}
    for column, attribute in PAGE_METADATA.items():
        value = " ".join(str(getattr(found, attribute, None) or "").split())
        shape = METADATA_SHAPES.get(column)
        if value and not value.startswith(FORMULA_LEADS) and (shape is None or shape.fullmatch(value)):
            out[column] = value
    return out


def _pdf_text(data: bytes, name: str) -> tuple[str, str]:
    """Each page's text layer in the order PDFium reads it, pages separated by a blank line."""
    import pypdfium2 as pdfium

    if not data.lstrip().startswith(b"%PDF"):
        raise UnreadableDocument(f"{name}: not a PDF (it does not start with %PDF)")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise UnreadableDocument(f"{name}: {_pdf_problem(data, e)}") from None
    try:
        pages = []
        for page in doc:
            pages.append(page.get_textpage().get_text_range().strip())
    finally:
        doc.close()
    if not any(pages):
        raise UnreadableDocument(f"{name}: no text layer ({len(pages)} page(s) of images only, a scan?); run OCR "
                                 "first (e.g. ocrmypdf) and extract the result")
    return "\n\n".join(p for p in pages if p), f"pypdfium2 {_version('pypdfium2')}"


def _pdf_problem(data: bytes, error: Exception) -> str:
    code = getattr(error, "err_code", None)
    if code == 4 or "password" in str(error).lower():
        return "protected by a password; save an unprotected copy"
    if b"%%EOF" not in data[-2048:]:
        return "truncated (the file ends before the PDF's end marker %%EOF); download it again"
    return f"damaged PDF ({error})"


def _docx_text(data: bytes, name: str) -> tuple[str, str]:
    """Paragraphs and table rows in body order; a table row's cells separated by tabs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "word/document.xml" not in z.namelist():
                raise UnreadableDocument(f"{name}: a zip file, but not a Word document (no word/document.xml)")
    except zipfile.BadZipFile:
        raise UnreadableDocument(f"{name}: not a Word document (.docx files are zip archives; this is not one)") \
            from None
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - python-docx raises several kinds on a damaged file
        raise UnreadableDocument(f"{name}: damaged Word document ({type(e).__name__}: {e})") from None
    blocks = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            blocks.extend("\t".join(c.text.strip() for c in row.cells) for row in block.rows)
        elif block.text.strip():
            blocks.append(block.text.strip())
    return "\n\n".join(blocks), f"python-docx {_version('python-docx')}"
