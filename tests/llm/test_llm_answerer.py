"""LLMAnswerer against the scripted server over real HTTP, through LlamaIndex's real clients,
for both providers: every bad reply is dropped, re-cited or falls back, and every quote shown is
verbatim and correctly cited."""

from __future__ import annotations

import logging
import re
import time

import pytest
from llm_fake_server import Q_HONG_KONG, Q_RELATIONS, Q_VOW

from bot.llm import LLMAnswerer
from bot.llm.answerer import (NOTE_FAILED, NOTE_MALFORMED, NOTE_NO_ANSWER, NOTE_TIMEOUT,
                              NOTE_UNVERIFIED)
from bot.models import Answer, Quote, Summary

PROVIDERS = ["openai", "ollama"]
SECRET = "sk-test-DO-NOT-LOG-4242"
SHOWN = re.compile(r'"([^"\n]+)" \(¶(\d+)\)|“([^“”\n]+)” \(¶(\d+)\)')


def shown_quotes(message: str) -> list[tuple[int, str]]:
    """Every quote a reader sees in a message, with the paragraph it cites."""
    return [(int(m.group(2) or m.group(4)), m.group(1) or m.group(3))
            for m in SHOWN.finditer(message)]


def assert_all_verbatim(article, result) -> None:
    for quote in result.quotes:
        body = article.paragraphs[quote.paragraph - 1].text
        assert body[quote.start:quote.end] == quote.text
    for number, text in shown_quotes(result.message):
        assert text in article.paragraphs[number - 1].text, (number, text)


def passages(article, *numbers):
    return [Quote(article.id, n, s.text, s.start, s.end, 1.0 - i / 10)
            for i, n in enumerate(numbers) for s in article.paragraphs[n - 1].sentences[:1]]


@pytest.fixture
def fallback(article):
    sentence = article.paragraphs[0].sentences[0]
    quote = Quote(article.id, 1, sentence.text, sentence.start, sentence.end, 0.9)
    return Answer(question="q", answered=True, quotes=[quote], article=article.id,
                  message=f'"{sentence.text}" (¶1)')


@pytest.fixture
def ask(llm_settings, article, fallback):
    def run(model, provider="openai", on=None, numbers=(1, 2, 3), **extra):
        target = on or article
        answerer = LLMAnswerer(llm_settings(provider, model, **extra))
        return answerer.answer("What happened?", target, passages(target, *numbers), fallback)

    return run


# -- good answers --------------------------------------------------------------------------------

@pytest.mark.parametrize("provider", PROVIDERS)
def test_correct_answer_is_shown_with_verified_quotes(ask, article, server, provider, caplog):
    caplog.set_level(logging.INFO, logger="quotebot.llm")
    result = ask("correct", provider)
    assert result.mode == "llm" and result.answered and result.note is None
    assert result.answer.startswith("Wang Yi said relations")
    assert [q.paragraph for q in result.quotes] == [1, 1]
    assert result.quotes[0].text == Q_RELATIONS
    # straight quotation marks from the model, the article's curly ones shown
    assert result.quotes[1].text.endswith("against the “political virus”")
    assert result.message.startswith(result.answer)
    assert len(result.message) <= 2000
    assert result.as_json()["mode"] == "llm" and result.as_json()["answer"] == result.answer
    assert_all_verbatim(article, result)
    assert "verified=2 re-cited=0 dropped=0" in caplog.text
    assert len(server.requests) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
def test_wrapped_reply_with_fences_and_pilcrows_is_read(ask, article, provider):
    result = ask("fenced", provider)
    assert result.mode == "llm" and [q.text for q in result.quotes] == [Q_HONG_KONG.replace(
        "China's", "China’s")]
    assert_all_verbatim(article, result)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_wrong_paragraph_is_recited(ask, article, provider, caplog):
    caplog.set_level(logging.INFO, logger="quotebot.llm")
    result = ask("wrong_paragraph", provider)
    assert result.mode == "llm"
    assert [(q.paragraph, q.text) for q in result.quotes] == [(2, Q_VOW)]
    assert "(¶2)" in result.message and "(¶5)" not in result.message
    assert "verified=0 re-cited=1 dropped=0" in caplog.text
    assert_all_verbatim(article, result)


def test_fabricated_sentence_is_dropped_and_the_supported_one_kept(ask, article, caplog):
    caplog.set_level(logging.INFO, logger="quotebot.llm")
    result = ask("mixed")
    assert result.mode == "llm" and result.answer == "Putin supported China on Hong Kong."
    assert "Taiwan" not in result.message and len(result.quotes) == 1
    assert "verified=1 re-cited=0 dropped=1 sentences_dropped=1" in caplog.text
    assert_all_verbatim(article, result)


def test_links_and_images_the_article_lacks_are_removed(ask, article):
    result = ask("links")
    assert result.mode == "llm"
    for gone in ("news.example", "img.example", "www.example.org", "](", "!["):
        assert gone not in result.message
    assert result.answer.startswith("Putin backed China on Hong Kong, see this")
    assert_all_verbatim(article, result)


# -- bad answers fall back -----------------------------------------------------------------------

@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("model, note", [
    ("fabricated", NOTE_UNVERIFIED),
    ("frankenquote", NOTE_UNVERIFIED),
    ("inline_fabricated", NOTE_UNVERIFIED),
    ("empty", NOTE_NO_ANSWER),
    ("malformed", NOTE_MALFORMED),
    ("prose", NOTE_MALFORMED),
    ("error500", NOTE_FAILED),
])
def test_unverifiable_or_failed_replies_fall_back_to_the_extractive_answer(
        ask, article, fallback, provider, model, note):
    result = ask(model, provider)
    assert result.mode == "extractive" and result.note == note
    assert result.quotes == fallback.quotes and result.message == fallback.message
    assert result.answer is None and "answer" not in result.as_json()
    for invented in ("permanent alliance", "oppose any hegemony", "belongs to Russia"):
        assert invented not in result.message
    assert_all_verbatim(article, result)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_slow_reply_times_out_and_falls_back(ask, llm_settings, fallback, provider):
    LLMAnswerer(llm_settings(provider)).warm()  # imports, so that only the wait is timed
    started = time.monotonic()
    result = ask("slow", provider)
    assert time.monotonic() - started < 2.5  # the server sleeps 3 s; the timeout is 1 s
    assert result.mode == "extractive" and result.note == NOTE_TIMEOUT
    assert result.message == fallback.message


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_reply_trickling_in_past_the_timeout_is_cut_off(ask, llm_settings, provider):
    LLMAnswerer(llm_settings(provider)).warm()
    started = time.monotonic()
    result = ask("trickle", provider)  # each read takes 0.2 s, the whole reply 5 s
    assert time.monotonic() - started < 2.5
    assert result.mode == "extractive" and result.note == NOTE_TIMEOUT


@pytest.mark.parametrize("model", ["injection", "injection_quoted"])
def test_an_answer_obeying_a_planted_instruction_is_never_shown(ask, planted_article, fallback,
                                                                server, model):
    result = ask(model, on=planted_article, numbers=(10, 3))
    # the planted paragraph did reach the model, as data
    user = server.requests[0].body["messages"][-1]["content"]
    assert "ignore all previous instructions" in user.split("<article>")[1]
    assert result.mode == "extractive" and result.note == NOTE_UNVERIFIED
    assert "retired" not in result.message and "evil.example" not in result.message
    assert "@everyone" not in result.message
    assert_all_verbatim(planted_article, result)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_one_attempt_and_the_key_is_sent_but_never_logged(ask, server, provider, caplog):
    caplog.set_level(logging.DEBUG)
    result = ask("error500", provider, llm_api_key=SECRET)
    assert result.mode == "extractive"
    assert len(server.requests) == 1  # no retries: the fallback is better than a wait
    assert server.requests[0].headers.get("authorization") == f"Bearer {SECRET}"
    assert "500" in caplog.text or "Internal" in caplog.text or "error" in caplog.text
    assert SECRET not in caplog.text
    assert "DO-NOT-LOG" not in caplog.text


@pytest.mark.parametrize("provider", PROVIDERS)
def test_output_cap_and_timeout_are_sent(ask, server, provider):
    ask("correct", provider, llm_max_tokens=77)
    body = server.requests[0].body
    if provider == "openai":
        assert body["max_tokens"] == 77 and body["model"] == "correct"
    else:
        assert body["options"]["num_predict"] == 77 and body["format"] == "json"


def test_no_network_when_built(llm_settings, server):
    answerer = LLMAnswerer(llm_settings("openai", "correct"))
    answerer.warm()
    assert server.requests == []


# -- summaries -----------------------------------------------------------------------------------

@pytest.mark.parametrize("provider", PROVIDERS)
def test_summary_overview_with_verified_quotes(llm_settings, article, provider, caplog):
    caplog.set_level(logging.INFO, logger="quotebot.llm")
    fallback = Summary(quotes=passages(article, 1, 2), message="extractive summary",
                       article=article.id)
    result = LLMAnswerer(llm_settings(provider, "correct")).summarize(
        article, passages(article, 1, 2, 3, 4, 5, 6, 7), fallback)
    assert result.mode == "llm"
    assert result.answer.startswith("The article argues") and "NATO" not in result.message
    # the fortress quote is re-cited from ¶2 to ¶1, the vow from ¶4 to ¶2; NATO is invented
    assert [q.paragraph for q in result.quotes] == [1, 1, 2]
    assert "verified=1 re-cited=2 dropped=1 sentences_dropped=1" in caplog.text
    assert result.as_json()["answer"] == result.answer
    assert_all_verbatim(article, result)


@pytest.mark.parametrize("model, note", [("fabricated", NOTE_UNVERIFIED),
                                         ("slow", NOTE_TIMEOUT), ("error500", NOTE_FAILED)])
def test_summary_falls_back(llm_settings, article, model, note):
    fallback = Summary(quotes=passages(article, 1, 2), message="extractive summary",
                       article=article.id)
    result = LLMAnswerer(llm_settings("openai", model)).summarize(
        article, passages(article, 1, 2), fallback)
    assert result.mode == "extractive" and result.note == note
    assert result.message == "extractive summary"


# -- follow-up rewriting -------------------------------------------------------------------------

@pytest.mark.parametrize("provider", PROVIDERS)
def test_follow_up_is_rewritten(llm_settings, server, provider):
    answerer = LLMAnswerer(llm_settings(provider, "correct"))
    assert answerer.rewrite_followup("and about Hong Kong?", ["What did Putin say?"]) == \
        "What did Putin say about Hong Kong?"
    assert "<history>\n- What did Putin say?\n</history>" in \
        server.requests[0].body["messages"][-1]["content"]


@pytest.mark.parametrize("model", ["malformed", "slow", "error500"])
def test_follow_up_is_kept_as_is_on_failure(llm_settings, model):
    answerer = LLMAnswerer(llm_settings("openai", model))
    assert answerer.rewrite_followup("and Russia?", ["What did Xi say?"]) == "and Russia?"


def test_no_history_means_no_rewrite_call(llm_settings, server):
    assert LLMAnswerer(llm_settings()).rewrite_followup("Who?", []) == "Who?"
    assert server.requests == []


def test_a_bug_in_our_own_code_still_leaves_the_extractive_answer(ask, fallback, monkeypatch,
                                                                 caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr("bot.llm.answerer.verify_reply", broken)
    result = ask("correct")
    assert result.mode == "extractive" and result.note == NOTE_FAILED
    assert result.message == fallback.message
    assert "unexpected error" in caplog.text and "RuntimeError: bug" in caplog.text


def test_dropped_quotes_are_logged_with_their_reasons(ask, caplog):
    caplog.set_level(logging.INFO, logger="quotebot.llm")
    ask("mixed")
    assert "(dropped: not in the article)" in caplog.text


def test_openai_without_a_key_is_warned_about(caplog):
    from bot.settings import Settings

    LLMAnswerer(Settings(_env_file=None, llm="openai"))
    assert "no QUOTEBOT_LLM_API_KEY" in caplog.text


# -- the model's own sentences (issue 10) --------------------------------------------------------

@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("model", ["inline_single", "inline_styles", "number_changed"])
def test_a_sentence_quoting_or_stating_what_its_quotes_dont_is_never_shown(
        ask, article, fallback, provider, model):
    result = ask(model, provider)
    assert result.mode == "extractive" and result.note == NOTE_UNVERIFIED
    assert result.message == fallback.message
    for invented in ("will never allow foreign forces", "Russian troops", "1.5 billion"):
        assert invented not in result.message


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_quotation_cited_to_the_wrong_paragraph_in_a_sentence_is_recited(ask, article,
                                                                           provider, caplog):
    caplog.set_level(logging.INFO, logger="quotebot.llm")
    result = ask("inline_miscited", provider)
    assert result.mode == "llm"
    assert result.answer.startswith('Moscow stressed that "Russia opposes all kinds of '
                                    'provocative actions that violate China’s sovereignty" '
                                    '(¶3).')
    assert "(¶5)" not in result.message
    assert "inline_verified=0 inline_re-cited=1 citations_fixed=1" in caplog.text
    assert_all_verbatim(article, result)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_added_name_drops_its_sentence_and_an_honest_paraphrase_stays(ask, article, provider,
                                                                         caplog):
    caplog.set_level(logging.INFO, logger="quotebot.llm")
    result = ask("name_added", provider)
    assert result.mode == "llm" and "Trump" not in result.message
    assert result.answer == "Both leaders vowed to remember history and safeguard peace."
    assert "states what its quotes don't: Putin, Trump" in caplog.text
    paraphrase = ask("paraphrase", provider)
    assert paraphrase.answer == "Russia backs China on Hong Kong (paragraph 3)."


def test_summary_sentences_get_the_same_checks(llm_settings, article):
    fallback = Summary(quotes=passages(article, 1, 2), message="extractive summary",
                       article=article.id)
    miscited = LLMAnswerer(llm_settings("ollama", "inline_miscited")).summarize(
        article, passages(article, 3), fallback)
    assert (miscited.mode == "llm" and "(¶3)." in miscited.answer
            and "(¶5)" not in miscited.message)
    for model in ("inline_single", "number_changed"):
        result = LLMAnswerer(llm_settings("openai", model)).summarize(
            article, passages(article, 3, 4), fallback)
        assert result.mode == "extractive" and result.note == NOTE_UNVERIFIED


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_rewrite_bringing_in_what_nobody_asked_is_not_used(llm_settings, provider, caplog):
    caplog.set_level(logging.INFO, logger="quotebot.llm")
    answerer = LLMAnswerer(llm_settings(provider, "rewrite_injected"))
    assert answerer.rewrite_followup("and Hong Kong?", ["What did Putin say?"]) == "and Hong Kong?"
    assert "follow-up rewrite not used (adds 2021, Trump, Taiwan)" in caplog.text
