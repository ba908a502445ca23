"""PDF articles (index/pdf.py): a PDF's lines put back into its paragraphs, page furniture left
out, and the usual friendly errors; quoted verbatim like any other article."""

from __future__ import annotations

import io
import textwrap

import pytest

from index.errors import IngestError
from index.loaders import load_article
from index.pdf import pdf_text
from tests.pdfs import Line, pages, pdf, typeset

TITLE, BYLINE = "The Council Report", "By Jane Doe"
PARAGRAPHS = [
    "In the beginning the council met in secret to decide the fate of the harbour. Nobody "
    "outside the chamber knew what was said, and the minutes were sealed for ten years.",
    "The plan that came out of those meetings was a long one. It asked for a new sea wall, "
    "two bridges and a ferry, and it asked the city to pay for all of them at once, which the "
    "treasurer said it could not do.",
    "Short, this one.",
    # longer than a page, in long sentences: a page break falls inside one
    " ".join(["The fourth paragraph is long enough to cross a page break wherever it starts, "
              "and so it tests that a paragraph cut by a page break is one paragraph again, "
              f"here in its sentence number {n}, which goes on about the ferry that was to run "
              "every hour between the old town and the island, about the bridges that were "
              "never built and about the sea wall that was." for n in range(1, 13)]),
    "Finally, the council voted eleven to four for the sea wall alone.",
]
HEAD = [(72, 740, 16, TITLE), (72, 720, 10, BYLINE)]


def report(*, indent: bool = False, repeat: int = 2) -> bytes:
    """A journal's article: its name printed over every page, the title in the metadata."""
    return pdf(pages(PARAGRAPHS * repeat, head=HEAD, header="Harbour Review, Vol. 3",
                     footer="Page {page} of {pages}", indent=indent), title=TITLE)


@pytest.mark.parametrize("indent", [False, True], ids=["spaced", "indented"])
def test_a_pdf_is_read_as_its_paragraphs(tmp_path, indent):
    """Paragraphs set with space between them (a report) or with an indented first line and
    none (a book) are found again, across page breaks; the running header and the page
    numbers are left out; the title and the byline are the article's."""
    data = report(indent=indent)
    laid = typeset(PARAGRAPHS * 2, indent=indent, top=700)
    assert len(laid) >= 3 and all(not page[-1][1].endswith(".") for page in laid[:-1])
    path = tmp_path / "council-report.pdf"
    path.write_bytes(data)
    article = load_article(path)
    assert (article.id, article.title, article.authors) == ("council-report", TITLE, "Jane Doe")
    assert [p.text for p in article.paragraphs] == PARAGRAPHS * 2
    assert load_article("council-report.pdf", text=data) == load_article(
        "council-report.pdf", text=data)  # an upload: the same bytes, the same article


def test_a_title_the_pages_repeat_as_their_header_is_still_the_title():
    """Without a title in the metadata, the first page's first line is the title even when
    every later page prints it as a running header (where it is left out)."""
    laid = pages(PARAGRAPHS * 2, head=[(72, 765, 16, TITLE), (72, 720, 10, BYLINE)])
    for page in laid[1:]:
        page.append((72, 765, 8, TITLE))
    article = load_article("report.pdf", text=pdf(laid))
    assert (article.title, article.authors) == (TITLE, "Jane Doe")
    assert [p.text for p in article.paragraphs] == PARAGRAPHS * 2


@pytest.mark.parametrize("title", ["Microsoft Word - draft3.docx", "Untitled", "",
                                   "Draft report v2",  # stale: the page does not print it
                                   "Council Report"])  # only part of the printed title
def test_a_metadata_title_the_page_does_not_print_is_no_title(title):
    article = load_article("report.pdf", text=pdf(pages(PARAGRAPHS[:2], head=HEAD), title=title))
    assert article.title == TITLE


def test_roman_page_numbers_and_list_items():
    lines = [(72, 740, 16, "Notes"),
             (72, 700, 11, "The plan had three parts:"),
             (90, 686, 11, "• a sea wall along the old town,"),
             (90, 672, 11, "• two bridges to the island."),
             (300, 40, 9, "iv")]
    assert pdf_text(pdf([lines])).split("\n\n") == [
        "Notes", "The plan had three parts:", "• a sea wall along the old town,",
        "• two bridges to the island."]


def test_headings_are_no_paragraphs_and_a_page_opening_with_one_goes_on_with_nothing():
    """Headings are no paragraphs, as a Markdown article's are not ("Version" was quoted as an
    answer to "What version is this?"), but head the paragraphs after them; a page that opens
    with one does not go on with the page before, even when that page ends without a full stop
    (here a table of contents)."""
    first = [(72, 740, 16, "Harbour Notes"), (72, 700, 11, "Introduction . . . . . . . . . . 1"),
             (72, 686, 11, "Methods . . . . . . . . . . . . . . 2")]
    second = [(72, 740, 14, "1 Introduction"), (72, 710, 11, "The harbour is old."),
              (72, 680, 14, "1.1. Version"), (72, 650, 11, "This is the second edition."),
              (72, 620, 14, "Sources"), (72, 590, 11, "The town archive.")]
    assert pdf_text(pdf([first, second])).split("\n\n") == [
        "Harbour Notes",
        "Introduction . . . . . . . . . . 1 Methods . . . . . . . . . . . . . . 2",
        "The harbour is old.",
        "This is the second edition.", "The town archive."]
    # ... but they head the paragraphs after them
    article = load_article("notes.pdf", text=pdf([first, second]))
    assert article.headings == ("", "1 Introduction", "1.1. Version", "Sources")


def two_columns(left: list[str], right: list[str], top: float = 700) -> list[Line]:
    """Paragraphs set in two columns of 45 characters: ``left`` runs on into ``right``."""
    lines: list[Line] = []
    for x, paragraphs in ((72, left), (320, right)):
        y = top
        for paragraph in paragraphs:
            for line in textwrap.wrap(paragraph, 45):
                lines.append((x, y, 10, line))
                y -= 12
            y -= 12
    return lines


def test_a_page_in_two_columns_is_read_column_by_column():
    """The left column, then the right, as a reader reads them (layout mode sets them side by
    side on shared lines); a paragraph the left column's foot cuts goes on at the right
    column's head, and an abstract across both columns comes first."""
    first = ("The left column starts the article with a first paragraph that is long "
             "enough to wrap over several lines of the column.")
    second = ("A second paragraph in the left column goes on and on until it reaches the "
              "foot of the column and carries over into the right column, where it ends.")
    third = "The right column has its own paragraph, which closes the article."
    head, tail = " ".join(second.split()[:18]), " ".join(second.split()[18:])
    abstract = ("An abstract that runs across both columns of the page, as journals print "
                "it, above the two columns of the article itself.")
    page = [(72, 740, 16, "Two Columns"), (72, 716, 10, abstract),
            *two_columns([first, head], [tail, third], top=690)]
    assert pdf_text(pdf([page])).split("\n\n") == ["Two Columns", abstract, first, second,
                                                     third]


def test_labels_at_the_right_margin_are_no_second_column():
    lines = [(72, 740, 16, "Reference")]
    y = 700
    for k in range(12):
        lines.append((72, y, 10, f"Line {k} of the description, which is set in one column "
                                 "across most of the page."))
        if k % 4 == 0:
            lines.append((500, y, 10, "[Function]"))
        y -= 12
    text = pdf_text(pdf([lines]))
    assert "Line 0 of the description, which is set in one column across most of the page. " \
           "[Function] Line 1" in text


def test_words_hyphenated_at_a_line_end_are_joined_whole():
    lines = [(72, 740, 16, "Notes"),
             (72, 700, 11, "The development of the harbour was a well-"),
             (72, 686, 11, "documented affair, from the first survey to its long develop-"),
             (72, 672, 11, "ment, and the Anglo-"),
             (72, 658, 11, "Saxon charter it began with.")]
    assert pdf_text(pdf([lines])).split("\n\n")[1] == (
        "The development of the harbour was a well-documented affair, from the first survey "
        "to its long development, and the Anglo-Saxon charter it began with.")


def test_a_pdf_without_text_is_said_to_be_a_scan():
    with pytest.raises(IngestError, match="scanned"):
        load_article("scan.pdf", text=pdf([[], []]))


def test_a_file_that_is_no_pdf_is_said_so(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4 then nothing a reader can use")
    with pytest.raises(IngestError, match="“report.pdf” is not a PDF I can read"):
        load_article(path)


def test_a_password_protected_pdf_is_said_so():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(report(repeat=1))))
    writer.encrypt("secret")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(IngestError, match="password"):
        load_article("locked.pdf", text=locked.getvalue())


def test_a_pdf_article_is_answered_with_verbatim_quotes(fresh_settings):
    from bot.engine import Engine

    engine = Engine.open(fresh_settings)
    info, changed = engine.add_article("council-report.pdf", text=report(repeat=1))
    assert changed and info.title == TITLE
    answer = engine.ask("How did the council vote on the sea wall?", info.id)
    assert answer.answered and answer.quotes[0].paragraph == 5
    assert answer.quotes[0].text in engine.paragraph(5, info.id)
    assert "eleven to four" in answer.quotes[0].text
    assert answer.quotes[0].url is None  # a file, not a link


def test_a_quote_of_a_pdf_link_links_to_its_page(fresh_settings, monkeypatch):
    """Read from a link, a PDF's citations open it at the quoted paragraph's page (PDF viewers
    read ``#page=N``) and, in a browser that can, at the passage itself (``:~:text=``)."""
    import index.loaders
    from bot.engine import Engine

    source = load_article("council-report.pdf", text=report(repeat=1))
    page = source.pages[-1]
    assert page > 1  # the last paragraph is not on the first page
    monkeypatch.setattr(index.loaders, "_fetch",
                        lambda url, *a, **kw: (report(repeat=1), "application/pdf", None, url))
    engine = Engine.open(fresh_settings)
    info, _ = engine.add_article("https://example.org/council-report.pdf")
    assert info.pages == source.pages and info.page(len(source.pages)) == page
    last = source.paragraphs[-1]
    cited = engine.ask(last.sentences[0].text, info.id)
    quote = cited.quotes[0]
    assert quote.paragraph == last.number
    assert quote.url.startswith(f"https://example.org/council-report.pdf#page={page}:~:text=")
    assert "pages" not in info.as_json()


def test_a_folder_of_articles_includes_its_pdfs(tmp_path):
    from index.cli import expand_sources

    (tmp_path / "a.pdf").write_bytes(report(repeat=1))
    (tmp_path / "b.txt").write_text("B\n\nText.")
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    assert expand_sources([str(tmp_path)]) == [str(tmp_path / "a.pdf"), str(tmp_path / "b.txt")]


@pytest.mark.parametrize("indent", [False, True], ids=["spaced", "indented"])
def test_the_bundled_article_typeset_as_a_pdf_reads_back_paragraph_for_paragraph(indent):
    """Real prose (curly quotes, 1,400-character paragraphs, page breaks inside them, a byline,
    page numbers): the same title, authors and paragraphs as the .txt, whitespace aside."""
    from tests.conftest import BUNDLED

    source = load_article(BUNDLED)
    laid = typeset([p.text for p in source.paragraphs], indent=indent, top=700)
    assert sum(not page[-1][1].endswith(".") for page in laid[:-1]) >= 2  # cut mid-sentence
    head = [(72, 740, 14, source.title), (72, 716, 10, f"Authors: {source.authors}")]
    data = pdf(pages([p.text for p in source.paragraphs], head=head, footer="{page}",
                     indent=indent))
    article = load_article("solidarity.pdf", text=data)
    assert (article.title, article.authors) == (source.title, source.authors)
    assert [" ".join(p.text.split()) for p in article.paragraphs] == [
        " ".join(p.text.split()) for p in source.paragraphs]
    # each paragraph's page is the one its first line is printed on
    firsts = [textwrap.wrap(p.text, 80, break_on_hyphens=False)[0] for p in source.paragraphs]
    printed = {text.lstrip("\t"): number for number, page in enumerate(laid, 1)
               for _, text in page}
    assert article.pages == tuple(printed[first] for first in firsts)
    assert len(set(article.pages)) > 1


def test_a_pdf_holding_more_text_than_an_article_may_is_refused(monkeypatch):
    """A PDF compresses its text: a file under the size limit may hold a library of it, which
    indexing would spend hours on. The text itself has the file limit too."""
    import index.loaders

    monkeypatch.setattr(index.loaders, "MAX_BYTES", 500)
    with pytest.raises(IngestError, match="million characters of text"):
        load_article("council-report.pdf", text=report(repeat=1))
