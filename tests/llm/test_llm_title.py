"""A question answered by the article's record, not by its text, never goes to the model."""

from __future__ import annotations

from tests.llm.test_llm_engine import with_llm


def test_what_the_article_is_called_is_not_asked_of_the_model(engine, llm_settings, server):
    """"What is it called?" is answered with the title and byline, no quote: the model was
    asked with no passage at all, and its answer (or a fallback note) replaced that line."""
    answer = with_llm(engine, llm_settings("openai", "fenced")).ask("What is it called?")
    assert answer.mode == "extractive" and answer.note is None and server.requests == []
    assert answer.message == engine.ask("What is it called?").message
    assert answer.message.startswith("The article is *The Solidarity of China and Russia")
