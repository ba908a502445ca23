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
  ``"- 3 -"``, ``"iv"``), and a running header or footer, a line that opens or closes most pages
  alike (its digits aside);
- **headings** are left out, as a Markdown article's are: a numbered line ("2.1. Directory
  layout") or a short line of its own that does not end as a sentence does, past the first two
  (the title, a byline);
- the **title** is the document's own (its metadata) when the first page prints it, and what
  the first page prints above it (a journal's name) is left out; otherwise the first page's
  first line, even when later pages repeat it as their header;
- a paragraph cut by a **page break** is joined again when the next page goes on in lower case
  (or, after a full last line, with more than a one-line heading) and the paragraph does not
  end a sentence, or, in a document whose paragraphs open with an indent, the next page opens
  without one. (With space between paragraphs instead, a page break that falls between two
  sentences of one paragraph cannot be told from a paragraph's end, and splits it.)

A page in **two columns** is read column by column (:func:`_columns`); more columns than two are
not taken apart. A scanned PDF has no text to read, which is said as such. The quotes are
verbatim slices of this text.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from index.article import metadata_title
from index.errors import IngestError

# A line that is only a page number: "3", "- 3 -", "Page 3 of 9", "iv".
_PAGE_NUMBER = re.compile(
    r"(?:page\s+)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?(?:\s+of\s+\d{1,4})?"
    r"|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_DIGITS = re.compile(r"\d+")
_BULLETS = "•◦▪‣●–*"
_GAP = re.compile(r"\S( {3,})(?=\S)")  # spaces between two columns' text on one line
# A heading: a numbered one ("2.1. Directory layout", "1.2. What is this spec?", "Appendix A
# Copying"), or a short line of its own that does not end as a sentence or a clause does.
_HEADING = re.compile(r"(?:\d+(?:\.\d+)*\.?|[A-Z]\.\d+(?:\.\d+)*|Appendix [A-Z]|Chapter \d+)"
                      r"\s+[A-Z].{0,80}(?<!\.)|[A-Z0-9][^.!?:;,•]{0,60}(?<![.!?:;,])")
# A line is "clearly short" below this share of the block's longest line (its last line).
SHORT_LINE = 0.75
# Two columns: each holds at least this share of the page's words.
COLUMN_SHARE = 0.25
# Running headers and footers: a line at the edge of at least this share of the pages (and of
# two at least).
RUNNING_SHARE = 0.5


def pdf_text(data: bytes, what: str = "The PDF") -> str:
    """The text of a PDF file's pages, paragraphs separated by blank lines (module docstring).
    Raises :class:`IngestError` for a file pypdf cannot read, a password-protected one, and
    one without any text (a scanned document)."""
    return "\n\n".join(text for _, text, _ in pdf_blocks(data, what))


def pdf_blocks(data: bytes, what: str = "The PDF") -> list[tuple[int, str, str]]:
    """:func:`pdf_text`'s paragraphs (the title first) as ``(page, text, heading)``: the page
    (from 1) each starts on, for links that open the PDF there, and the (numbered) heading it
    comes under, or ""."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(f"{what} is password-protected; save a copy without the "
                              "password, or as .txt.")
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except IngestError:
        raise
    except Exception as error:  # noqa: BLE001  (a damaged file fails in many ways inside pypdf)
        raise IngestError(f"{what} is not a PDF I can read ({type(error).__name__}: {error}). "
                          "Save it as .txt or .md.") from error
    title = _metadata_title(reader)
    laid = [_paragraphs(page)
            for page in _without_furniture([_lines(_columns(p)) for p in pages])]
    found = [paragraph for page in laid for paragraph in page]
    # a book's paragraphs open with an indent and have no space between them
    book = sum(p.indented for p in found) > len(found) / 2
    paragraphs: list[tuple[int, _Paragraph]] = []
    for number, page in enumerate(laid, 1):
        if page and paragraphs and _continues(paragraphs[-1][1], page[0], book):
            rest = page.pop(0)
            began, last = paragraphs[-1]
            paragraphs[-1] = began, _Paragraph(last.lines + rest.lines, last.indented, rest.full)
        paragraphs.extend((number, paragraph) for paragraph in page)
    blocks = [(number, _join(p.lines)) for number, p in paragraphs]
    if title:  # the title first, anything printed above it (a journal's name) left out
        at = next((k for k, (_, t) in enumerate(blocks[:5]) if _same(t, title)), None)
        blocks = [(blocks[at][0], title)] + blocks[at + 1:] if at is not None else blocks
    # headings are not paragraphs (as in Markdown), past the title and a byline, but head the
    # paragraphs after them; the last line of all is kept whatever it looks like
    headed, section = [(number, text, "") for number, text in blocks[:2]], ""
    for k, (number, text) in enumerate(blocks[2:], 2):
        if _HEADING.fullmatch(text) and k + 1 < len(blocks):
            section = " ".join(text.split())
        else:
            headed.append((number, text, section))
    headed = [(number, text, heading) for number, text, heading in headed if text.strip()]
    if not headed:
        raise IngestError(f"{what} has no text to read: it may be a scanned document (images "
                          "of pages). Use a PDF with selectable text, or a .txt file.")
    return headed


def _metadata_title(reader) -> str:
    """The document's title from its metadata (:func:`index.article.metadata_title`)."""
    try:
        return metadata_title((reader.metadata or {}).get("/Title"))
    except Exception:  # noqa: BLE001  (a damaged Info dictionary: no title, the text stays)
        return ""


def _same(text: str, title: str) -> bool:
    """Whether ``text`` is ``title``, case, spaces and punctuation aside (a metadata title
    that is only part of the printed one, "Bike lanes" for "City council approves new bike
    lanes", is not the title)."""
    def fold(s: str) -> str:
        return " ".join(re.findall(r"\w+", s.lower()))

    return fold(text) == fold(title)


@dataclass
class _Paragraph:
    lines: list[str]
    indented: bool  # its first line is indented past its block's margin
    full: bool  # its last line is not clearly short: the paragraph may go on


def _columns(page: str) -> str:
    """A page laid out in two columns, read as a reader does: the left column, then the right.
    Layout mode sets the columns side by side on shared lines, with a gutter of spaces between
    them; the gutter is where most lines that reach past it have a gap of three spaces or more,
    with a good share of the words on each side.
    A line across the gutter (a title, an abstract over both columns) stays whole, in its
    place, and the columns are read in turn between such lines. A page with no gutter is
    returned as it is."""
    rows = page.splitlines()
    cover: Counter[int] = Counter()
    for row in rows:
        for gap in _GAP.finditer(row):
            cover.update(range(gap.start(1), gap.end(1)))
    width = max(map(len, rows), default=0)
    middle = [x for x in cover if 0.25 * width <= x <= 0.75 * width]
    if not middle:
        return page
    best = max(cover[x] for x in middle)
    gutter = [x for x in sorted(middle) if cover[x] == best]
    x = gutter[len(gutter) // 2]
    reaching = sum(1 for row in rows if len(row.rstrip()) > x)
    # a column on each side: most lines that reach past the gutter have it, and each side holds
    # a good share of the page's text (not a few labels set at the right margin)
    sides = [sum(len(row[:x].split()) for row in rows), sum(len(row[x:].split()) for row in rows)]
    if best < max(3, 0.6 * reaching) or min(sides) < COLUMN_SHARE * sum(sides):
        return page
    out: list[str] = []
    left: list[str] = []
    right: list[str] = []

    def in_turn() -> list[str]:
        # the left column's end runs on into the right column's start (a paragraph may go on)
        while left and not left[-1].strip():
            left.pop()
        while right and not right[0].strip():
            right.pop(0)
        return left + right

    for row in rows:
        if row[x - 1:x + 2].strip():  # across the gutter: the columns so far come first
            out += in_turn() + [row]
            left, right = [], []
        else:
            left.append(row[:x])
            right.append(row[x:])
    return "\n".join(out + in_turn())


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
    """Drop page numbers, and running headers and footers: a line in the same place at the top
    or the bottom (first or second line, last or second to last, page numbers aside) of most
    pages alike (digits aside). Never the first page's first line: a title that later pages
    repeat as their header is still the title."""
    def key(text: str) -> str:
        return _DIGITS.sub("#", text.lower())

    def places(page: list[tuple[int, str]]) -> dict[str, int]:
        texts = [text for _, text in page if text and not _PAGE_NUMBER.fullmatch(text)]
        marks = {}
        for place, k in ((0, 0), (1, 1), (-1, len(texts) - 1), (-2, len(texts) - 2)):
            if 0 <= k < len(texts):
                marks.setdefault(texts[k], place)
        return marks

    marks = [places(page) for page in pages]
    seen: Counter[tuple[int, str]] = Counter()
    for page in marks:
        seen.update({(place, key(text)) for text, place in page.items()})
    running = {mark for mark, n in seen.items() if n >= max(2, RUNNING_SHARE * len(pages))}
    if marks and marks[0]:
        marks[0].pop(next(iter(marks[0])))  # the first page's first line
    return [[(indent, text) for indent, text in page
             if not (text and (_PAGE_NUMBER.fullmatch(text)
                               or (text in mine and (mine[text], key(text)) in running)))]
            for page, mine in zip(pages, marks)]


def _paragraphs(page: list[tuple[int, str]]) -> list[_Paragraph]:
    """Blocks between blank lines, each cut again before a line that may start a paragraph
    (:func:`_starts`) after a clearly short line (a paragraph's last line; a heading or a
    byline; not one ending in a hyphen or a comma), where a sentence ends before an indented
    line, and before a bullet (a list item)."""
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
                if not (text[:1] in _BULLETS
                        or (_starts(text) and (short or (ended and indent > margin + 1)))):
                    continue
            out.append(_Paragraph([text for _, text in block[first:k]],
                                  len(block) > 1 and block[first][0] > margin + 1,
                                  len(block[k - 1][1]) >= SHORT_LINE * width))
            first = k
    return out


def _starts(text: str) -> bool:
    """Whether a line may start a paragraph (or a heading, a list item): a capital, a digit,
    a quotation mark, a bullet."""
    return text[:1].isupper() or text[:1].isdigit() or text[:1] in "\"“‘'([" + _BULLETS


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
    before. A heading (one line, not in lower case) never does. Otherwise it does when it opens
    in lower case or ``last`` ends full, and ``last`` does not end a sentence or (in a
    ``book``) ``first`` opens without an indent."""
    opening = first.lines[0][:1]
    if not opening.isalnum() or not (opening.islower() or (last.full and len(first.lines) > 1)):
        return False
    return (not _SENTENCE_END.search(last.lines[-1])
            or (book and last.full and not first.indented))
