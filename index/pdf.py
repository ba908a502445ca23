"""The text of a PDF as paragraphs separated by blank lines, for :func:`index.article.parse_text`.

A PDF holds positioned glyphs, not paragraphs. pypdf's layout mode renders each page as text
laid out as it is printed (a blank line where the page has vertical space, a line's indent kept),
and the rest is the usual reconstruction:

- a **paragraph** ends at a blank line, at a clearly short line (a paragraph's last one, a
  heading, a byline) followed by one that may start a paragraph, or where a sentence ends
  before an indented line (paragraphs set without space between them);
- its lines are joined with spaces, and a word hyphenated across two lines is joined whole
  (``"develop-" + "ment"``; a compound keeps its hyphen: ``"well-documented"``,
  ``"Anglo-Saxon"``);
- **page furniture** is left out: a line that is only a page number (``"3"``, ``"Page 3 of 9"``,
  ``"- 3 -"``), and a running header or footer, a line that opens or closes most pages alike
  (its digits aside);
- a paragraph cut by a **page break** is joined again: when it does not end a sentence, or, in
  a document whose paragraphs open with an indent, when its last line is full and the next
  page opens without one. (With space between paragraphs instead, a page break that falls
  between two sentences of one paragraph cannot be told from a paragraph's end, and splits it.)

Multi-column layouts are not taken apart (their columns share lines in layout mode); a scanned
PDF has no text to read, which is said as such. The quotes are verbatim slices of this text.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from index.errors import IngestError

_PAGE_NUMBER = re.compile(
    r"(?:page\s+)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?(?:\s+of\s+\d{1,4})?", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_DIGITS = re.compile(r"\d+")
# A line is "clearly short" below this share of the block's longest line (its last line).
SHORT_LINE = 0.75
# Running headers and footers: a line at the edge of at least this share of the pages (and of
# two at least).
RUNNING_SHARE = 0.5


def pdf_text(data: bytes, what: str = "The PDF") -> str:
    """The text of a PDF file's pages, paragraphs separated by blank lines (module docstring).
    Raises :class:`IngestError` for a file pypdf cannot read, a password-protected one, and
    one without any text (a scanned document)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(f"{what} is password-protected; save a copy without the "
                              "password, or as .txt.")
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise IngestError(f"{what} is not a PDF I can read ({error}). Save it as .txt or "
                          ".md.") from error
    laid = [_paragraphs(page) for page in _without_furniture([_lines(p) for p in pages])]
    found = [paragraph for page in laid for paragraph in page]
    # a book's paragraphs open with an indent and have no space between them
    book = sum(p.indented for p in found) > len(found) / 2
    paragraphs: list[_Paragraph] = []
    for page in laid:
        if page and paragraphs and _continues(paragraphs[-1], page[0], book):
            rest = page.pop(0)
            paragraphs[-1] = _Paragraph(paragraphs[-1].lines + rest.lines,
                                        paragraphs[-1].indented, rest.full)
        paragraphs.extend(page)
    text = "\n\n".join(_join(p.lines) for p in paragraphs)
    if not text.strip():
        raise IngestError(f"{what} has no text to read: it may be a scanned document (images "
                          "of pages). Use a PDF with selectable text, or a .txt file.")
    return text


@dataclass
class _Paragraph:
    lines: list[str]
    indented: bool  # its first line is indented past its block's margin
    full: bool  # its last line is not clearly short: the paragraph may go on


def _lines(page: str) -> list[tuple[int, str]]:
    """A page's lines as (indent, text with runs of spaces made one); a blank line as (0, "")."""
    out = []
    for raw in page.splitlines():
        text = " ".join(raw.split())
        out.append((len(raw) - len(raw.lstrip()) if text else 0, text))
    while out and not out[-1][1]:
        out.pop()
    while out and not out[0][1]:
        out.pop(0)
    return out


def _without_furniture(pages: list[list[tuple[int, str]]]) -> list[list[tuple[int, str]]]:
    """Drop page numbers, and lines that open or close most pages alike (digits aside)."""
    def key(text: str) -> str:
        return _DIGITS.sub("#", text.lower())

    edges: Counter[str] = Counter()
    for page in pages:
        texts = [text for _, text in page if text]
        edges.update({key(t) for t in texts[:2] + texts[-2:]})
    running = {k for k, n in edges.items() if n >= max(2, RUNNING_SHARE * len(pages))}
    out = []
    for page in pages:
        texts = [text for _, text in page if text]
        edge = set(texts[:2] + texts[-2:])
        out.append([(indent, text) for indent, text in page
                    if not (text and (_PAGE_NUMBER.fullmatch(text)
                                      or (text in edge and key(text) in running)))])
    return out


def _paragraphs(page: list[tuple[int, str]]) -> list[_Paragraph]:
    """Blocks between blank lines, each cut again before a line that may start a paragraph
    (:func:`_starts`) after a clearly short line (a paragraph's last line; a heading or a
    byline; not one ending in a hyphen or a comma), or where a sentence ends before an
    indented line."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for line in page:
        if line[1]:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    out: list[_Paragraph] = []
    for block in filter(None, blocks):
        margin = min(indent for indent, _ in block)
        width = max(len(text) for _, text in block)
        first = 0
        for k in range(1, len(block) + 1):
            if k < len(block):
                indent, text = block[k]
                previous = block[k - 1][1]
                short = len(previous) < SHORT_LINE * width and not previous.endswith(("-", ","))
                ended = _SENTENCE_END.search(previous)
                if not (_starts(text) and (short or (ended and indent > margin + 1))):
                    continue
            out.append(_Paragraph([text for _, text in block[first:k]],
                                  len(block) > 1 and block[first][0] > margin + 1,
                                  len(block[k - 1][1]) >= SHORT_LINE * width))
            first = k
    return out


def _starts(text: str) -> bool:
    """Whether a line may start a paragraph (or a heading): a capital, a digit, a quotation."""
    return text[:1].isupper() or text[:1].isdigit() or text[:1] in "\"“‘'(["


def _join(lines: list[str]) -> str:
    """Lines of one paragraph as one line. A word hyphenated at a line's end is joined whole:
    "develop-" + "ment" is "development" but "well-" + "documented" stays "well-documented" (the
    hyphen is kept when both halves are words and the whole is not, by the embedding model's
    vocabulary, :func:`index.terms.known_words`), and "Anglo-" + "Saxon" is "Anglo-Saxon"."""
    out = lines[0]
    for line in lines[1:]:
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].isalpha():
            head = re.search(r"[^\W\d_]+-$", out)
            tail = re.match(r"[^\W\d_]+", line)
            out = out + line if line[:1].isupper() or _compound(
                head[0][:-1] if head else "", tail[0] if tail else "") else out[:-1] + line
        else:
            out = f"{out} {line}"
    return out


def _compound(head: str, tail: str) -> bool:
    """Whether ``head``-``tail`` is a compound ("well-documented") rather than one word broken
    at a line's end ("develop-ment")."""
    from index.terms import known_words

    known = known_words()
    head, tail = head.lower(), tail.lower()
    return head in known and tail in known and head + tail not in known


def _continues(last: _Paragraph, first: _Paragraph, book: bool) -> bool:
    """Whether ``first``, at the top of a page, goes on with ``last``, at the bottom of the one
    before: ``last`` does not end a sentence, or (in a ``book``) its last line is full and
    ``first`` opens without an indent."""
    if not first.lines[0][:1].isalnum():
        return False
    return (not _SENTENCE_END.search(last.lines[-1])
            or (book and last.full and not first.indented))
