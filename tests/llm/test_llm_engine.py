"""The engine with the LLM layer switched on (in process, real store and embedder): the same
path the CLI and the bot take. With ``llm=none`` nothing changes and no model is asked."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.settings import Settings

HONG_KONG = "What did Putin say about Hong Kong?"


def with_llm(engine, settings: Settings) -> Engine:
    return Engine(settings.model_copy(update={"data_dir": engine.settings.data_dir}),
                  engine.store)


def test_provider_none_is_the_extractive_engine(engine, server):
    plain = with_llm(engine, Settings(_env_file=None, llm="none", llm_url=server.openai_url))
    assert plain._llm is None
    for question in (HONG_KONG, "What did Xi and Putin vow to do?", "Who won the 1998 World Cup?"):
        assert plain.ask(question).as_json() == engine.ask(question).as_json()
    assert plain.summary().as_json() == engine.summary().as_json()
    assert server.requests == []


@pytest.mark.parametrize("provider", ["openai", "ollama"])
def test_engine_answers_and_summarises_through_the_model(engine, llm_settings, server, provider):
    llm = with_llm(engine, llm_settings(provider, "fenced"))
    answer = llm.ask(HONG_KONG)
    assert answer.mode == "llm" and answer.answer == "Putin backed China on Hong Kong."
    assert answer.question == HONG_KONG
    assert [q.paragraph for q in answer.quotes] == [3]
    summary = with_llm(engine, llm_settings(provider, "correct")).summary(paragraphs="1-4")
    assert summary.mode == "llm" and "NATO" not in summary.message
    for quote in [*answer.quotes, *summary.quotes]:
        assert quote.text in engine.paragraph(quote.paragraph)


def test_engine_falls_back_and_says_why(engine, llm_settings):
    slow = with_llm(engine, llm_settings("openai", "slow")).ask(HONG_KONG)
    plain = engine.ask(HONG_KONG)
    assert slow.mode == "extractive" and slow.quotes == plain.quotes
    assert "in time" in slow.note
    assert slow.message == f"*{slow.note}*\n\n{plain.message}"  # every edge shows why


def test_abstention_does_not_ask_the_model(engine, llm_settings, server):
    answer = with_llm(engine, llm_settings()).ask("Who won the 1998 World Cup?")
    assert not answer.answered and server.requests == []
