"""The library search: the Chroma path (large libraries) finds what the exact in-memory path
finds, and never anything outside the articles searched."""

from __future__ import annotations

from bot.engine import Engine
from index.retrieval import Searcher

QUESTIONS = ["What did Putin say about Hong Kong?", "What do beans climb?",
             "Which sectors will China and Russia cooperate in?", "Where does tea grow?"]


def _library(fresh_settings):
    engine = Engine.open(fresh_settings)
    engine.add_article("garden.md", text="# Garden notes\n\nBeans climb poles.\n\n"
                       "Tomatoes need sun and water every day.\n")
    engine.add_article("tea.md", text="# Tea\n\nTea grows on hillsides in Assam and Yunnan.\n",
                       scope="4242")  # another server's article
    return engine


def test_chroma_path_finds_what_the_exact_search_finds(fresh_settings):
    engine = _library(fresh_settings)
    visible = engine.articles()  # the global ones: not the other server's tea article
    assert {i.id for i in visible} == {"china-russia-solidarity", "garden"}
    exact = Searcher(engine.store)
    chroma = Searcher(engine.store)
    chroma.IN_MEMORY_ARTICLES = chroma.IN_MEMORY_SENTENCES = 0  # as for a large library
    for question in QUESTIONS:
        vector = engine.embed_model.embed([question])[0]
        found = {(c.article, c.index) for c in exact.retrieve(question, vector, visible).candidates}
        via_chroma = chroma.retrieve(question, vector, visible).candidates
        assert {(c.article, c.index) for c in via_chroma} == found
        assert all(c.article in {"china-russia-solidarity", "garden"} for c in via_chroma)


def test_a_replaced_version_is_never_searched(fresh_settings):
    engine = _library(fresh_settings)
    before = {i.id: i for i in engine.articles()}["garden"]
    engine.add_article("garden.md", text="# Garden notes\n\nBeans climb canes.\n")
    searcher = Searcher(engine.store)
    searcher.IN_MEMORY_ARTICLES = searcher.IN_MEMORY_SENTENCES = 0
    vector = engine.embed_model.embed(["What do beans climb?"])[0]
    hits = searcher._chroma_hits(vector, None, 40, {(before.id, before.version)})
    assert hits == []  # the old version's records are gone and no other record passes
    answer = engine.ask("What do beans climb?", "garden")
    assert answer.quotes[0].text == "Beans climb canes."
