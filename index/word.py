"""The text of a Word document (.docx) as paragraphs separated by blank lines, for
:func:`index.article.parse_text`.

A .docx holds its paragraphs as such (python-docx reads them), so nothing is guessed from a
layout as for a PDF: every non-empty paragraph of the body is one, in order, a line break
inside it read as a space. The title is the document's "Title" paragraph, else its metadata
title, else a heading it opens with, else whatever :func:`~index.article.parse_text` makes of
the first paragraph; other headings are no paragraphs, as a Markdown article's are not, but
head the paragraphs after them (``Article.headings``). Tables,
headers, footers, comments and footnotes are not read.
"""

from __future__ import annotations

import io

from index.article import metadata_title
from index.errors import IngestError


def docx_text(data: bytes, what: str = "The document") -> tuple[str, list[str]]:
    """The text of a .docx file (module docstring), and the heading each of its paragraphs
    comes under ("" before the first; the heading taken for the title heads none). Raises
    :class:`IngestError` for a file python-docx cannot read (an old .doc renamed, a damaged
    file) and one without text."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        styled = [(" ".join(p.text.split()), (p.style.name if p.style is not None else ""))
                  for p in document.paragraphs]
        meta = metadata_title(document.core_properties.title)
    except Exception as error:  # noqa: BLE001  (a damaged or mislabelled file fails many ways)
        raise IngestError(f"{what} is not a Word document I can read "
                          f"({type(error).__name__}). Save it as .docx (not .doc), .txt or "
                          ".pdf.") from error
    titled = opening = section = ""
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
            section = text
        else:
            blocks.append(text)
            under.append(section)
    if not blocks:
        raise IngestError(f"{what} has no text I could read as paragraphs.")
    title = titled or meta or opening
    if title and title == opening:  # the opening heading is the title: it heads nothing
        under = ["" if heading == opening else heading for heading in under]
    return "\n\n".join([title, *blocks] if title else blocks), under
