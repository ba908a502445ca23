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
    # ... but heading sections, a heading under another known by both
    assert article.headings == ("The vote", "The vote › What comes next")


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


def test_lettered_roman_and_outline_numbers_are_written_as_word_shows_them():
    """Word writes a level's number in its format (letters, Roman numerals) and in its level
    text ("%1)", "(%1)", "%1.%2."): a lettered list was quoted without its letters."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    made = docx.Document()
    made.add_heading("Rules", 0)
    made.add_paragraph("The club's rules, agreed at the spring meeting.")
    numbering = made.part.numbering_part.element

    def define(list_id, *levels):  # (format, level text, start) per level
        numbering.append(parse_xml(
            f"<w:abstractNum {nsdecls('w')} w:abstractNumId='{list_id}'>"
            + "".join(f"<w:lvl w:ilvl='{k}'><w:start w:val='{start}'/>"
                      f"<w:numFmt w:val='{form}'/><w:lvlText w:val='{text}'/></w:lvl>"
                      for k, (form, text, start) in enumerate(levels))
            + "</w:abstractNum>"))
        numbering.append(parse_xml(f"<w:num {nsdecls('w')} w:numId='{list_id}'>"
                                   f"<w:abstractNumId w:val='{list_id}'/></w:num>"))

    def item(text, list_id, level=0):
        numbered = made.add_paragraph(text)._p.get_or_add_pPr().get_or_add_numPr()
        numbered.get_or_add_ilvl().val = level
        numbered.get_or_add_numId().val = list_id

    define(90, ("lowerLetter", "%1)", 1))
    define(91, ("upperRoman", "%1.", 3), ("decimal", "%1.%2.", 1))
    define(92, ("decimal", "(%1)", 1), ("ordinalText", "%2", 1))
    define(93, ("bullet", "•", 1))
    item("Pay the fee.", 90)
    item("Sign the book.", 90)
    item("Keep the peace.", 91)
    item("No shouting.", 91, 1)
    item("No running.", 91, 1)
    item("Help each other.", 91)
    item("Be kind.", 92)
    item("Never written in words.", 92, 1)
    item("A bullet.", 93)
    out = io.BytesIO()
    made.save(out)
    article = load_article("rules.docx", text=out.getvalue())
    assert [p.text for p in article.paragraphs] == [
        "The club's rules, agreed at the spring meeting.",
        "a) Pay the fee.", "b) Sign the book.", "III. Keep the peace.", "III.1. No shouting.",
        "III.2. No running.", "IV. Help each other.", "(1) Be kind.",
        "Never written in words.", "A bullet."]
