"""The text of a Word document (.docx) as paragraphs separated by blank lines, for
:func:`index.article.parse_text`.

A .docx holds its paragraphs as such (python-docx reads them), so nothing is guessed from a
layout as for a PDF: every non-empty paragraph of the body is one, in order, a line break
inside it read as a space. The title is the document's "Title" paragraph, else its metadata
title, else a heading it opens with, else whatever :func:`~index.article.parse_text` makes of
the first paragraph; other headings are left out, as a Markdown article's are. Tables,
headers, footers, comments and footnotes are not read.
"""

from __future__ import annotations

import io

from index.article import metadata_title
from index.errors import IngestError


def docx_text(data: bytes, what: str = "The document") -> str:
    """The text of a .docx file (module docstring). Raises :class:`IngestError` for a file
    python-docx cannot read (an old .doc renamed, a damaged file) and one without text."""
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
    titled = opening = ""
    blocks: list[str] = []
    for text, style in styled:
        if not text:
            continue
        kind = style.lower()
        if kind == "title" and not titled and not blocks:
            titled = text
        elif kind.startswith("heading") or kind == "title":
            if not (titled or opening or blocks):
                opening = text  # a heading the document opens with
        else:
            blocks.append(text)
    if not blocks:
        raise IngestError(f"{what} has no text I could read as paragraphs.")
    title = titled or meta or opening
    return "\n\n".join([title, *blocks] if title else blocks)
