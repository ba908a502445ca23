"""Citations: titles when the library holds several articles, links to the passage for web
articles (text fragments), and every message still within Discord's 2,000 characters."""

from __future__ import annotations

from urllib.parse import unquote

from hypothesis import given
from hypothesis import strategies as st

from bot.models import Answer, ArticleInfo, Quote
from bot.render import (DISCORD_LIMIT, cite, format_quote, passage_url, recite, render_quotes,
                        short_title)


def test_short_titles_are_cut_at_a_word_with_an_ellipsis():
    assert short_title("Warsaw") == "Warsaw"
    long = "The Solidarity of China and Russia Serves to Contain the Hegemony"
    short = short_title(long)
    assert len(short) <= 30 and short.endswith("…") and long.startswith(short[:-1])
    assert "[" not in short_title("A [draft] title") and "]" not in short_title("A [draft]")


def test_citation_forms():
    quote = Quote("warsaw", 12, "The river bends.", title="Warsaw")
    assert cite(quote) == "(¶12)"
    assert cite(quote, named=True) == "(Warsaw ¶12)"
    linked = Quote("warsaw", 12, "The river bends.", title="Warsaw",
                   url="https://example.org/w#:~:text=The%20river%20bends.")
    assert cite(linked, named=True) == \
        "[(Warsaw ¶12)](<https://example.org/w#:~:text=The%20river%20bends.>)"
    assert format_quote(linked).endswith("[(¶12)](<https://example.org/w#:~:text=The%20river"
                                         "%20bends.>)")


def test_text_fragment_encodes_its_syntax_characters():
    url = passage_url("https://example.org/a?x=1#top", "Rock-and-roll, R&B")
    base, directive = url.split("#:~:text=")
    assert base == "https://example.org/a?x=1"
    assert "-" not in directive and "&" not in directive and "," not in directive
    assert unquote(directive) == "Rock-and-roll, R&B"


def test_a_page_comes_before_the_text_directive():
    """``#page=2`` is what a PDF viewer reads; ``:~:`` starts the directive a browser takes
    out of the fragment first, so each reader finds its part."""
    assert passage_url("https://example.org/r.pdf#page=9", "Bees hum.", page=2) == \
        "https://example.org/r.pdf#page=2:~:text=Bees%20hum."


def test_long_quotes_use_the_start_end_form():
    text = ("In echoing Xi’s remarks, President Putin confirmed that Russia firmly supported "
            "China’s efforts in the Hong Kong Special Administrative Region.")
    directive = passage_url("https://example.org/a", text).split("#:~:text=")[1]
    start, end = directive.split(",")
    assert unquote(start) == "In echoing Xi’s remarks,"
    assert unquote(end) == "Kong Special Administrative Region."
    assert " " not in directive and ">" not in directive and ")" not in directive


def test_a_list_is_found_by_its_first_and_last_lines_without_their_numbers():
    """A browser draws an <ol>'s numbers outside the page's text and matches a whole text only
    within one block: "2. Sift the flour." or two items in one directive found nothing."""
    def directive(text):
        return unquote(passage_url("https://example.org/a", text).split("#:~:text=")[1])

    assert directive("2. Sift the flour.") == "Sift the flour."
    assert directive("1. Whisk.\n2. Sift.") == "Whisk.,Sift."
    assert directive("iv) Rest the batter for an hour, covered.\nv) Fry it in butter.") == \
        "Rest the batter for,Fry it in butter."
    assert directive("A poem line\nand its second.") == "A poem line,and its second."
    assert directive("1.5 cups of milk.") == "1.5 cups of milk."  # a number, not an item's


def test_json_carries_the_url_only_when_there_is_one():
    assert Quote("a", 1, "x").as_json() == {"article": "a", "paragraph": 1, "text": "x"}
    assert Quote("a", 1, "x", url="https://e.org/#:~:text=x").as_json()["url"] == \
        "https://e.org/#:~:text=x"


def test_recite_keeps_the_header_and_names_the_articles():
    before = [Quote("tea", 2, "Black tea is oxidised."), Quote("bees", 1, "Bees hum.")]
    after = [Quote("tea", 2, "Black tea is oxidised.", title="Notes on Tea"),
             Quote("bees", 1, "Bees hum.", title="Bees", url="https://e.org/b#:~:text=Bees")]
    message = render_quotes(before, header="*A note.*")
    assert recite(message, before, after, named=True) == (
        '*A note.*\n\n"Black tea is oxidised." (Notes on Tea ¶2)\n\n'
        '"Bees hum." [(Bees ¶1)](<https://e.org/b#:~:text=Bees>)')


@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
                        min_size=1, max_size=700), min_size=1, max_size=6))
def test_recited_messages_fit_discord(texts):
    before = [Quote("a", i + 1, t) for i, t in enumerate(texts) if t.strip()]
    after = [Quote(q.article, q.paragraph, q.text, title="A rather long title " * 3,
                   url=passage_url("https://example.org/" + "x" * 200, q.text)) for q in before]
    message = render_quotes(before)
    assert len(recite(message, before, after, named=True)) <= DISCORD_LIMIT


# -- through the engine -------------------------------------------------------------------


def test_engine_fills_titles_and_urls_and_names_articles_in_a_library(fresh_settings):
    from bot.engine import Engine

    engine = Engine.open(fresh_settings)
    single = engine.ask("What did Putin say about Hong Kong?", library=True)
    assert not single.named and "(¶3)" in single.message  # one article: today's behaviour
    assert single.quotes[0].title == engine.article().title and single.quotes[0].url is None
    engine.add_article("tea.md", scope="42", text="# Tea\n\nBlack tea is fully oxidised.\n")
    web = ArticleInfo("42-bees", "Bees", None, 1, scope="42", source="https://e.org/bees")
    infos = engine.articles("42")
    answer = Answer("q", True, [Quote("42-bees", 1, "Bees hum."),
                                Quote("42-tea", 1, "Black tea is fully oxidised.")],
                    render_quotes([Quote("42-bees", 1, "Bees hum."),
                                   Quote("42-tea", 1, "Black tea is fully oxidised.")]))
    cited = engine._cited(answer, [*infos, web])
    assert cited.named
    assert cited.quotes[0].url == "https://e.org/bees#:~:text=Bees%20hum."
    assert cited.message == ('"Bees hum." [(Bees ¶1)](<https://e.org/bees#:~:text=Bees%20hum.>)'
                             '\n\n"Black tea is fully oxidised." (Tea ¶1)')
    tea = engine.ask("How is black tea made?", guild="42", library=True)
    assert tea.named and tea.quotes[0].article == "42-tea" and "(Tea ¶1)" in tea.message
    assert tea.as_json()["quotes"][0] == {"article": "42-tea", "paragraph": 1,
                                          "text": "Black tea is fully oxidised."}
    elsewhere = engine.ask("How is black tea made?", guild="7", library=True)
    assert all(q.article != "42-tea" for q in elsewhere.quotes)
    assert "Tea ¶" not in elsewhere.message


def test_articles_of_one_title_are_cited_by_their_ids(fresh_settings):
    from bot.engine import Engine

    engine = Engine.open(fresh_settings)
    engine.add_article("green.md", text="# Tea\n\nGreen tea is steamed or pan-fired.\n")
    engine.add_article("black.md", text="# Tea\n\nBlack tea is fully oxidised.\n")
    answer = engine.ask("How is black tea made?", library=True)
    assert answer.named and answer.quotes[0].article == "black"
    assert "(black ¶1)" in answer.message and "(Tea ¶" not in answer.message
