"""Word articles (index/word.py): a .docx's own paragraphs, its title, its headings as what
heads the paragraphs (no paragraphs of their own); quoted verbatim like any other article."""

from __future__ import annotations

import io

import pytest

from index.errors import IngestError
from index.loaders import load_article

PARAGRAPHS = ["The council voted eleven to four for the sea wall.",
              "Construction starts in June, and the ferry will run every hour."]


def document() -> bytes:
    import docx

    made = docx.Document()
    made.add_heading("Harbour News", 0)  # level 0: the "Title" style
    made.add_paragraph("By Jane Doe")
    made.add_heading("The vote", 1)
    first = made.add_paragraph("The council voted eleven to four")
    first.add_run().add_break()  # a line break inside the paragraph
    first.add_run("for the sea wall.")
    made.add_paragraph("")
    made.add_heading("What comes next", 2)
    made.add_paragraph(PARAGRAPHS[1])
    out = io.BytesIO()
    made.save(out)
    return out.getvalue()


def test_a_word_document_is_read_as_its_paragraphs(tmp_path):
    path = tmp_path / "harbour-news.docx"
    path.write_bytes(document())
    article = load_article(path)
    assert (article.id, article.title, article.authors) == ("harbour-news", "Harbour News",
                                                            "Jane Doe")
    assert [p.text for p in article.paragraphs] == PARAGRAPHS  # headings left out
    assert article.headings == ("The vote", "What comes next")  # ... but heading sections


def test_a_heading_the_document_opens_with_is_its_title_and_heads_nothing():
    import docx

    made = docx.Document()
    made.add_heading("Harbour News", 1)
    made.add_paragraph(PARAGRAPHS[0])
    made.add_heading("What comes next", 2)
    made.add_paragraph(PARAGRAPHS[1])
    out = io.BytesIO()
    made.save(out)
    article = load_article("news.docx", text=out.getvalue())
    assert article.title == "Harbour News"
    assert [p.text for p in article.paragraphs] == PARAGRAPHS
    assert article.headings == ("", "What comes next")


@pytest.mark.parametrize("meta, title", [("Harbour News Weekly", "Harbour News Weekly"),
                                         ("Microsoft Word - news.docx", "Harbour News")])
def test_without_a_title_paragraph_the_metadata_names_it(meta, title):
    """No "Title" paragraph: the metadata title, unless it is a file name; then the text is
    read as a .txt file is (its first paragraph, a short line, is the title)."""
    import docx

    made = docx.Document()
    made.core_properties.title = meta
    made.add_paragraph("Harbour News")
    for paragraph in PARAGRAPHS:
        made.add_paragraph(paragraph)
    out = io.BytesIO()
    made.save(out)
    article = load_article("news.docx", text=out.getvalue())
    assert article.title == title
    assert [p.text for p in article.paragraphs] == (
        ["Harbour News", *PARAGRAPHS] if title != "Harbour News" else PARAGRAPHS)


def test_a_file_that_is_no_word_document_is_said_so():
    with pytest.raises(IngestError, match="not a Word document I can read"):
        load_article("old.docx", text=b"\xd0\xcf\x11\xe0 an old binary .doc renamed")


def test_a_word_document_without_text_is_said_so():
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    with pytest.raises(IngestError, match="no text"):
        load_article("empty.docx", text=out.getvalue())


def test_a_word_article_is_answered_with_verbatim_quotes(fresh_settings):
    from bot.engine import Engine

    engine = Engine.open(fresh_settings)
    info, _ = engine.add_article("harbour-news.docx", text=document())
    answer = engine.ask("When does construction start?", info.id)
    assert answer.answered and answer.quotes[0].paragraph == 2
    assert answer.quotes[0].text in engine.paragraph(2, info.id)


def test_a_numbered_list_keeps_the_numbers_word_shows():
    """python-docx gives a list item's text without its number, so "What is step 2?" could not
    find it: decimal items get their number as Word counts it (per list; a sub-level counts
    again under each item of the level above; bullets get none)."""
    import docx

    made = docx.Document()
    made.add_heading("Pancakes", 0)
    made.add_paragraph("Easy pancakes for four people, ready in twenty minutes.")
    made.add_paragraph("Whisk the eggs and the milk.", style="List Number")
    made.add_paragraph("Sift in the flour.", style="List Number")
    list_id = made.paragraphs[-1].style.element.pPr.numPr.numId.val

    def sub_item(text):  # level 2 of the same list, set on the paragraph as Word does
        numbering = made.add_paragraph(text)._p.get_or_add_pPr().get_or_add_numPr()
        numbering.get_or_add_ilvl().val = 1
        numbering.get_or_add_numId().val = list_id

    sub_item("Slowly, in three parts.")
    sub_item("Without lumps.")
    made.add_paragraph("Serve with lemon.", style="List Bullet")
    made.add_paragraph("Fry a ladle at a time.", style="List Number")
    sub_item("Not too hot.")
    made.add_paragraph("Other dishes.", style="List Number 2")  # another list: its own count
    out = io.BytesIO()
    made.save(out)
    article = load_article("pancakes.docx", text=out.getvalue())
    assert [p.text for p in article.paragraphs] == [
        "Easy pancakes for four people, ready in twenty minutes.",
        "1. Whisk the eggs and the milk.", "2. Sift in the flour.",
        "1. Slowly, in three parts.", "2. Without lumps.", "Serve with lemon.",
        "3. Fry a ladle at a time.", "1. Not too hot.", "1. Other dishes."]
