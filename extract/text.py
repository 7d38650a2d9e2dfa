"""Decode documents and cut them into sentences without losing a character.

Offsets everywhere in the project count characters of the decoded text, so
sentences are returned as ``(start, end)`` spans into that text, never as
copies that could drift from it.
"""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "gov", "sen", "rep", "prof", "no",
    "approx", "est", "vs", "etc", "inc", "ltd", "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "a.m", "p.m", "e.g", "i.e", "fig", "vol", "pp",
}
# A line that ends with one of these continues on the next line ("Some\n189,800 residents").
CONTINUES = {
    "a", "an", "the", "of", "and", "or", "to", "in", "at", "on", "by", "for", "with", "from", "than", "some",
    "about", "around", "nearly", "over", "more", "least", "as", "de", "la", "le", "des", "y", "et", "en",
}

_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*|(?<=[a-z]{3}\.)(?=[A-Z][a-z]{2})|(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9\u00c0-\u024f])|\n")
_LEAD = re.compile(r"[\s\"'“‘”’(\[•*·–—-]*")


class UnreadableDocument(ValueError):
    """A document that cannot be read as text; the message names the file and why."""


def decode(data: bytes, name: str, strict: bool = True) -> tuple[str, str]:
    """Text and encoding of a document's bytes.

    Curated seeds must be UTF-8 (``strict``); documents a user extracts may
    also be Windows-1252/Latin-1, which is decoded and reported, since
    refusing a whole news archive over one accented byte loses data.
    """
    if not data.strip():
        raise UnreadableDocument(f"{name}: empty document")
    if b"\x00" in data[:8192] or sum(b < 9 or 13 < b < 32 for b in data[:8192]) > 0.1 * min(len(data), 8192):
        raise UnreadableDocument(f"{name}: binary content, not text")
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data.decode("utf-8-sig"), "utf-8-sig"
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        if strict:
            raise UnreadableDocument(
                f"{name}: not valid UTF-8 (byte {e.start}: {data[e.start:e.start + 1]!r}); "
                "save the file as UTF-8"
            ) from None
    return data.decode("cp1252", errors="replace"), "cp1252"


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, leading punctuation and white space trimmed.

    A single line break ends a sentence unless the next line starts in lower
    case, or the line ends with a comma or a word that needs a continuation:
    that keeps lines flattened out of PDFs and tables together while headings
    and list items stand alone.
    """
    spans = []
    start = 0
    for m in _BREAK.finditer(text):
        piece = text[start:m.start()]
        if m.group(0) == "\n" or (m.group(0).strip() == "" and "\n" in m.group(0) and m.group(0).count("\n") == 1):
            nxt = text[m.end():m.end() + 1]
            last = re.search(r"(\w+)\W*$", piece)
            last_word = last.group(1).lower() if last else ""
            if (not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in "\"“•*-–")
                    or piece.rstrip().endswith((",", ":", "(", "/"))
                    or last_word in CONTINUES
                    or not re.search(r"[^\W\d_]", piece)):
                continue
        elif m.group(0) and m.group(0).strip() == "" and "\n" not in m.group(0):
            word = re.search(r"([\w.]+)\.$", piece.rstrip("\"'”’)]"))
            if word and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        lead = _LEAD.match(text, s, e)
        s = lead.end() if lead else s
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out
