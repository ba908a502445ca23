"""The library's lexical index: built from the terms stored at indexing time (or, for a store
written before they were, from the texts), with exactly the BM25 scores bm25s computes."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from bot.engine import Engine
from index.article import Paragraph
from index.retrieval import LexicalIndex, Searcher
from index.terms import Terms, fingerprint
from tests.conftest import SHARED

SQUAD = SHARED / "eval" / "squad2-public.json"


def _reference(articles):
    """What the index was before: bm25s' own ``index`` over per-sentence and per-paragraph
    token lists (a document without tokens holding the single token "\u2400")."""
    import bm25s

    docs, tokens, paragraphs, paragraph_tokens = [], [], [], []
    for key, rows in articles:
        docs.extend((key, i) for i in range(len(rows)))
        tokens.extend(t for _, t in rows)
        grouped: dict[int, list[str]] = {}
        for number, t in rows:
            grouped.setdefault(number, []).extend(t)
        for number, t in grouped.items():
            paragraphs.append((key, number))
            paragraph_tokens.append(t)
    sentences, whole = bm25s.BM25(), bm25s.BM25()
    sentences.index([t or ["\u2400"] for t in tokens], show_progress=False)
    whole.index([t or ["\u2400"] for t in paragraph_tokens], show_progress=False)
    return docs, paragraphs, sentences, whole


def _scores(bm25, size, terms):
    known = [t for t in terms if t in bm25.vocab_dict]
    return bm25.get_scores(known) if known else np.zeros(size, dtype=np.float32)


def test_scores_are_bm25s_scores_bit_for_bit():
    terms = Terms()
    data = json.loads(SQUAD.read_text(encoding="utf-8"))
    texts = [p["context"] for a in data["data"] for p in a["paragraphs"]]
    questions = [q["question"] for a in data["data"] for p in a["paragraphs"] for q in p["qas"]]
    rng = random.Random(7)
    articles = []
    for a in range(40):
        rows = []
        for number in range(1, rng.randint(2, 10)):
            if rng.random() < 0.1:
                continue  # a paragraph without sentences
            for s in Paragraph(number, rng.choice(texts)).sentences:
                rows.append((number, terms(s.text) if rng.random() > 0.05 else []))
        articles.append(((f"a{a}", "v1"), rows))
    index = LexicalIndex(tuple(k for k, _ in articles), iter(articles), {"title"})
    docs, paragraphs, sentences, whole = _reference(articles)
    assert len(index.docs) == len(docs) and len(index.paragraphs) == len(paragraphs)
    assert [index.docs[d] for d in range(len(docs))] == docs
    assert all(index.where[doc] == d for d, doc in enumerate(docs))
    assert all(index.paragraphs.get(doc) == i for i, doc in enumerate(paragraphs))
    assert index.paragraphs.get((("a0", "v1"), 99)) is None
    assert index.vocabulary == set(sentences.vocab_dict) | {"title"}
    for question in rng.sample(questions, 200):
        q = terms(question)
        expected = _scores(sentences, len(docs), q)
        got = index.scores(q)
        assert got.dtype == expected.dtype and np.array_equal(got, expected)
        assert np.array_equal(index.paragraph_scores(q), _scores(whole, len(paragraphs), q))


def _library(settings) -> Engine:
    engine = Engine.open(settings)
    engine.add_article("garden.md", text="# Garden notes\n\nBeans climb poles. U.S. beans too.\n\n"
                       "Tomatoes need sun and water every day.\n\n!!!\n")
    engine.add_article("tea.md", text="# Tea\n\nTea grows on hillsides in Assam and Yunnan.\n")
    return engine


def test_terms_are_stored_with_the_paragraphs(fresh_settings):
    engine = _library(fresh_settings)
    infos = engine.articles()
    stored = engine.store.stored_terms(infos)
    texts = engine.store.sentence_texts(infos)
    terms = Terms()
    assert set(stored) == set(texts) == {(i.id, i.version) for i in infos}
    for key, rows in texts.items():
        assert stored[key] == [(number, terms(text)) for number, text in rows]
    got = engine.store.collection.get(where={"level": "paragraph"}, include=["metadatas"])
    assert {m["tokenizer"] for m in got["metadatas"]} == {fingerprint()}


@pytest.mark.parametrize("how", ["tokenizer", "missing"])
def test_a_store_without_stored_terms_gives_the_same_index(fresh_settings, how):
    engine = _library(fresh_settings)
    infos = engine.articles()
    questions = ["What do beans climb?", "Where does tea grow?", "What did Putin say?",
                 "Which US beans?"]
    before = Searcher(engine.store).lexical(infos)
    # As a store written before the terms were stored (or by another tokenizer) is.
    got = engine.store.collection.get(where={"$and": [{"level": "paragraph"},
                                                     {"article": "garden"}]},
                                      include=["metadatas"])
    change = ({"tokenizer": "older"} if how == "tokenizer"
              else {"terms": None, "sentences": None, "tokenizer": None})  # None: removed
    engine.store.collection.update(ids=got["ids"], metadatas=[change] * len(got["ids"]))
    infos = engine.articles()
    assert ("garden", next(i.version for i in infos if i.id == "garden")) \
        not in engine.store.stored_terms(infos)
    after = Searcher(engine.store).lexical(infos)
    terms = Terms()
    assert [after.docs[d] for d in range(len(after.docs))] == \
        [before.docs[d] for d in range(len(before.docs))]
    for question in questions:
        q = terms(question)
        assert np.array_equal(after.scores(q), before.scores(q))
        assert np.array_equal(after.paragraph_scores(q), before.paragraph_scores(q))


def test_indexing_an_unchanged_article_again_rewrites_terms_of_an_older_tokenizer(fresh_settings):
    """After an upgrade that changes the tokenizer, building an unchanged article again (as
    ``python -m index build`` and the bot's start do for the bundled one) rewrites its stored
    terms from its stored sentences: metadata only, same version, nothing embedded, so no
    library rebuilds its lexical index from the texts again and again."""
    import json

    from index.loaders import load_article

    engine = _library(fresh_settings)
    store = engine.store
    infos = engine.articles()
    expected = store.stored_terms(infos)
    garden = next(i for i in infos if i.id == "garden")
    got = store.collection.get(where={"$and": [{"level": "paragraph"},
                                               {"article": "garden"}]}, include=["metadatas"])
    old = [{**m, "terms": "stale", "tokenizer": "older"} for m in got["metadatas"]]
    store.collection.update(ids=got["ids"], metadatas=old)
    assert (garden.id, garden.version) not in store.stored_terms(infos)

    def refuse(*args, **kwargs):
        raise AssertionError("nothing is embedded")

    store.embed_model.embed = refuse
    article = load_article("garden.md", text="# Garden notes\n\nBeans climb poles. U.S. beans "
                           "too.\n\nTomatoes need sun and water every day.\n\n!!!\n")
    info, wrote = store.save(article)
    assert not wrote and info.version == garden.version
    assert store.stored_terms(infos) == expected
    got = store.collection.get(ids=got["ids"], include=["metadatas"])
    for meta in got["metadatas"]:
        assert meta["tokenizer"] == fingerprint()
        node = json.loads(meta["_node_content"])["metadata"]
        assert (node["terms"], node["tokenizer"]) == (meta["terms"], meta["tokenizer"])
    assert store.refresh_terms(info) == 0  # up to date: nothing written


def test_terms_that_cannot_be_refreshed_leave_the_article_served(fresh_settings, monkeypatch,
                                                                 caplog):
    """Rewriting stale terms is an optimisation: when the store refuses the write, indexing
    the unchanged article still succeeds (the bot's start does it) and the terms stay as they
    were, read from the texts."""
    from index.loaders import load_article

    engine = _library(fresh_settings)
    store = engine.store
    got = store.collection.get(where={"$and": [{"level": "paragraph"},
                                               {"article": "tea"}]}, include=["metadatas"])
    store.collection.update(ids=got["ids"], metadatas=[{"tokenizer": "older"}] * len(got["ids"]))

    def refuse(*args, **kwargs):
        raise RuntimeError("read-only")

    monkeypatch.setattr(store.collection, "update", refuse)
    info, wrote = store.save(load_article("tea.md", text="# Tea\n\nTea grows on hillsides in "
                                          "Assam and Yunnan.\n"))
    assert not wrote and info.id == "tea"
    assert "could not refresh the search terms of tea" in caplog.text
    assert engine.ask("Where does tea grow?", "tea").answered
