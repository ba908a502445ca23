"""The text of a Word document (.docx) as paragraphs separated by blank lines, for
:func:`index.article.parse_text`.

A .docx holds its paragraphs as such (python-docx reads them), so nothing is guessed from a
layout as for a PDF: every non-empty paragraph of the body is one, in order, a line break
inside it read as a space. The title is the document's "Title" paragraph, else its metadata
title, else a heading it opens with, else whatever :func:`~index.article.parse_text` makes of
the first paragraph; other headings are no paragraphs, as a Markdown article's are not, but
head the paragraphs after them (``Article.headings``). An item of a numbered list starts
with its number as Word shows it ("2. "), as Markdown's and HTML's do. Tables,
headers, footers, comments and footnotes are not read.
"""

from __future__ import annotations

import io
import re

from index.article import SECTION_PATH, list_number, metadata_title, nested
from index.errors import IngestError


def docx_text(data: bytes, what: str = "The document") -> tuple[str, list[str]]:
    """The text of a .docx file (module docstring), and the heading each of its paragraphs
    comes under ("" before the first; the heading taken for the title heads none). Raises
    :class:`IngestError` for a file python-docx cannot read (an old .doc renamed, a damaged
    file) and one without text."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        numbers = _numbers(document)
        styled = [(numbers.get(k, "") + " ".join(p.text.split()),
                   (p.style.name if p.style is not None else ""))
                  for k, p in enumerate(document.paragraphs)]
        meta = metadata_title(document.core_properties.title)
    except Exception as error:  # noqa: BLE001  (a damaged or mislabelled file fails many ways)
        raise IngestError(f"{what} is not a Word document I can read "
                          f"({type(error).__name__}). Save it as .docx (not .doc), .txt or "
                          ".pdf.") from error
    titled = opening = section = ""
    open_: list[tuple[int, str]] = []  # the headings over what follows, outermost first
    blocks: list[str] = []
    under: list[str] = []  # the heading each block comes under
    for text, style in styled:
        if not text:
            continue
        kind = style.lower()
        if kind == "title" and not titled and not blocks:
            titled = text
        elif kind.startswith("heading") or kind == "title":
            if not (titled or opening or blocks):
                opening = text  # a heading the document opens with
            # a heading under another is known by both ("Results › Year two", as Markdown's)
            section = nested(open_, int("".join(filter(str.isdigit, kind)) or 0), text)
        else:
            blocks.append(text)
            under.append(section)
    if not blocks:
        raise IngestError(f"{what} has no text I could read as paragraphs.")
    title = titled or meta or opening
    if title and title == opening:  # the opening heading is the title: it heads nothing
        under = ["" if heading == opening else heading.removeprefix(opening + SECTION_PATH)
                 for heading in under]
    return "\n\n".join([title, *blocks] if title else blocks), under


# Word's number formats (w:numFmt) that :func:`index.article.list_number` writes.
_STYLES = {"decimal": "1", "lowerLetter": "a", "upperLetter": "A", "lowerRoman": "i",
           "upperRoman": "I"}
_PLACEHOLDER = re.compile(r"%([1-9])")


def _numbers(document) -> dict[int, str]:
    """Paragraph index → the number Word shows before it ("2. ", "b) ", "iv. ", "1.2. "), for
    the paragraphs of a numbered list (set on the paragraph or by its style, "List Number"):
    each level's text (w:lvlText, "%1." by default) with its placeholders counted as Word
    counts, per list and level, a level's count starting again under each item of the level
    above. Bullets and other formats (ordinals in words, …) get none. Written by hand:
    python-docx reads the numbering definitions but does not compute the numbers."""
    from docx.oxml.ns import qn

    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):  # no numbering part: no list
        return {}
    # abstract id → level → (format, start, text)
    levels: dict[str, dict[int, tuple[str, int, str]]] = {}
    for abstract in root.findall(qn("w:abstractNum")):
        defined = levels[abstract.get(qn("w:abstractNumId"))] = {}
        for lvl in abstract.findall(qn("w:lvl")):
            level = int(lvl.get(qn("w:ilvl"), "0"))
            text = _value(lvl.find(qn("w:lvlText")), qn)
            defined[level] = (_value(lvl.find(qn("w:numFmt")), qn) or "decimal",
                              int(_value(lvl.find(qn("w:start")), qn) or 1),
                              f"%{level + 1}." if text is None else text)
    lists = {num.get(qn("w:numId")): levels.get(_value(num.find(qn("w:abstractNumId")), qn), {})
             for num in root.findall(qn("w:num"))}
    counts: dict[tuple[str, int], int] = {}
    out: dict[int, str] = {}
    for k, paragraph in enumerate(document.paragraphs):
        found = _numbering(paragraph)
        if found is None or found[0] not in lists or not paragraph.text.strip():
            continue
        num, level = found
        defined = lists[num]
        form, start, text = defined.get(level, ("decimal", 1, f"%{level + 1}."))
        counts[num, level] = counts.get((num, level), start - 1) + 1
        for deeper in [key for key in counts if key[0] == num and key[1] > level]:
            del counts[deeper]  # a sub-list counts again under the next item
        # what its placeholders show ("%2": level 2's count, its start before its first item)
        shown = {at: defined.get(int(at) - 1, ("decimal", 1, ""))
                 for at in _PLACEHOLDER.findall(text)}
        if form not in _STYLES or any(f not in _STYLES for f, _, _ in shown.values()):
            continue  # bullets, ordinals in words, …
        written = {at: list_number(counts.get((num, int(at) - 1), start_at), _STYLES[f])
                   for at, (f, start_at, _) in shown.items()}
        marker = _PLACEHOLDER.sub(lambda at: written[at[1]], text).strip()
        if marker:
            out[k] = marker + " "
    return out


def _numbering(paragraph) -> tuple[str, int] | None:
    """The paragraph's list (numId) and level, set on it or by its style; None outside lists
    (numId 0 takes a paragraph out of its style's list)."""
    style = paragraph.style.element if paragraph.style is not None else None
    for ppr in (paragraph._p.pPr, style.pPr if style is not None else None):
        num_pr = ppr.numPr if ppr is not None else None
        if num_pr is not None and num_pr.numId is not None:
            num = str(num_pr.numId.val)
            level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
            return None if num == "0" else (num, int(level))
    return None


def _value(element, qn) -> str | None:
    return element.get(qn("w:val")) if element is not None else None
