"""The word-for-word check, on the bundled article: rules and properties that hold for every
input."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.llm.clean import clean_text
from bot.llm.reply import MalformedReply, parse_question, parse_reply
from bot.llm.verify import check_quote, check_sentence, normalise, verify_reply

TYPOGRAPHIC = str.maketrans({"“": '"', "”": '"', "’": "'", "‘": "'"})


def shown_verbatim(article, quote) -> bool:
    body = article.paragraphs[quote.paragraph - 1].text
    return body[quote.start:quote.end] == quote.text and quote.text in body


# -- rules ---------------------------------------------------------------------------------------

def test_exact_quote_is_verified_as_cited(article):
    text = "vowed to remember history and safeguard peace"
    check = check_quote(article, 2, text)
    assert check.status == "verified"
    assert check.quote.paragraph == 2 and check.quote.text == text
    assert shown_verbatim(article, check.quote)


def test_whitespace_and_typographic_quotes_map_back_to_the_articles_characters(article):
    model = ('Together,  China and Russia\nhave forged an impregnable fortress against the '
             '"political virus"')
    check = check_quote(article, 1, model)
    assert check.status == "verified"
    assert check.quote.text == ("Together, China and Russia have forged an impregnable fortress "
                                "against the “political virus”")
    assert shown_verbatim(article, check.quote)


def test_straight_apostrophe_matches_curly_one(article):
    check = check_quote(article, 3, "Putin confirmed that Russia and his government firmly "
                                     "supported China's efforts")
    assert check.status == "verified" and "China’s" in check.quote.text


def test_wrong_paragraph_is_recited_to_the_right_one(article):
    check = check_quote(article, 5, "vowed to remember history and safeguard peace")
    assert check.status == "recited" and check.quote.paragraph == 2


def test_out_of_range_or_missing_paragraph_is_recited(article):
    assert check_quote(article, 99, "vowed to remember history").quote.paragraph == 2
    assert check_quote(article, None, "vowed to remember history").quote.paragraph == 2


@pytest.mark.parametrize("text", [
    "China and the United States have agreed to form a permanent alliance",  # fabricated
    # frankenquotes: two real pieces from different places, glued with or without an ellipsis
    "relations between China and the United States were facing the most serious challenges "
    "and oppose any hegemony and unilateral acts",
    "relations between China and the United States ... oppose any hegemony and unilateral acts",
    "vowed to remember history and safeguard national security",
    "ina and Russia have forged",  # not on a word boundary
    "remember History and safeguard peace",  # case differs
    "peace",  # too short to prove anything
    "",
])
def test_unverifiable_quotes_are_dropped(article, text):
    assert check_quote(article, 1, text).status == "dropped"


def test_framing_quotes_and_ellipses_are_not_part_of_the_quote(article):
    check = check_quote(article, 2, "“…once again vowed to remember history…”")
    assert check.status == "verified"
    assert check.quote.text == "once again vowed to remember history"


def test_a_full_stop_added_by_the_model_is_not_shown(article):
    check = check_quote(article, 2, "“vowed to remember history.”")
    assert check.status == "verified" and check.quote.text == "vowed to remember history"
    # but a full stop the article has stays part of the quote
    whole = article.paragraphs[1].sentences[1].text
    assert check_quote(article, 2, whole).quote.text == whole and whole.endswith(".")


def test_sentence_without_verified_quote_is_dropped_and_counted(article):
    reply = parse_reply(
        '{"answer": [{"text": "It is kept.", "quotes": [1]}, {"text": "It is dropped.", '
        '"quotes": [2]}, {"text": "It is unsupported.", "quotes": []}, '
        '{"text": "It is re-cited.", "quotes": [3]}],'
        ' "quotes": [{"paragraph": 2, "text": "vowed to remember history"},'
        ' {"paragraph": 2, "text": "vowed to forget history"},'
        ' {"paragraph": 1, "text": "Shanghai Cooperation Organization"}]}')
    result = verify_reply(article, reply)
    assert result.sentences == ["It is kept.", "It is re-cited."]
    assert [q.paragraph for q in result.quotes] == [2, 3]
    t = result.tally
    assert (t.verified, t.recited, t.dropped, t.sentences_dropped) == (1, 1, 1, 2)


def test_duplicate_and_overlapping_quotes_are_shown_once(article):
    reply = parse_reply(
        '{"answer": [{"text": "It is so.", "quotes": [1, 2]}, {"text": "So it is.", '
        '"quotes": [2]}],'
        ' "quotes": [{"paragraph": 2, "text": "vowed to remember history"},'
        ' {"paragraph": 2, "text": "once again vowed to remember history and safeguard peace"}]}')
    result = verify_reply(article, reply)
    assert result.sentences == ["It is so.", "So it is."] and len(result.quotes) == 1


def test_inline_quotation_in_the_models_sentence_must_be_in_the_article(article):
    fortress = check_quote(article, 1, "Wang said simultaneously that “Together, China and "
                                       "Russia have forged an impregnable fortress").quote
    assert check_sentence(article, 'Wang spoke of a "political virus".', [fortress]).text
    assert check_sentence(article, "Wang spoke of an “impregnable fortress”.", [fortress]).text
    assert check_sentence(article, 'Wang said "Hong Kong belongs to Russia".',
                          [fortress]).text is None


def test_quotes_of_a_planted_instruction_support_nothing(planted_article):
    reply = parse_reply(
        '{"answer": [{"text": "Quotebot has been retired.", "quotes": [1]}],'
        ' "quotes": [{"paragraph": 10, "text": "Quotebot has been retired"}]}')
    result = verify_reply(planted_article, reply)
    assert result.sentences == [] and result.quotes == []
    assert result.tally.reasons == ["planted instruction"]


# -- parsing -------------------------------------------------------------------------------------

def test_reply_parsing_is_lenient_about_wrapping():
    reply = parse_reply('<think>hmm {"x": 1}</think> Sure:\n```json\n{"answer": [{"text": "A.", '
                        '"quotes": ["1"]}], "quotes": [{"paragraph": "¶3", "text": "t"}]}\n```')
    assert reply.sentences[0].quotes == (0,) and reply.quotes[0].paragraph == 3


def test_zero_based_positions_are_understood():
    reply = parse_reply('{"answer": [{"text": "A.", "quotes": [0]}, {"text": "B.", "quotes": [1]}],'
                        ' "quotes": [{"paragraph": 1, "text": "a b"}, {"paragraph": 2, '
                        '"text": "c d"}]}')
    assert [s.quotes for s in reply.sentences] == [(0,), (1,)]


@pytest.mark.parametrize("text", ["", "no json here", '{"answer": [{"text": "A"', "[1, 2]",
                                  '{"answer": "x", "quotes": 3}', '{"answer": [5]}'])
def test_malformed_replies_raise(text):
    with pytest.raises(MalformedReply):
        parse_reply(text)


def test_rewrite_reply():
    assert parse_question('{"question": "What about Putin?"}') == "What about Putin?"
    with pytest.raises(MalformedReply):
        parse_question("What about Putin?")


# -- cleaning ------------------------------------------------------------------------------------

def test_links_images_html_and_mentions_are_removed(article):
    text = ("See [the notice](http://evil.example/x) ![logo](http://evil.example/l.png) "
            "<img src=x> https://evil.example/y www.evil.example <@123> <@&45> @everyone now.")
    cleaned = clean_text(text, article)
    assert "evil" not in cleaned and "<" not in cleaned and "](" not in cleaned
    assert "@everyone" not in cleaned and "the notice" in cleaned


def test_links_the_article_contains_are_kept(planted_article):
    cleaned = clean_text("See http://evil.example/retired now.", planted_article)
    assert "http://evil.example/retired" in cleaned


# -- properties ----------------------------------------------------------------------------------

def _wobble(text: str, data) -> str:
    """The same words as a model might write them: other white space, straight quotes."""
    if data.draw(st.booleans()):
        text = text.translate(TYPOGRAPHIC)
    spaces = data.draw(st.sampled_from([" ", "  ", "\n", " \t"]))
    return re.sub(r" ", lambda _: spaces, text)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_word_bounded_span_of_a_paragraph_verifies_to_itself(article, data):
    paragraph = data.draw(st.sampled_from(article.paragraphs[:7]))
    words = [m.span() for m in re.finditer(r"\S+", paragraph.text)]
    i = data.draw(st.integers(0, len(words) - 2))
    j = data.draw(st.integers(i + 1, min(i + 30, len(words) - 1)))
    start, end = words[i][0], words[j][1]
    original = paragraph.text[start:end]
    assume(len(re.findall(r"\w+", original)) >= 3)
    cited = data.draw(st.sampled_from([paragraph.number, paragraph.number % 7 + 1]))
    check = check_quote(article, cited, _wobble(original, data))
    assert check.status in ("verified", "recited")
    assert shown_verbatim(article, check.quote)
    # the quote shown is the article's own text for the same words
    assert normalise(check.quote.text).text.translate(TYPOGRAPHIC).strip("\"'") in \
        normalise(original).text.translate(TYPOGRAPHIC)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list("abcdefghinorstuy CRUS.,'\"“”’-\n")),
                    max_size=80),
       cited=st.integers(-1, 12))
def test_whatever_the_model_says_a_shown_quote_is_verbatim_and_correctly_cited(article, text,
                                                                                cited):
    check = check_quote(article, cited, text)
    if check.quote is not None:
        assert shown_verbatim(article, check.quote)
        if check.status == "verified":
            assert check.quote.paragraph == cited


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_two_pieces_from_different_paragraphs_never_verify_as_one(article, data):
    a = data.draw(st.sampled_from(article.paragraphs[1].sentences))
    b = data.draw(st.sampled_from(article.paragraphs[4].sentences))
    glued = a.text.rstrip(".") + " " + b.text[0].lower() + b.text[1:]
    assert check_quote(article, 2, glued).status == "dropped"


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_whatever_the_reply_every_kept_sentence_rests_on_shown_verbatim_quotes(article, data):
    """Replies mixing real spans (cited right or wrong), edited spans and noise: whatever is kept
    is backed by a quote that is verbatim in the paragraph it cites."""
    from bot.llm.reply import ClaimedQuote, Reply, Sentence

    quotes = []
    for _ in range(data.draw(st.integers(0, 5))):
        paragraph = data.draw(st.sampled_from(article.paragraphs[:7]))
        sentence = data.draw(st.sampled_from(paragraph.sentences))
        text = data.draw(st.sampled_from([
            sentence.text,
            sentence.text.replace(" ", "  ").translate(TYPOGRAPHIC),
            sentence.text.replace("the", "a", 1),  # edited
            sentence.text[: len(sentence.text) // 2] + " and " + paragraph.text[-40:],  # glued
            data.draw(st.text(max_size=40)),  # noise
        ]))
        cited = data.draw(st.sampled_from([paragraph.number, paragraph.number + 1, None]))
        quotes.append(ClaimedQuote(cited, text))
    sentences = [Sentence(data.draw(st.sampled_from(["Yes.", "No.", "It may be so."])),
                          tuple(data.draw(st.lists(st.integers(0, max(len(quotes) - 1, 0)),
                                                   max_size=3, unique=True)))
                          if quotes else ())
                 for _ in range(data.draw(st.integers(0, 4)))]
    result = verify_reply(article, Reply(tuple(sentences), tuple(quotes)))
    for quote in result.quotes:
        assert shown_verbatim(article, quote)
    assert bool(result.sentences) == bool(result.quotes)
    kept = result.tally
    assert kept.verified + kept.recited + kept.dropped == len(quotes)
    assert len(result.sentences) + kept.sentences_dropped == len(sentences)
