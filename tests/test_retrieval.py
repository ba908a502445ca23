"""The library search: the Chroma path (large libraries) finds what the exact in-memory path
finds, and never anything outside the articles searched."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from index.retrieval import DATE, NUMBER, Searcher, named_values, names_new
from tests.conftest import BUNDLED

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


def test_partial_states_give_the_whole_articles_features(fresh_settings):
    """A library searched by Chroma loads only its candidates' paragraphs; their features,
    and the answers, are those the whole articles give."""
    import numpy as np

    from index.retrieval import PartialState

    engine = _library(fresh_settings)
    engine.add_article("beans.md", text="# Beans\n\nRunner beans climb 3 m poles in May.\n\n"
                       "Dwarf beans do not climb. They stay short.\n\nBeans like sun.\n")
    visible = engine.articles()
    whole = Searcher(engine.store)
    partial = Searcher(engine.store)
    for searcher in (whole, partial):
        searcher.IN_MEMORY_ARTICLES = searcher.IN_MEMORY_SENTENCES = 0
    whole.PARTIAL = False
    for question in [*QUESTIONS, "When do runner beans climb?", "Who said China and Russia?",
                     "How many metres do beans climb?"]:
        vector = engine.embed_model.embed([question])[0]
        expected = whole.retrieve(question, vector, visible)
        got = partial.retrieve(question, vector, visible)
        assert any(isinstance(c.state, PartialState) for c in got.candidates)
        assert [(c.article, c.index) for c in got.candidates] == \
            [(c.article, c.index) for c in expected.candidates]
        assert np.array_equal(got.matrix, expected.matrix)
        for c, e in zip(got.candidates, expected.candidates):
            assert c.sentence == e.sentence
            assert c.state.stored.sentences[c.index] == e.state.stored.sentences[e.index]
            assert len(c.state.stored.sentences) == len(e.state.stored.sentences)
            number = c.sentence.paragraph
            assert c.state.stored.article.paragraph(number) == \
                e.state.stored.article.paragraph(number)
    assert not partial._states.items  # no whole article was loaded

    # every paragraph's text of a partly loaded article, read in pages
    partial.PARAGRAPH_PAGE = 2
    state = PartialState(engine.article(), partial, partial.lexical(visible))
    assert partial._paragraph_texts(state) == \
        tuple(whole.state(engine.article()).stored.article.paragraphs)


def test_too_few_usable_hits_widen_the_unfiltered_query_before_filtering(fresh_settings):
    """When the nearest records are unusable (copies of one paragraph's record in many
    articles, other servers' articles), a wider unfiltered query comes before the filtered one,
    which scans the metadata of the whole store (seconds at 666k records)."""
    engine = _library(fresh_settings)
    visible = engine.articles()
    searcher = Searcher(engine.store, top_k=4)
    searcher.IN_MEMORY_ARTICLES = searcher.IN_MEMORY_SENTENCES = 0
    calls = []
    real = searcher._chroma_hits

    def recorded(vector, infos, k, keys):
        calls.append((infos is not None, k))
        got = real(vector, infos, k, keys)
        return got if k > 4 * searcher.OVERFETCH else []  # the first, narrow query: unusable

    searcher._chroma_hits = recorded
    vector = engine.embed_model.embed(["What do beans climb?"])[0]
    hits = searcher._dense_hits(vector, visible, 1000)
    assert calls == [(False, 8), (False, 4 * searcher.WIDE_OVERFETCH)]  # never the filtered one
    assert len(hits) == 4 and {key[0] for key, _ in hits} <= {i.id for i in visible}


def test_record_ids_tell_what_the_metadata_tells(fresh_settings):
    """The library query asks Chroma for ids only: each record's id names its article,
    version and level exactly as its metadata does."""
    from index.store import parse_sentence_id, sentence_key

    engine = _library(fresh_settings)
    engine.add_article("odd.md", text="# Odd ids\n\nA sentence. Another one.\n",
                       article_id="odd::id")  # even an id holding the separator
    got = engine.store.collection.get(include=["metadatas"])
    levels = set()
    for record, meta in zip(got["ids"], got["metadatas"]):
        levels.add(meta["level"])
        expected = ((meta["article"], meta["version"]) if meta["level"] == "sentence" else None)
        assert sentence_key(record) == expected, record
        if meta["level"] == "sentence":
            assert parse_sentence_id(record)[2:] == (meta["paragraph"], meta["sentence"])
    assert levels == {"article", "paragraph", "sentence"}
    assert sentence_key("odd::id::v1::p1::s0") == ("odd::id", "v1")


def test_the_visible_list_is_reused_until_the_library_changes(fresh_settings):
    """The engine hands the searcher the same visible list while nothing changed (the
    searcher keeps what it derives from it), and a fresh one after an article is added."""
    engine = _library(fresh_settings)
    first = engine.articles()
    assert engine.articles() is first
    assert engine.articles("4242") is not first  # another server sees its own article too
    assert "4242-tea" in {i.id for i in engine.articles("4242")}
    engine.ask("What do beans climb?", library=True)
    assert engine.searcher._view(first) is engine.searcher._view(first)
    engine.add_article("pond.md", text="# Pond\n\nFrogs sing at night.\n")
    again = engine.articles()
    assert again is not first and "pond" in {i.id for i in again}
    answer = engine.ask("When do frogs sing?", library=True)
    assert answer.quotes and answer.quotes[0].article == "pond"


def test_the_stacked_library_search_is_the_per_article_search_merged(fresh_settings):
    """In memory, a library's sentence vectors are searched as one stacked matrix: the hits are
    each article's own best sentences, merged by cosine, whatever the top-k boundary."""
    import numpy as np

    engine = _library(fresh_settings)
    visible = engine.articles()
    for top_k in (3, 7, 40):
        searcher = Searcher(engine.store, top_k=top_k)
        for question in QUESTIONS:
            vector = engine.embed_model.embed([question])[0]
            got = searcher._dense_hits(vector, visible, 0)
            scored = sorted(((float(searcher.state(i).stored.sentence_vectors[k] @ vector),
                              (i.id, i.version), k)
                             for i in visible
                             for k in range(len(searcher.state(i).stored.sentences))),
                            key=lambda h: -h[0])
            assert len(got) == min(top_k, len(scored))
            want = [(key, k) for _, key, k in scored[:top_k]]
            cosine = {(key, k): s for s, key, k in scored}
            # the same hits, in the same order up to sentences with equal cosines
            assert np.allclose([cosine[h] for h in got], [cosine[h] for h in want], atol=1e-6)
            assert set(got) == set(want) or cosine[want[-1]] == cosine[got[-1]]


def test_soft_match_meets_a_paraphrase_and_reuses_what_it_computed(fresh_settings):
    """A sentence saying the question's words in other words gets a higher soft_match than
    one that shares none; the sentences' word pieces are computed once."""
    from index.retrieval import F

    engine = Engine.open(fresh_settings)
    engine.add_article("war.md", text="# Notes\n\nThe conflict started in 1754.\n\n"
                       "Bananas are yellow fruit grown in the tropics.\n")
    info = {i.id: i for i in engine.articles()}["war"]
    searcher = Searcher(engine.store)
    calls = []
    model = engine.store.embed_model
    original = model.token_vectors

    class Counting:  # the store's model, counting the texts it encodes word by word
        def __getattr__(self, name):
            return getattr(model, name)

        def token_vectors(self, texts, skip=frozenset()):
            calls.append(list(texts))
            return original(texts, skip)

    searcher.store = type("S", (), {"embed_model": Counting(),
                                    "__getattr__": lambda s, n: getattr(engine.store, n)})()
    question = "When did the war begin?"
    vector = engine.embed_model.embed([question])[0]
    found = searcher.retrieve(question, vector, [info]).candidates
    soft = {c.sentence.text: c.features[F["soft_match"]] for c in found}
    assert soft["The conflict started in 1754."] > soft[
        "Bananas are yellow fruit grown in the tropics."] + 0.2
    encoded = [t for texts in calls[1:] for t in texts]
    assert sorted(encoded) == sorted(soft)  # every candidate once, besides the question
    calls.clear()
    searcher.retrieve(question, vector, [info])
    assert calls == [[question]]  # the sentences' pieces came from the cache


def test_soft_match_weighs_a_rare_word_more(engine):
    """Each question piece counts by its word's idf, as in idf_overlap: the pieces of
    "Dyrrachium" (idf 5) five times one of "Normans" (idf 1); without idf, all alike."""
    import numpy as np

    searcher = Searcher(engine.store)
    skip = frozenset(searcher.terms.stop)
    question = "When did the Normans take Dyrrachium?"
    model = engine.store.embed_model
    count = len(model.token_vectors([question], skip)[0])
    spans = model.token_spans(question, skip)
    assert len(spans) == count
    weights = searcher._piece_weights(question, skip, count,
                                      {"norman": 1.0, "take": 2.0, "dyrrachium": 5.0})
    assert abs(float(weights.sum()) - 1.0) < 1e-6
    word = {k: question[a:b] for k, (a, b) in enumerate(spans)}
    normans = [weights[k] for k, w in word.items() if "orman" in w.lower()]
    rare = [weights[k] for k in word if question.index("Dyrrachium") <= spans[k][0]]
    assert normans and rare and all(abs(r - 5 * normans[0]) < 1e-6 for r in rare)
    assert np.allclose(searcher._piece_weights(question, skip, count, {}), 1 / count)


def test_the_lexical_confidence_cue_does_not_grow_with_the_library(fresh_settings):
    """A raw BM25 grows with the corpus searched (so does idf): the confidence reads it as a
    share of the question's summed idf, which stays put, so the same question is about as
    sure of its answer in a library as in its own article."""
    import numpy as np

    from bot.scorer import CONFIDENCE_FEATURES, question_features
    from index.retrieval import F

    engine = _library(fresh_settings)
    body = BUNDLED.read_text(encoding="utf-8").split("\n", 1)[1]
    for k in range(4):  # the bundled text again, four times, with the question's names changed
        text = body.replace("Putin", f"Smith{k}").replace("Hong Kong", f"Lisbon{k}")
        engine.add_article(f"copy{k}.md", text=f"# Copy {k}\n{text}")
    bundled = {i.id: i for i in engine.articles()}["china-russia-solidarity"]
    question = "What did Putin say about Hong Kong?"
    vector = engine.embed_model.embed([question])[0]
    cue = CONFIDENCE_FEATURES.index("top_lexical_share")
    seen = {}
    for name, scope in (("alone", [bundled]), ("library", engine.articles())):
        evidence = Searcher(engine.store).retrieve(question, vector, scope)
        matrix = evidence.matrix
        scores = np.zeros(len(matrix))
        seen[name] = (float(matrix[:, F["bm25_log"]].max()),
                      question_features(evidence, scores)[cue])
    assert seen["library"][0] > seen["alone"][0] + 0.2  # raw BM25: higher in the library
    assert 0.0 < seen["alone"][1] <= 1.5
    assert abs(seen["library"][1] - seen["alone"][1]) < 0.1 * seen["alone"][1]


def test_a_questions_pronouns_are_not_searched_for(engine):
    """The "she" of "when did she die?" counted for every sentence of a biography that says
    "she": a question's pronouns name no one the text can be searched for (whoever they mean
    is in the conversation). "us" stays, being also the United States."""
    searcher = Searcher(engine.store)
    vector = engine.store.embed_model.embed(["x"])[0]
    found = searcher.retrieve("When did she say his mother died?", vector, [engine.article()])
    assert found.query_terms == searcher.terms("When did mother died?") == ["mother", "die"]
    assert "us" in searcher.retrieve("What did the US do?", vector,
                                     [engine.article()]).query_terms


def test_a_misspelt_question_word_is_searched_as_the_article_spells_it(engine):
    """A term no searched article holds is replaced by the one it holds a typing slip away
    ("Shangai" → "shanghai", "Puttin" → "putin", two letters swapped: "Raod" → "road"), so
    that BM25 and the word overlaps meet it. Terms are compared stemmed ("Coopration" stays
    "cooprat", far from "cooper"); a word with nothing near it, a short one and an initialism
    stay as typed, and so stay unknown."""
    searcher = Searcher(engine.store)
    info = engine.article()
    vector = engine.store.embed_model.embed(["x"])[0]
    typed = searcher.retrieve("What did Puttin say about the Shangai Cooperation Organization?",
                              vector, [info])
    right = searcher.retrieve("What did Putin say about the Shanghai Cooperation Organization?",
                              vector, [info])
    assert typed.query_terms == right.query_terms and not typed.unknown_terms
    assert [c.index for c in typed.candidates] == [c.index for c in right.candidates]
    lexical = searcher.lexical(searcher._view([info]))
    assert lexical.respell(["borscht", "raod", "hnog", "rdao", "acr_us", "1979"]) == [
        "borscht", "road", "hong", "rdao", "acr_us", "1979"]
    assert "borscht" in searcher.retrieve("borscht recipe", vector, [info]).unknown_terms


def test_the_rest_of_a_name_the_article_gives_in_part_is_not_unknown(engine):
    """The bundled article says "Xi" and "Putin": "Jinping" beside "Xi", "Vladimir" beside
    "Putin" and "Puttin" name people it mentions, so they count neither as unknown words nor as unknown
    names (the confidence reads both); a name it never gives stays unknown, whole or alone,
    and a sentence's first word is no evidence of a name."""
    searcher = Searcher(engine.store)
    info = engine.article()
    vector = engine.store.embed_model.embed(["x"])[0]

    def unknown(question):
        evidence = searcher.retrieve(question, vector, [info])
        return evidence.unknown_terms, evidence.unknown_words, evidence.unknown_names

    assert unknown("What did Xi Jinping say about the UN?") == ([], [], [])
    assert unknown("What did Vladimir Putin say about Hong Kong?") == ([], [], [])
    terms, words, names = unknown("What did Sergey Lavrov say?")
    assert names == ["Sergey", "Lavrov"] and {"sergey", "lavrov"} <= set(terms)
    assert unknown("What does Jinping think?")[2] == ["Jinping"]
    assert "Biden" in unknown("What did President Joe Biden say?")[2]
    assert unknown("China Jinping?")[2] == ["Jinping"]  # "China" opens the question
    # a slip of a name the sentences found use is that name ("Puttin": Putin), as
    # bot.answer reads the people asked about
    assert unknown("What did Puttin say about Hong Kong?") == ([], [], [])


def test_a_word_spelt_as_meant_is_not_taken_for_a_slip_of_another(fresh_settings):
    """A real word the article lacks is not a typing slip of one it holds: "flee" is not
    "fleet", "located" is not "local", "trader" is not "trade" (on the public SQuAD questions
    such words were 3 of every 4 terms respelt; "bought" and "brought" were, until irregular
    forms were searched as "buy" and "bring"). The model's vocabulary tells them apart:
    "flee" is one of its words, "ptuin" and "hnog" are not."""
    from bot.engine import Engine
    from index.terms import known_words

    engine = Engine.open(fresh_settings)
    info, _ = engine.add_article("fleet.md", text=(
        "# The Fleet\n\nThe fleet brought local trade to Putin's port in Hong Kong.\n"))
    searcher = Searcher(engine.store)
    lexical = searcher.lexical(searcher._view([info]))
    vocabulary = set(lexical.vocabulary)
    assert {"fleet", "local", "trade", "bring"} <= vocabulary  # the article's words
    assert not {"flee", "locat", "trader"} & vocabulary  # not the words asked about
    question = "Who had to flee, and where was the place located that the trader used? Ptuin, Hnog"
    kept = searcher.spelt_as_meant(question)
    assert {"flee", "locat", "trader"} <= kept and not {"ptuin", "hnog"} & kept
    assert lexical.respell(["flee", "locat", "trader", "ptuin", "hnog"], keep=kept) == [
        "flee", "locat", "trader", "putin", "hong"]
    assert lexical.respell(["flee", "locat", "trader"]) == ["fleet", "local", "trade"]
    assert {"flee", "putin", "hong", "road"} <= known_words() and not {
        "ptuin", "hnog", "raod", "goverment", "##ing"} & known_words()


@pytest.mark.parametrize("typed, known, found", [
    ("puttin", ["putin", "pompeo"], "putin"),
    ("raod", ["road", "russia"], "road"),  # a swap: difflib's ratio is 0.75
    ("hnog", ["hong", "kong"], "hong"),
    ("rdao", ["road"], None),  # two swaps
    ("oard", ["road"], None),  # the first letter differs
    ("rod", ["road"], None),  # too short
    ("borscht", ["bond", "border"], None),
])
def test_a_typing_slip_is_one_letter_off_or_two_swapped(typed, known, found):
    from index.terms import closest_spelling

    assert closest_spelling(typed, known) == found


# -- the caches --------------------------------------------------------------------------------

def test_a_cached_value_is_made_once_however_many_threads_ask_meanwhile():
    import threading
    import time

    from index.retrieval import _LRU

    cache, made, started = _LRU(10), [], threading.Event()

    def make():
        made.append(threading.get_ident())
        started.set()
        time.sleep(0.2)
        return object()

    got = []
    first = threading.Thread(target=lambda: got.append(cache.get("k", make)))
    first.start()
    started.wait(5)
    others = [threading.Thread(target=lambda: got.append(cache.get("k", make)))
              for _ in range(3)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(5)
    assert len(made) == 1 and len(got) == 4 and all(value is got[0] for value in got)
    assert cache.get("k", make) is got[0] and len(made) == 1


def test_a_failure_reaches_every_waiting_thread_and_is_not_cached():
    import threading
    import time

    from index.retrieval import _LRU

    cache, started, calls = _LRU(10), threading.Event(), []

    def failing():
        calls.append(1)
        started.set()
        time.sleep(0.2)
        raise ValueError("the store is gone")

    errors = []

    def ask():
        try:
            cache.get("k", failing)
        except ValueError as error:
            errors.append(str(error))

    first = threading.Thread(target=ask)
    first.start()
    started.wait(5)
    second = threading.Thread(target=ask)
    second.start()
    first.join(5)
    second.join(5)
    assert errors == ["the store is gone"] * 2 and len(calls) == 1
    assert cache.get("k", lambda: "made again") == "made again"  # a failure is not kept


def test_making_a_value_may_ask_for_the_same_key_again_in_the_same_thread():
    from index.retrieval import _LRU

    cache = _LRU(10)
    assert cache.get("k", lambda: cache.get("k", lambda: "inner") + " outer") == "inner outer"
    assert cache.get("k", lambda: "not made") == "inner outer"


@pytest.mark.parametrize("text, initials", [
    ("The United States said so.", ["acr_us"]),
    ("In the United States it did.", ["acr_us"]),
    ("The North Atlantic Treaty Organization was founded.", ["acr_nato"]),
    ("The Bank of England rose.", ["acr_be"]),  # as "Bank of England" always gave
    ("Who founded the Shanghai Cooperation Organization?", ["acr_sco"]),
    ("U.S. officials met NATO.", ["acr_us", "acr_nato"]),
])
def test_a_name_opening_a_sentence_has_the_initials_of_its_own_words(text, initials):
    """A capitalised "The" before a name at a sentence's start was counted in its initials
    ("The United States" gave TUS, so "US" or "U.S." missed it on the lexical side)."""
    from index.terms import acronyms

    assert acronyms(text) == initials


@pytest.mark.parametrize("pattern, question, text, new", [
    (NUMBER, "How many cases of COVID-19 were there?", "The COVID-19 crisis grew.", False),
    (NUMBER, "How many cases of COVID-19 were there?", "It had 1,200 cases in May.", True),
    (NUMBER, "How many people live in China?", "a country of 1.4 billion people", True),
    (NUMBER, "How many of the two sides agreed?", "Two sides met.", False),
    (DATE, "When did the 1973 oil crisis end?", "The 1973 crisis was severe.", False),
    (DATE, "When did the 1973 oil crisis end?", "It ended in March 1974.", True),
    (DATE, "When did ties begin?", "Ties began in 1979.", True),
])
def test_a_number_or_date_counts_only_when_the_question_does_not_name_it(pattern, question,
                                                                         text, new):
    """The answer-type features (``type_number``, ``type_date``) and the confidence's
    ``type_unmet`` ask for a number or date besides the question's own."""
    assert names_new(pattern, text, named_values(pattern, question)) is new
