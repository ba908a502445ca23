"""Summaries: quotes chosen for coverage of the article's points, spread over it, filling one
message (the real embedder; long articles in a throw-away store)."""

from __future__ import annotations

import json

import pytest

from bot.render import DISCORD_LIMIT
from bot.summarize import clause_ends, lead_end, main_clause, stands_alone
from tests.conftest import ROOT, SHARED

POINTS = ROOT / "tests" / "data" / "summary_points.json"
SQUAD = SHARED / "eval" / "squad2-public.json"


def check_quotes(engine, result, article=None):
    """Verbatim slices, shown in the message, in reading order, one message."""
    assert result.quotes and len(result.message) <= DISCORD_LIMIT
    for quote in result.quotes:
        paragraph = engine.paragraph(quote.paragraph, article or quote.article)
        assert paragraph[quote.start:quote.end] == quote.text
        assert quote.text in result.message
    spans = [(q.paragraph, q.start, q.end) for q in result.quotes]
    assert spans == sorted(spans)
    for (p1, _, end), (p2, start, _) in zip(spans, spans[1:]):
        assert p1 < p2 or end <= start  # no overlaps


def covered(quotes, points) -> list[str]:
    return [p["point"] for p in points
            if any(q.paragraph == p["paragraph"] and any(phrase in q.text for phrase in p["any"])
                   for q in quotes)]


# -- the bundled article ----------------------------------------------------------------------

def test_whole_article_summary_fills_one_message_in_reading_order(engine):
    result = engine.summary()
    check_quotes(engine, result)
    assert len(result.message) >= 0.85 * DISCORD_LIMIT  # the budget is used
    cited = [q.paragraph for q in result.quotes]
    assert set(cited) == {1, 2, 3, 4, 5, 6, 7}  # every body paragraph, no author notes
    assert len(cited) > len(set(cited))  # a paragraph that makes several points gets several
    assert engine.summary().as_json() == result.as_json()  # deterministic


def test_points_file_quotes_the_article(engine):
    for point in json.loads(POINTS.read_text())["points"]:
        for phrase in point["any"]:
            assert phrase in engine.paragraph(point["paragraph"])


def test_whole_article_summary_covers_the_main_points(engine):
    """Our own list of the article's main points (written before looking at any summary).
    One quote per paragraph covered 5 of the 10; the floor keeps what coverage gained."""
    points = json.loads(POINTS.read_text())["points"]
    assert len(covered(engine.summary().quotes, points)) >= 7


@pytest.mark.xfail(strict=True, reason="covers 7 of our 10 points (¶1 'fortress', ¶2 Xi's "
                   "statement and ¶3 'highest point' missed); issue 7 asks for 9")
def test_whole_article_summary_covers_nine_of_ten_points(engine):
    points = json.loads(POINTS.read_text())["points"]
    assert len(covered(engine.summary().quotes, points)) >= 9


def test_range_summary_stays_in_range_and_reaches_each_paragraph(engine):
    result = engine.summary(paragraphs="2-4")
    check_quotes(engine, result)
    assert {q.paragraph for q in result.quotes} == {2, 3, 4}


@pytest.mark.parametrize("ask", [lambda e: e.summary(paragraphs="7-9"),
                                 lambda e: e.ask("summary of paragraphs 7 to 9")])
def test_range_summary_leaves_out_the_author_notes_as_the_whole_summary_does(engine, ask):
    """¶8 and ¶9 are notes about the authors ("*Zhao Q. T. is a post-graduate student…"): not
    points of the article, in a range as in the whole article; ¶7 is then summarised."""
    result = ask(engine)
    check_quotes(engine, result)
    assert {q.paragraph for q in result.quotes} == {7}
    assert "(¶7–9)" in result.message


def test_a_paragraph_of_one_long_sentence_is_summarised_by_it(engine):
    """¶7 is one sentence of 290 characters, longer than half the paragraph: it is quoted
    rather than nothing at all (the summary had no quote)."""
    result = engine.summary(paragraphs="7")
    check_quotes(engine, result)
    assert [q.text for q in result.quotes] == [engine.paragraph(7)]


def test_a_range_of_author_notes_only_is_still_summarised(engine):
    result = engine.summary(paragraphs="8-9")
    check_quotes(engine, result)
    assert {q.paragraph for q in result.quotes} == {8, 9}


def test_one_paragraph_summary_is_shorter_than_the_paragraph(engine):
    result = engine.summary(paragraphs="3")
    check_quotes(engine, result)
    assert sum(len(q.text) for q in result.quotes) <= 0.6 * len(engine.paragraph(3))


def test_topic_summary_does_not_repeat_itself(engine):
    result = engine.summary(topic="Hong Kong")
    check_quotes(engine, result)
    assert len({q.text for q in result.quotes}) == len(result.quotes)


# -- main clauses -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, head", [
    ("Secretary of State Mike Pompeo has taken every opportunity to suppress China’s development "
     "and obstruct the connection between the two countries: presently the world’s largest and "
     "second largest economies.",
     "Secretary of State Mike Pompeo has taken every opportunity to suppress China’s development "
     "and obstruct the connection between the two countries"),
    ("In effect, the two Eurasian powers have been supporting each other at the height of the "
     "battle against coronavirus, which has enriched strategic connotation to Sino-Russian "
     "relations in the new era.",
     "In effect, the two Eurasian powers have been supporting each other at the height of the "
     "battle against coronavirus"),
    ("The council met on Monday; the vote was postponed until the spring because two members "
     "were absent and a third had resigned.",  # a head under eight words is not cut
     None),
    ("The mayor said that “the bridge will be rebuilt; the money is there” and promised that "
     "the work would start before the end of the year.",  # never inside a quotation
     None),
    ("The new bridge which the city opened last year has already halved the time it takes to "
     "cross the river at rush hour.",  # a restrictive "which" is part of the clause
     None),
    ("The government raised taxes on fuel and tobacco twice this year; prices rose.",
     None),  # too little to gain from the cut
])
def test_main_clause_is_a_conservative_cut(text, head):
    cut = main_clause(text)
    assert (text[:cut] if cut else None) == head


def test_a_qualifying_subordinate_clause_may_be_cut_off():
    text = ("On the contrary, the United States has been aggressive and even hostile towards "
            "China, even though the latter argues for willing to develop its relations with the "
            "U.S. with goodwill and sincerity.")
    assert [text[:end] for end in clause_ends(text)] == [
        "On the contrary, the United States has been aggressive and even hostile towards China"]


@pytest.mark.parametrize("text, rest", [
    ("In effect, the two Eurasian powers have been supporting each other at the height of the "
     "battle.", "the two Eurasian powers"),
    ("However, the council postponed the vote until the spring of the following year.",
     "the council postponed"),
    ("Therefore, they should respect, appreciate, learn from and benefit each other.", None),
    ("In 1685, Louis XIV revoked the Edict of Nantes and declared Protestantism illegal.", None),
    ("If the vote fails, the council will have to postpone the budget to the spring.", None),
    ("However, it rained.", None),
])
def test_only_a_leading_connective_is_left_out(text, rest):
    start = lead_end(text)
    assert (text[start:] if start else None) == (rest and text[text.index(rest):])


@pytest.mark.parametrize("text, alone", [
    ("The embargo caused an oil crisis with many short- and long-term effects.", True),
    ("This contributed to the \"Oil Shock\".", False),
    ("Therefore, they should respect, appreciate, learn from and benefit each other.", False),
    ("It is held widely that China and Russia would further close consultation.", True),
    ("It contributed to the crisis in the following winter.", False),
    ("It is a path only suited to China’s national conditions.", False),
    ("In 1066, they crossed the Channel.", False),  # after a short opening phrase
    ("They lost Dyrrachium to the Venetians in the following year.", False),
    ("Let's say ten times more.\"", False),  # the end of a quotation the splitter cut
])
def test_a_sentence_that_leans_on_the_one_before_does_not_stand_alone(text, alone):
    assert stands_alone(text) is alone


# -- long articles ----------------------------------------------------------------------------

SUBJECTS = [
    ("lighthouse", "Brest"), ("salt mine", "Wieliczka"), ("tram network", "Lisbon"),
    ("tea terraces", "Darjeeling"), ("glacier", "Grindelwald"), ("canal", "Utrecht"),
    ("copper smelter", "Falun"), ("botanical garden", "Padua"), ("silk market", "Bukhara"),
    ("observatory", "Jaipur"), ("cathedral choir", "Uppsala"), ("fishing fleet", "Lofoten"),
    ("rice paddies", "Banaue"), ("printing press", "Mainz"), ("wine cellars", "Tokaj"),
    ("steel bridge", "Glasgow"), ("coral reef", "Belize"), ("railway station", "Antwerp"),
    ("olive groves", "Jaén"), ("paper mill", "Fabriano"), ("opera house", "Palermo"),
    ("whaling museum", "Nantucket"), ("cable car", "Valparaíso"), ("marble quarry", "Carrara"),
    ("harbour wall", "Valletta"), ("cheese caves", "Roquefort"), ("clock tower", "Bern"),
    ("spice warehouses", "Zanzibar"), ("ice hotel", "Jukkasjärvi"), ("bell foundry", "Agnone"),
]


def long_article() -> str:
    paragraphs = [
        f"The {subject} of {place} shaped the town for centuries. Records kept in {place} "
        f"describe how the {subject} changed the work of farmers, traders and sailors alike. "
        f"Today most visitors come to {place} to see the {subject}, and its upkeep is paid "
        f"for by a small local tax. Critics in {place} argue that the money would do more good "
        f"in schools than in the {subject}."
        for subject, place in SUBJECTS]
    return "Thirty Places and What Made Them\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture(scope="module")
def long_engine(tmp_path_factory):
    from bot.engine import Engine
    from bot.settings import Settings

    engine = Engine.open(Settings(data_dir=tmp_path_factory.mktemp("long"), _env_file=None),
                         ensure_bundled=False)
    engine.add_article("thirty-places.txt", text=long_article())
    if SQUAD.exists():  # read only; the shared evaluation data is not in the repository
        normans = next(a for a in json.loads(SQUAD.read_text())["data"]
                       if a["title"] == "Normans")
        text = "Normans\n\n" + "\n\n".join(p["context"].strip() for p in normans["paragraphs"])
        engine.add_article("squad-normans.txt", text=text)
    return engine


def assert_spread(result, paragraphs: int, parts: int = 5):
    """Every fifth of the article (start, middle and end) is quoted."""
    cited = {q.paragraph for q in result.quotes}
    for k in range(parts):
        first, last = k * paragraphs // parts + 1, (k + 1) * paragraphs // parts
        assert cited & set(range(first, last + 1)), f"nothing quoted from ¶{first}–{last}"


@pytest.mark.parametrize("article", ["thirty-places", "squad-normans"])
def test_long_article_summary_is_spread_over_it_and_fills_the_message(long_engine, article):
    if article not in {i.id for i in long_engine.articles()}:
        pytest.skip(f"{SQUAD} is not here")
    result = long_engine.summary(article)
    check_quotes(long_engine, result, article)
    assert len(result.message) >= 0.85 * DISCORD_LIMIT
    assert_spread(result, long_engine.article(article).paragraphs)


@pytest.mark.parametrize("article, shortlist", [("thirty-places", False),
                                                ("thirty-places", True),
                                                ("squad-normans", False)])
def test_a_whole_article_summary_opens_with_the_article_opening(long_engine, article,
                                                                shortlist, monkeypatch):
    """The article's first sentence says what it is about ("The Normans … were the people who
    …"); a summary of the whole article, or of a range from ¶1, quotes it (in a long text too,
    where only a shortlist is considered); a range further on has no such opening."""
    import bot.summarize as summaries

    if article not in {i.id for i in long_engine.articles()}:
        pytest.skip(f"{SQUAD} is not here")
    if shortlist:
        monkeypatch.setattr(summaries, "LONG_TEXT", 50)  # the article has 120 sentences
        monkeypatch.setattr(summaries, "SHORTLIST", 40)
    stored = long_engine.searcher.state(long_engine.article(article)).stored
    opening = stored.sentences[0]
    for result in (long_engine.summary(article), long_engine.summary(article, paragraphs="1-9")):
        first = result.quotes[0]
        assert (first.paragraph, first.start) == (1, opening.start)
        assert opening.text.startswith(first.text)  # the sentence, or its main clause
    later = long_engine.summary(article, paragraphs="5-12")
    assert {q.paragraph for q in later.quotes} <= set(range(5, 13))


def test_repeated_sentences_are_quoted_once(long_engine):
    result = long_engine.summary("thirty-places")
    repeated = [q for q in result.quotes if q.text.startswith("Critics in")]
    assert len(repeated) <= 1


def test_summary_citations_stay_short_in_a_library(fresh_settings):
    """A summary is of one article, named in its header: in a library of several its citations
    are still ``(¶N)``, so the title is not repeated at every quote at the budget's cost."""
    from bot.engine import Engine

    engine = Engine.open(fresh_settings)
    engine.add_article("tea.md", text="# Tea\n\nBlack tea is fully oxidised before drying.\n")
    assert len(engine.articles()) == 2
    result = engine.summary()
    assert not result.named and "(¶3)" in result.message
    assert "Solidarity" not in result.message.split("\n", 1)[1]  # only the header names it
    check_quotes(engine, result)
    assert engine.ask("How is black tea made?", library=True).named  # answers still name it


def test_a_long_text_is_summarised_from_a_spread_shortlist(long_engine, monkeypatch):
    """Past ``LONG_TEXT`` sentences only a shortlist is considered (a book's 30,000 sentences
    took minutes and gigabytes): paragraphs are not embedded whole, clauses only of the
    shortlisted sentences, and the summary still reaches every part and fills the message."""
    import bot.summarize as summaries

    monkeypatch.setattr(summaries, "LONG_TEXT", 50)  # the article has 120 sentences
    monkeypatch.setattr(summaries, "SHORTLIST", 40)
    monkeypatch.setattr(summaries, "_CLAUSE_VECTORS", {})
    embedded: list[str] = []
    real = long_engine.embed_model.embed

    def counting(texts):
        embedded.extend(texts)
        return real(texts)

    stored = long_engine.searcher.state(long_engine.article("thirty-places")).stored
    result = summaries.summarize(stored, list(range(1, 31)), embed=counting)
    check_quotes(long_engine, result, "thirty-places")
    assert len(result.message) >= 0.85 * DISCORD_LIMIT
    assert_spread(result, 30)
    assert len(embedded) <= 3 * 40  # clauses of 40 sentences at most
    assert not set(embedded) & {p.text for p in stored.article.paragraphs}  # no paragraph


@pytest.mark.parametrize("request_text, brief", [
    ("tl;dr", True), ("TLDR please", True), ("give me a quick summary", True),
    ("sum it up briefly", True), ("in a nutshell, what does the article say?", True),
    ("summarize the article", False), ("Summary of paragraphs 2 to 4", False)])
def test_a_summary_asked_for_short_is_a_few_quotes_across_the_article(engine, request_text,
                                                                      brief):
    """"tl;dr" got the whole summary, a quote or two from every paragraph (13 quotes of a
    14-paragraph text): one asked for short gets at most three, spread over the article."""
    from bot.answer import BRIEF_CUE

    assert bool(BRIEF_CUE.search(request_text)) is brief
    answer = engine.ask(request_text)
    assert answer.answered and answer.message.startswith("Summary of *")
    count = len(answer.quotes)
    assert (1 <= count <= 3) if brief else count > 3
    if brief and "paragraph" not in request_text:
        numbers = [q.paragraph for q in answer.quotes]
        assert numbers == sorted(numbers) and numbers[-1] - numbers[0] >= 3  # spread out
    for quote in answer.quotes:
        assert quote.text in engine.paragraph(quote.paragraph)


def test_a_short_summary_opens_with_the_news_storys_lead(fresh_settings):
    """A match report's "tl;dr" (a probe's, 20 paragraphs) quoted "City restored their
    two-goal cushion…", "Holt was frustrated…" and "Northgate drop to 11th…": three short
    sentences, and never who won. Three quotes at most are chosen for what they cover, not
    for what they cover per character: the lead says who won, by how much, where."""
    from bot.engine import Engine

    engine = Engine.open(fresh_settings)
    info, _ = engine.add_article(str(ROOT / "tests" / "data" / "articles" / "match-report.txt"))
    brief = engine.ask("tl;dr", info.id)
    assert 1 <= len(brief.quotes) <= 3 and brief.quotes[0].paragraph == 1
    assert "3-2 win over Northgate Rovers" in brief.quotes[0].text
    numbers = [q.paragraph for q in brief.quotes]
    assert numbers == sorted(numbers) and numbers[-1] - numbers[0] >= 10  # still spread out
    whole = engine.summary(info.id)  # the whole summary is chosen as before
    assert len(whole.quotes) > 3 and whole.quotes[0].paragraph == 1



RELEASE = ("# Brightline reports third quarter results\n\n"
           "Brightline Logistics said revenue rose 12% in the quarter to $486.3 million, its "
           "best quarter ever.\n\n"
           "| (in millions) | Q3 2024 | Q3 2023 | Change |\n|---|---|---|---|\n"
           "| Revenue | $486.3 | $434.2 | 12.0% |\n"
           "| Operating income | $47.9 | $35.1 | 36.5% |\n"
           "| Free cash flow | $29.2 | $18.8 | 55.3% |\n\n"
           "The company opened two cold-storage warehouses in Reno and Savannah this year.\n\n"
           "Media Contact: Daniel Ortiz media@brightline.example.com\n\n"
           "Signed ........................ (Chair)   Date ..................\n")


def test_a_summary_quotes_no_table_rows_contact_lines_or_blanks_to_sign(fresh_settings):
    """An earnings release's summary quoted "Revenue | $486.3 | $434.2 | 12.0%" (which
    column is which quarter?) and "Media Contact: Daniel Ortiz media@…", and council
    minutes' "Signed …… (Chair) Date ……": none makes a point of its own."""
    from bot.engine import Engine

    engine = Engine.open(fresh_settings)
    engine.add_article("release.md", text=RELEASE)
    summary = engine.summary("release")
    assert [q.paragraph for q in summary.quotes] == [1, 3], summary.message


KETTLE_REVIEW = (
    "# Two kettles for a small kitchen\n\nWe used the Ferro K2 and the Lumen Mini for a month "
    "each, boiling water for tea, pasta and a cafetière every day.\n\n## Ferro K2\n\n"
    "The Ferro boils a litre faster than any kettle we have tried, in two minutes flat.\n\n"
    "Pros:\n\n- Quick to boil\n- Quiet\n- A clear water window\n\nCons:\n\n- Heavy when full\n"
    "- The lid sticks after a few weeks\n- Short cable\n\n## Lumen Mini\n\nThe Lumen is the "
    "lightest kettle on sale, and the only one here that fits under a low tap.\n\n"
    "Pros:\n\n- Light enough for a child to lift\n- Fits under a low tap\n\nCons:\n\n"
    "- Slow to boil\n- A loud click when it switches off\n\n## Verdict\n\nBuy the Ferro if "
    "you boil often and have the space; the Lumen suits a small flat and lighter hands.\n")


def test_a_short_list_is_quoted_whole_in_a_summary(fresh_settings):
    """A review's summary quoted its pros and cons line by line ("Quick to boil", "Heavy
    when full": whose?), 30 quotes for three products, and left out lines of fewer than four
    words. A short list of short lines is quoted whole, its label with it."""
    from bot.engine import Engine

    engine = Engine.open(fresh_settings)
    engine.add_article("kettles.md", text=KETTLE_REVIEW)
    summary = engine.summary("kettles")
    lists = {n for n in range(1, 9) if "\n" in engine.paragraph(n, "kettles")}
    assert lists == {3, 4, 6, 7}
    quoted = [q for q in summary.quotes if q.paragraph in lists]
    assert quoted, summary.message
    assert all(q.text == engine.paragraph(q.paragraph, "kettles") for q in quoted)
    assert len(summary.quotes) == len({q.paragraph for q in summary.quotes})


def test_a_documents_fields_are_no_point_of_a_summary(fresh_settings):
    """A video transcript's summary opened with its head, "Channel: Kitchen with Layla" over
    "Uploaded: 2 February 2026" (a short list of short lines, quoted whole)."""
    from bot.engine import Engine

    engine = Engine.open(fresh_settings)
    engine.add_article("video.txt", text=(
        "Easy One-Pan Shakshuka - Transcript\n\nChannel: Kitchen with Layla\nUploaded: 2 February "
        "2026\nLength: 11:42\n\n[00:00] Hi everyone, I'm Layla, and today we're making "
        "shakshuka, which is eggs poached in a spicy tomato and pepper sauce.\n\n[01:10] Start "
        "with a big pan and a good glug of olive oil over a medium heat.\n\n[05:45] Now crack "
        "six eggs into little wells in the sauce and cover the pan for six minutes.\n"))
    summary = engine.summary("video")
    assert summary.quotes and all(q.paragraph != 1 for q in summary.quotes), summary.message
