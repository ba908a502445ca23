"""PDF files for the loader tests, written here (no PDF writer among the dependencies): pages
of text lines in Helvetica, each placed at (x, y) in points, as a word processor's export
places them."""

from __future__ import annotations

import textwrap

Line = tuple[float, float, float, str]  # x, y, font size, text


def pdf(pages: list[list[Line]], title: str | None = None) -> bytes:
    """A PDF 1.4 file of ``pages``, with a document title in its metadata when given."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    pages_id = len(objects) + 2 * len(pages) + 1  # after each page's content and page object
    kids = []
    for lines in pages:
        stream = "".join(f"BT /F1 {size} Tf {x} {y} Td ({_escape(text)}) Tj ET\n"
                         for x, y, size, text in lines).encode("cp1252")
        content = add(b"<< /Length %d >>\nstream\n%sendstream" % (len(stream), stream))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources "
                        b"<< /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_id, font, content)))
    add(b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    info = add(b"<< /Title (%s) >>" % _escape(title).encode("cp1252")) if title else None
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, b" /Info %d 0 R" % info if info else b"", xref)
    return bytes(out)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def typeset(paragraphs: list[str], *, width: int = 80, indent: bool = False,
            top: float = 740, bottom: float = 72) -> list[list[tuple[float, str]]]:
    """Paragraphs set in 11-point lines ``width`` characters wide, 14 points apart, over as
    many pages as they need: with ``indent``, each paragraph's first line indented and no
    space between paragraphs (a book); else a blank line's space between them (a report).
    A paragraph may run on to the next page. Returns each page's ``(y, text)`` lines, an
    indented line's text marked by a leading tab (:func:`pages` places it further right)."""
    pages: list[list[tuple[float, str]]] = [[]]
    y = top
    for paragraph in paragraphs:
        lines = textwrap.wrap(paragraph, width, break_on_hyphens=False)
        for k, line in enumerate(lines):
            if y < bottom:
                pages.append([])
                y = top
            pages[-1].append((y, ("\t" if indent and k == 0 else "") + line))
            y -= 14
        if not indent:
            y -= 14
    return pages


def pages(paragraphs: list[str], *, head: list[Line] = (), header: str | None = None,
          footer: str | None = None, **kw) -> list[list[Line]]:
    """:func:`typeset` pages as PDF lines, ``head`` on the first (a title, a byline), a running
    ``header`` on every page and a ``footer`` (``{page}`` and ``{pages}`` filled in)."""
    laid = typeset(paragraphs, top=740 - 40 * bool(head), **kw)
    out = []
    for number, lines in enumerate(laid, 1):
        page: list[Line] = list(head) if number == 1 else []
        if header:
            page.append((72, 780, 8, header))
        page += [(90 if text.startswith("\t") else 72, y, 11, text.lstrip("\t"))
                 for y, text in lines]
        if footer:
            page.append((280, 40, 9, footer.format(page=number, pages=len(laid))))
        out.append(page)
    return out
