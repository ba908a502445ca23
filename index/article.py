"""The article model: a title, a byline and numbered paragraphs, exactly as a reader counts them.

Parsing is pure text work (no I/O here; see :mod:`index.loaders`). The same text always gives the
same paragraphs, numbers, sentence spans and ids, so re-indexing is idempotent.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cached_property

from index.errors import UnknownParagraph
from index.sentences import split_sentences

# The names start as names do ("By the Editorial Board" too): an opening "By 2030, …" or "By
# the time …" is a paragraph.
BYLINE = re.compile(r"^\s*(?:authors?|by|written by)\s*[:\-]?\s+"
                    r"(?P<names>(?-i:(?:the\s+)?(?:[^\W\d_a-z]|[\[*_])).*)$", re.IGNORECASE)
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.*?)\s*#*\s*$")
BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
# A footnote mark after a name in a byline ("Jane Doe*", "John Roe†", "Ann Lee¹", "Kim [1]")
# points to a note about the author at the end; it is no part of the name.
FOOTNOTE_MARK = re.compile(r"\s*(?:(?:\\?[*†‡§])+|[¹²³⁰⁴-⁹]+|"
                           r"\[\d{1,2}\])(?=[\s,;&]|$)")
# Markdown a byline is often written in: "*By Jane Doe*", "By **Jane Doe**", "[Jane Doe](url)".
MD_EMPHASIS = re.compile(r"(?<![\w\\])(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1(?!\w)")
MD_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\s]*\)")


def _unmarked(text: str) -> str:
    """``text`` without Markdown emphasis and links, their words kept."""
    text = MD_LINK.sub(r"\1", text)
    while (plain := MD_EMPHASIS.sub(r"\2", text)) != text:
        text = plain
    return text


def clean_authors(names: str | None) -> str | None:
    """A byline's names without footnote marks (or Markdown emphasis and links): "Yang Yi-zhong
    & Zhao Qing-tong*" is by "Yang Yi-zhong & Zhao Qing-tong"."""
    if not names:
        return None
    return " ".join(FOOTNOTE_MARK.sub("", _unmarked(names)).split()) or None


@dataclass(frozen=True)
class ArticleInfo:
    """What the store knows of one indexed article version (no text): shared by ``index`` and
    ``bot`` (re-exported as ``bot.models.ArticleInfo``)."""

    id: str
    title: str
    authors: str | None
    paragraphs: int
    scope: str = "global"  # "global" or the guild id that added it
    source: str = ""
    checksum: str = ""  # of the content
    version: str = ""  # of the stored records (changes on every rebuild)

    @property
    def length(self) -> str:
        """"9 paragraphs", "1 paragraph": the article's size as messages and listings say it."""
        return f"{self.paragraphs} paragraph" + ("" if self.paragraphs == 1 else "s")

    def as_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Sentence:
    """A contiguous span ``[start, end)`` of one paragraph's text."""

    paragraph: int
    index: int  # position within the paragraph, from 0
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    number: int  # 1-based, in reading order
    text: str

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(
            Sentence(self.number, i, start, end, self.text[start:end])
            for i, (start, end) in enumerate(split_sentences(self.text))
        )


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    authors: str | None
    paragraphs: tuple[Paragraph, ...]
    source: str = ""  # where it came from: a path, a URL or "upload"
    scope: str = "global"  # "global", or the Discord guild id that added it
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def checksum(self) -> str:
        """Identifies the content: the same text always gives the same checksum."""
        h = hashlib.sha256()
        for part in (self.title, self.authors or "", *(p.text for p in self.paragraphs)):
            h.update(part.encode())
            h.update(b"\0")
        return h.hexdigest()[:16]

    def paragraph(self, number: int) -> Paragraph:
        if not 1 <= number <= len(self.paragraphs):
            raise UnknownParagraph(number, len(self.paragraphs), self.title)
        return self.paragraphs[number - 1]

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p.sentences]


def slugify(text: str, fallback: str = "article") -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or fallback


def _blocks(text: str) -> list[str]:
    """Non-empty blocks separated by blank lines, with trailing white space trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return [b.strip("\n").rstrip() for b in BLANK_LINE.split(text) if b.strip()]


def _one_line_each(blocks: list[str]) -> list[str]:
    """A text without any blank line (a title line, maybe a byline, then one paragraph per
    line: how some editors and exports save it) as one block per line; else ``blocks``.
    Read as one block, it would be all title and no paragraph."""
    if len(blocks) != 1 or "\n" not in blocks[0]:
        return blocks
    return [line.rstrip() for line in blocks[0].split("\n") if line.strip()]


def parse_text(text: str, *, article_id: str, source: str = "", scope: str = "global",
               markdown: bool = False, title: str | None = None,
               authors: str | None = None) -> Article:
    """Parse plain text (or Markdown) into an :class:`Article`.

    The first block is the title (unless one is given), a following ``Authors: ...`` or ``By ...``
    block is the byline, and every following non-empty block is a paragraph. In Markdown, headings
    are not paragraphs (a reader does not count them): the first one is the title, others are
    skipped. A text with no blank line at all is read one line per block.
    """
    blocks = _blocks(text)
    if title is None:
        blocks = _one_line_each(blocks)
    if markdown:
        kept = []
        for block in blocks:
            heading = MD_HEADING.match(block) if "\n" not in block else None
            if heading:
                if title is None and not kept:
                    title = heading.group("text")
                continue
            kept.append(block)
        blocks = kept
    if title is None and blocks:
        title = blocks.pop(0).strip()
    if authors is None and blocks:
        first = _unmarked(blocks[0]) if markdown else blocks[0]  # "*By Jane Doe*"
        match = BYLINE.match(first) if "\n" not in first else None
        if match:
            authors = clean_authors(match.group("names"))
            blocks.pop(0)
    paragraphs = tuple(Paragraph(i, block.strip()) for i, block in enumerate(blocks, start=1))
    return Article(id=article_id, title=(title or article_id).strip(), authors=authors,
                   paragraphs=paragraphs, source=source, scope=scope)
