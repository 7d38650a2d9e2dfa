"""Decode documents and cut them into sentences without losing a character.

Offsets everywhere in the project count characters of the decoded text, so
sentences are returned as ``(start, end)`` spans into that text, never as
copies that could drift from it.
"""

from __future__ import annotations

import re

from .vocabulary import word_class_set

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "gov", "sen", "rep", "prof", "no",
    "approx", "est", "vs", "etc", "inc", "ltd", "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "a.m", "p.m", "e.g", "i.e", "fig", "vol", "pp", "pop", "incl", "ca",
}
# A line that ends with one of these continues on the next line ("Some\n189,800 residents").
CONTINUES = word_class_set("line_continues")

_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*|(?<=[a-z]{3}\.)(?=[A-Z][a-z]{2})|(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9\u00c0-\u024f])|\n")
_LEAD = re.compile(r"[\s\"'“‘”’(\[•*·–—-]*")
# Every branch of _BREAK starts at a line feed or just after ".", "!" or "?". A bare character class is found by the
# engine's own fast scan; _BREAK, which starts with a look-behind and so is tried at every position, is then tried
# only at those few places (see _breaks).
_BREAK_AT = re.compile(r"[\n.!?]")


# A spreadsheet runs a cell starting with one of these as a formula: no cell the extractor writes starts with one.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

# Bytes that do not occur in text (tab, line feed, vertical tab, form feed and carriage return do).
_CONTROL_BYTES = bytes(b for b in range(32) if not 9 <= b <= 13)
_SNIFF = 8192


class UnreadableDocument(ValueError):
    """A document that cannot be read as text; the message names the file and why."""


def decode(data: bytes, name: str, strict: bool = True) -> tuple[str, str]:
    """Text and encoding of a document's bytes.

    Curated seeds must be UTF-8 (``strict``); documents a user extracts may
    also be Windows-1252/Latin-1, which is decoded and reported, since
    refusing a whole news archive over one accented byte loses data. Bytes
    that are not text are refused with a reason a user can act on: an empty
    file, one of white space only, NUL bytes (binary data, or UTF-16), or
    control characters.
    """
    if not data:
        raise UnreadableDocument(f"{name}: empty file (0 bytes)")
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise UnreadableDocument(f"{name}: no text (only white space)")
    if b"\x00" in data:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise UnreadableDocument(f"{name}: UTF-16 text (NUL bytes); save the file as UTF-8")
        raise UnreadableDocument(f"{name}: binary data (NUL bytes), not text")
    head = data[:_SNIFF]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > 0.1 * len(head):
        raise UnreadableDocument(f"{name}: binary data ({controls} control characters in the first "
                                 f"{len(head)} bytes), not text")
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


# Longer than any word of CONTINUES or ABBREVIATIONS: a longer word cannot be one of them.
_TAIL = 16
_LETTER = re.compile(r"[^\W\d_]")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # exactly the regex \w of str patterns


class _Piece:
    """The text from ``start`` to a candidate break, as the splitter asks about it, answered in linear time.

    A piece grows while breaks are skipped ("1\\n1\\n1\\n..." is one sentence);
    rescanning it whole at every skipped break made splitting quadratic. Here
    each question looks at the end of the piece only, or resumes where the last
    one stopped, so the answers are those of the whole-piece expressions they
    replace: ``piece.rstrip()[-1:]``, the last ``\\w+`` lower-cased, whether
    ``[^\\W\\d_]`` occurs, and the ``[\\w.]+`` before a final ".".
    """

    def __init__(self, text: str, start: int):
        self.text, self.start = text, start
        self._char = (start, "")  # (end, last non-space character of text[start:end])
        self._word = (start, -1)  # (end, end of the last word character in text[start:end], or -1)
        self._letter = (start, False)  # (end, whether text[start:end] holds a letter)

    def last_char(self, end: int) -> str:
        upto, known = self._char
        i = end
        while i > upto and self.text[i - 1].isspace():
            i -= 1
        self._char = (end, self.text[i - 1] if i > upto else known)
        return self._char[1]

    def last_word(self, end: int) -> str:
        """The last word of the piece, lower-cased; only its last ``_TAIL`` characters when it is longer."""
        upto, known = self._word
        i = end
        while i > upto and not _is_word(self.text[i - 1]):
            i -= 1
        self._word = (end, i if i > upto else known)
        word_end = self._word[1]
        if word_end < 0:
            return ""
        i = word_end
        while i > max(self.start, word_end - _TAIL) and _is_word(self.text[i - 1]):
            i -= 1
        return self.text[i:word_end].lower()

    def has_letter(self, end: int) -> bool:
        upto, known = self._letter
        self._letter = (end, known or bool(_LETTER.search(self.text, upto, end)))
        return self._letter[1]

    def abbreviation(self, end: int) -> str | None:
        """What precedes a final "." (closing quotes and brackets stripped): "Mr", "U.S", "e.g"; None if no ".".

        What ``re.search(r"([\\w.]+)\\.$", ...)`` finds in the piece's last ``_TAIL`` characters, read backwards from
        the "." (the regex tried every start in turn, each to the end)."""
        text, i = self.text, end
        while i > self.start and text[i - 1] in "\"'”’)]":
            i -= 1
        lo = max(self.start, i - _TAIL)
        if i > lo and text[i - 1] == "\n":
            i -= 1  # "$" holds before a final line feed too
        if i - lo < 2 or text[i - 1] != ".":
            return None
        j = i - 1
        while j > lo and (_is_word(text[j - 1]) or text[j - 1] == "."):
            j -= 1
        return text[j:i - 1] if j < i - 1 else None


def _breaks(text: str):
    """The matches of ``_BREAK.finditer(text)``, trying ``_BREAK`` only where one can start.

    A search resumes where the previous match ended, and the leftmost match from there is the first candidate
    position that matches; an empty match (between "etc." and "The") is followed by none at the same place, since
    that place holds a capital, which no other branch starts with.
    """
    resume, tried = 0, -1
    for c in _BREAK_AT.finditer(text):
        at = c.start() if text[c.start()] == "\n" else c.end()
        if at < resume or at == tried:
            continue
        tried = at
        m = _BREAK.match(text, at)
        if m:
            yield m
            resume = max(m.end(), at + 1)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, leading punctuation and white space trimmed.

    A single line break ends a sentence unless the next line starts in lower
    case, or the line ends with a comma or a word that needs a continuation:
    that keeps lines flattened out of PDFs and tables together while headings
    and list items stand alone.
    """
    spans = []
    start = 0
    piece = _Piece(text, 0)
    for m in _breaks(text):
        if m.group(0) == "\n" or (m.group(0).strip() == "" and "\n" in m.group(0) and m.group(0).count("\n") == 1):
            nxt = text[m.end():m.end() + 1]
            if (not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in "\"“•*-–")
                    or piece.last_char(m.start()) in (",", ":", "(", "/")
                    or piece.last_word(m.start()) in CONTINUES
                    or not piece.has_letter(m.start())):
                continue
        elif m.group(0) and m.group(0).strip() == "" and "\n" not in m.group(0):
            word = piece.abbreviation(m.start())
            if word and (word.lower() in ABBREVIATIONS or (len(word) == 1 and not word.isdigit())):
                continue  # "Mr.", "J. Smith"; but "since October 6. Gaza's ..." ends a sentence
        spans.append((start, m.start()))
        start = m.end()
        piece = _Piece(text, start)
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


# A word a PDF converter broke at a line end ("dis-\nplaced", "house-\n   holds"): both halves in lower case (a
# capital may open the word). Words broken across a page footer are left broken.
_BROKEN_WORD = re.compile(r"\b([A-Za-z]?[a-z]+)-[ \t]*\r?\n[ \t]*([a-z]+)\b")


def join_broken_words(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with words broken at line ends joined, and the spans of the joined words.

    The joined text has the same length: "dis-\\nplaced" becomes "displaced" and two spaces, so every offset
    outside those spans means the same character in both, and a span read in the joined text is cited from the
    original by widening its ends to the words they fall in (see figures.extract_document).
    """
    if "-\n" not in text and "- \n" not in text and "-\r\n" not in text:
        return text, []
    out, spans, last = [], [], 0
    for m in _BROKEN_WORD.finditer(text):
        joined = m.group(1) + m.group(2)
        out.append(text[last:m.start()])
        out.append(joined + " " * (m.end() - m.start() - len(joined)))
        spans.append(m.span())
        last = m.end()
    out.append(text[last:])
    return "".join(out), spans


# A number an OCR engine read with letters for digits ("l,OO,OOO", "4O,OOO", "3O miles", "l5O"): grouped by
# thousands, or holding a real digit, and written with l, I or O where the digits 1 and 0 were.
_OCR_NUMBER = re.compile(r"\b(?:[\dlI][\dlIO]{0,2}(?:,[\dlIO]{2,3})+|(?=[\dlIO]*\d)[\dlIO]*[lIO][\dlIO]*)\b")
_OCR_DIGITS = str.maketrans("lIO", "110")


def read_ocr_digits(text: str) -> str:
    """``text`` with the letters an OCR engine put for digits in numbers read as digits; the same length, so
    every offset means the same character ("l,835" is read 1,835 and cited as written). Only a text with "OO",
    ",O" or "O," somewhere is looked at: a scan that reads 0 as O does so in its round numbers."""
    if "OO" not in text and ",O" not in text and "O," not in text:
        return text  # a scan read this way has zeros read as O's somewhere; a plain search is cheap enough
    return _OCR_NUMBER.sub(lambda m: m.group(0).translate(_OCR_DIGITS), text)
