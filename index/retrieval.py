"""Hybrid retrieval over a library of articles: one dense search and one lexical search.

A question is searched over a set of article versions (one article, or every article visible
in a server) in one pass:

- **dense**: exact cosine over the articles' loaded sentence vectors when the set is small (up
  to 20,000 sentences), otherwise one query of the Chroma collection (the records LlamaIndex's
  ``ChromaVectorStore`` wrote), whose hits outside the set (other servers' articles, replaced
  versions, paragraph records) are dropped here; a Chroma ``where`` filter is used only when
  too few hits remain, because Chroma evaluates it over the metadata of the whole collection;
- **lexical**: BM25 (bm25s) over the same sentences, one index for the whole set. bm25s is used
  directly rather than through LlamaIndex's ``BM25Retriever`` because the scorer needs the BM25
  score of *every* candidate (also those only the dense side found), and the tokens include
  initialisms (``U.S.`` = ``US`` = ``United States``), which that wrapper's tokenizer drops.

Every candidate then gets the same fixed feature vector (:data:`FEATURES`), which the fitted
scorer in :mod:`bot.scorer` turns into a score. Per-article state (vectors, term sets) is loaded
lazily and kept in an LRU bounded by memory, so a large library does not fill the process.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from index.article import Sentence
from index.errors import StaleIndex, StoreError
from index.store import ArticleStore, StoredArticle

log = logging.getLogger(__name__)

TOKEN = re.compile(r"(?u)\b\w\w+\b")
# "U.S.", "U.S.A.", "e.g." (two or more single letters with dots)
DOTTED = re.compile(r"\b((?:[A-Za-z]\.){2,})")
ALLCAPS = re.compile(r"\b[A-Z]{2,6}s?\b")
# Two to five capitalised words ("United States", "Shanghai Cooperation Organization"),
# allowing "of", "and", "for", "the" inside ("Bank of England").
CAPRUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:of|and|for|the)\s+)?[A-Z][a-z]+){1,4}\b")
MINOR = {"of", "and", "for", "the"}

FEATURES = (
    "dense", "dense_gap", "lexical", "bm25_log", "context", "context_gap", "overlap",
    "para_overlap", "window_overlap", "neighbour_dense", "dense_rr", "lexical_rr",
    "type_number", "type_date", "type_name", "novelty", "length", "fragment", "position",
    "title_overlap", "para_lexical", "rerank",
    # The candidate's article as a whole against the others searched (constant within one
    # article, so they only matter when a question searches a library).
    "article_dense", "article_lexical", "article_share", "article_title",
    "bigram", "para_bigram",
)
F = {name: i for i, name in enumerate(FEATURES)}

# What kind of answer is wanted: "how many" wants a number, "when" a date, "who" a name.
QUANTITY_CUE = re.compile(r"\bhow (?:many|much|large|big|long|old|far|high|often)\b|\bwhat "
                          r"(?:number|share|percentage|proportion|amount|size)\b", re.I)
NUMBER = re.compile(r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    r"twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|"
                    r"percent|dozen|half)\b", re.I)
TIME_CUE = re.compile(r"\bwhen\b|\b(?:what|which) (?:year|years|century|decade|date|day|month|"
                      r"period|era|time)\b|\bsince when\b|\bhow long ago\b", re.I)
DATE = re.compile(r"\b(?:1\d\d\d|20\d\d|\d{1,2}(?:st|nd|rd|th) century|\d0s|January|February|"
                  r"March|April|May|June|July|August|September|October|November|December|"
                  r"century|centuries|decade|yesterday|today|ago|BC|AD)\b")
NAME_CUE = re.compile(r"\b(?:who|whom|whose|where|which (?:country|city|person|group|company|"
                      r"organi[sz]ation|state|region|nation|man|woman|king|leader))\b", re.I)
CAPITALISED = re.compile(r"\b[A-Z][\w’'-]+")


def normalise(text: str) -> str:
    """Text as people paste it, made searchable: Unicode NFKC, invisible format characters
    (zero-width joiners and spaces, soft hyphens) dropped, typographic apostrophes unified."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.replace("’", "'").replace("‘", "'")


def fold(text: str) -> str:
    """Accents dropped, for matching only ("Beyonce" finds "Beyoncé")."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def acronyms(text: str) -> list[str]:
    """Initialism tokens, so that "U.S.", "US" and "United States" meet: ``acr_us``."""
    found: list[str] = []
    for match in DOTTED.finditer(text):
        found.append(match.group(1).replace(".", "").lower())
    for match in ALLCAPS.finditer(text):
        found.append(match.group(0).rstrip("s").lower() if match.group(0).endswith("s")
                     and match.group(0)[:-1].isupper() else match.group(0).lower())
    for match in CAPRUN.finditer(text):
        words = [w for w in match.group(0).split() if w not in MINOR]
        if len(words) >= 2:
            found.append("".join(w[0] for w in words).lower())
    return [f"acr_{a}" for a in found]


class Terms:
    """Stemmed content words (English Snowball stemmer, bm25s' stop words, question words),
    plus initialism tokens; the same for questions, sentences and the BM25 index."""

    def __init__(self) -> None:
        import Stemmer
        from bm25s.stopwords import STOPWORDS_EN

        self.stemmer = Stemmer.Stemmer("english")
        self.stop = set(STOPWORDS_EN) | QUESTION_WORDS

    def __call__(self, text: str) -> list[str]:
        text = fold(normalise(text))
        words = [w for w in TOKEN.findall(text.lower()) if w not in self.stop]
        return self.stemmer.stemWords(words) + acronyms(text)


# Words that say what kind of answer is wanted, not what it is about.
QUESTION_WORDS = {
    "what", "which", "who", "whom", "whose", "why", "how", "when", "where", "does", "did", "do",
    "say", "says", "said", "article", "author", "authors", "text", "tell", "mention", "mentions",
    "mentioned", "according", "about", "describe", "described", "explain", "many", "much",
    "kind", "is", "are", "was", "were", "be", "being", "been", "the", "there", "passage",
    "paragraph", "also", "really", "exactly", "anything", "something", "regarding",
    "concerning",
}


@dataclass
class ArticleState:
    """One article version ready for scoring: its vectors and per-sentence term sets."""

    stored: StoredArticle
    tokens: list[list[str]]  # per sentence, as indexed by BM25
    terms: list[set[str]]
    paragraph_terms: list[set[str]]
    vocabulary: set[str]
    context_vectors: np.ndarray  # per paragraph: normalised mean of its sentence vectors
    title_terms: set[str]
    numbers: np.ndarray  # per sentence: has a number
    dates: np.ndarray  # per sentence: has a date
    caps: list[set[str]]  # per sentence: capitalised words (lower-cased), first word excluded
    positions: dict[str, int] = field(default_factory=dict)  # sentence record id -> index

    @property
    def key(self) -> tuple[str, str]:
        return self.stored.info.id, self.stored.info.version

    def paragraph_pairs(self, number: int) -> set[tuple[str, str]]:
        """Adjacent content-word pairs of paragraph ``number``'s sentences."""
        cache = self.__dict__.setdefault("_pairs", {})
        if number not in cache:
            cache[number] = {pair for s, t in zip(self.stored.sentences, self.tokens)
                             if s.paragraph == number for pair in zip(t, t[1:])}
        return cache[number]

    @property
    def nbytes(self) -> int:
        return (self.stored.sentence_vectors.nbytes + self.stored.paragraph_vectors.nbytes
                + self.context_vectors.nbytes + 400 * len(self.stored.sentences))

    @classmethod
    def build(cls, stored: StoredArticle, terms: Terms) -> "ArticleState":
        tokens = [terms(s.text) for s in stored.sentences]
        sentence_terms = [set(t) for t in tokens]
        paragraphs = stored.article.paragraphs
        paragraph_terms = [set() for _ in paragraphs]
        for s, t in zip(stored.sentences, sentence_terms):
            paragraph_terms[s.paragraph - 1] |= t
        vocabulary = set(terms(stored.article.title)).union(*paragraph_terms)
        caps = [{w.lower() for w in CAPITALISED.findall(s.text)[1:]} for s in stored.sentences]
        return cls(stored=stored, tokens=tokens, terms=sentence_terms, paragraph_terms=paragraph_terms,
                   vocabulary=vocabulary, context_vectors=stored.whole_paragraph_vectors,
                   title_terms=set(terms(stored.article.title)),
                   numbers=np.array([bool(NUMBER.search(s.text)) for s in stored.sentences]),
                   dates=np.array([bool(DATE.search(s.text)) for s in stored.sentences]),
                   caps=caps, positions={sid: i for i, sid in enumerate(stored.sentence_ids)})


@dataclass
class Candidate:
    state: ArticleState
    index: int  # position in state.stored.sentences
    features: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURES), np.float32))
    score: float = 0.0

    @property
    def sentence(self) -> Sentence:
        return self.state.stored.sentences[self.index]

    @property
    def article(self) -> str:
        return self.state.stored.info.id

    @property
    def dense(self) -> float:
        return float(self.features[F["dense"]])

    @property
    def overlap(self) -> float:
        return float(self.features[F["overlap"]])


@dataclass
class Evidence:
    """What retrieval found for one question: candidates and whole-library cues."""

    candidates: list[Candidate]
    query_terms: list[str]  # stemmed content words of the question
    unknown_terms: list[str]  # those that occur in none of the searched articles
    unknown_names: list[str] = field(default_factory=list)  # capitalised words among those

    @property
    def matrix(self) -> np.ndarray:
        if not self.candidates:
            return np.zeros((0, len(FEATURES)), dtype=np.float32)
        return np.stack([c.features for c in self.candidates])


class _LRU:
    """A small thread-safe LRU bounded by total size (``size(value)``)."""

    def __init__(self, budget: int, size=lambda value: 1) -> None:
        self.budget, self.size = budget, size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, make):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()  # outside the lock: loading may be slow
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            total = sum(self.size(v) for v in self.items.values())
            while len(self.items) > 1 and total > self.budget:
                _, evicted = self.items.popitem(last=False)
                total -= self.size(evicted)
        return value

    def peek(self, key):
        with self.lock:
            return self.items.get(key)

    def drop(self, predicate) -> None:
        with self.lock:
            for key in [k for k in self.items if predicate(k)]:
                del self.items[key]


class LexicalIndex:
    """BM25 over the sentences of a set of article versions (one index for the whole set)."""

    def __init__(self, keys: tuple[tuple[str, str], ...], docs: list[tuple[tuple[str, str], int]],
                 tokens: list[list[str]], paragraphs: list[tuple[tuple[str, str], int]],
                 paragraph_tokens: list[list[str]], title_tokens: set[str]) -> None:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.keys = keys
        self.docs = docs  # doc i -> (article key, sentence index)
        self.where = {doc: i for i, doc in enumerate(docs)}
        self.paragraphs = {doc: i for i, doc in enumerate(paragraphs)}  # (key, number) -> i
        self.bm25 = bm25s.BM25()
        self.bm25.index([t or ["\u2400"] for t in tokens], show_progress=False)
        self.bm25p = bm25s.BM25()
        self.bm25p.index([t or ["\u2400"] for t in paragraph_tokens], show_progress=False)
        # every word of the searched articles (and their titles): what a question may lack
        self.vocabulary = set(self.bm25.vocab_dict) | title_tokens

    @staticmethod
    def _scores(bm25, size: int, terms: list[str]) -> np.ndarray:
        known = [t for t in terms if t in bm25.vocab_dict]
        if not known or not size:
            return np.zeros(size, dtype=np.float32)
        return bm25.get_scores(known)

    def scores(self, terms: list[str]) -> np.ndarray:
        """BM25 of every sentence."""
        return self._scores(self.bm25, len(self.docs), terms)

    def paragraph_scores(self, terms: list[str]) -> np.ndarray:
        """BM25 of every paragraph (indexed by ``self.paragraphs``)."""
        return self._scores(self.bm25p, len(self.paragraphs), terms)


LEXICAL_BUDGET = 400_000  # sentences over all cached lexical indexes


class Searcher:
    """Finds and describes candidate sentences for a question over any set of articles."""

    def __init__(self, store: ArticleStore, *, top_k: int = 40,
                 memory_budget: int = 512 * 2**20, reranker=None) -> None:
        self.store = store
        self.top_k = top_k
        self.reranker = reranker
        self._states = _LRU(memory_budget, size=lambda s: s.nbytes)
        # Lexical indexes by visibility set (the global library, a server's, single articles),
        # bounded by the sentences they hold.
        self._lexical = _LRU(LEXICAL_BUDGET, size=lambda ix: len(ix.docs) + 1)

    @cached_property
    def terms(self) -> Terms:
        return Terms()

    def state(self, info) -> ArticleState:
        """The article version ``info`` (an ``ArticleInfo``), loaded once and kept in the LRU.
        ``StaleIndex`` when that version has been replaced since ``info`` was read."""

        def load() -> ArticleState:
            stored = self.store.load(info.id)
            if stored.info.version != info.version:
                raise StaleIndex(f"“{info.id}” was re-indexed meanwhile.")
            return ArticleState.build(stored, self.terms)

        return self._states.get((info.id, info.version), load)

    def forget(self, article_ids: set[str]) -> None:
        self._states.drop(lambda key: key[0] in article_ids)
        self._lexical.drop(lambda keys: any(k[0] in article_ids for k in keys))

    def lexical(self, infos) -> LexicalIndex:
        keys = tuple(sorted((i.id, i.version) for i in infos))

        def build() -> LexicalIndex:
            # From the texts alone: a library's vectors are loaded only for the articles a
            # question's candidates come from.
            docs, tokens, paragraphs, paragraph_tokens = [], [], [], []
            titles: set[str] = set()
            texts = self.store.sentence_texts(infos)
            for info in infos:
                key = (info.id, info.version)
                state = self._states.peek(key)
                if state is not None:
                    sentence_tokens = state.tokens
                    numbers = [s.paragraph for s in state.stored.sentences]
                else:
                    rows = texts.get(key, [])
                    sentence_tokens = [self.terms(t) for _, t in rows]
                    numbers = [p for p, _ in rows]
                titles.update(self.terms(info.title))
                docs.extend((key, i) for i in range(len(sentence_tokens)))
                tokens.extend(sentence_tokens)
                grouped: dict[int, list[str]] = {}
                for number, t in zip(numbers, sentence_tokens):
                    grouped.setdefault(number, []).extend(t)
                for number, t in grouped.items():
                    paragraphs.append((key, number))
                    paragraph_tokens.append(t)
            return LexicalIndex(keys, docs, tokens, paragraphs, paragraph_tokens, titles)

        return self._lexical.get(keys, build)

    def warm(self, infos) -> None:
        _ = self.terms
        self.lexical(infos)

    # Up to this many articles, or sentences in all, the dense search runs in memory over their
    # loaded vectors (exact, and no Chroma filter: a filtered query scans the metadata of the
    # whole collection); a larger library is searched by Chroma.
    IN_MEMORY_ARTICLES, IN_MEMORY_SENTENCES = 8, 20_000
    OVERFETCH = 2  # a library query asks Chroma for this many times top_k, unfiltered

    def _dense_hits(self, vector: np.ndarray, infos,
                    sentences: int) -> list[tuple[tuple[str, str], int]]:
        """The top sentences by cosine over the article versions ``infos`` (``sentences`` in
        all), as ``((id, version), sentence index)`` or ``((id, version), record id)``."""
        if len(infos) <= self.IN_MEMORY_ARTICLES or sentences <= self.IN_MEMORY_SENTENCES:
            hits = []
            for info in infos:
                state = self.state(info)
                scores = state.stored.sentence_vectors @ vector
                top = np.argsort(-scores)[:self.top_k]
                hits.extend((float(scores[i]), state.key, int(i)) for i in top)
            hits.sort(key=lambda h: -h[0])
            return [(key, i) for _, key, i in hits[:self.top_k]]
        visible = {(i.id, i.version) for i in infos}
        hits = self._chroma_hits(vector, None, self.top_k * self.OVERFETCH, visible)
        if len(hits) < self.top_k // 2:  # the visible articles are a small part of the store
            hits = self._chroma_hits(vector, infos, self.top_k, visible)
        return hits[:self.top_k]

    def _chroma_hits(self, vector: np.ndarray, infos, k: int, visible: set) -> list:
        """One Chroma query: unfiltered (``infos`` None; other articles, other levels and
        stale versions are dropped here) or filtered to ``infos``. It asks for metadata only:
        LlamaIndex's ``VectorIndexRetriever`` also fetches every hit's text and vector, which
        tripled the query's time on a 66,589-record library (16 ms against 6 ms)."""
        where = None
        if infos is not None:
            where = {"$and": [{"level": "sentence"},
                              {"article": {"$in": [i.id for i in infos]}},
                              {"version": {"$in": [i.version for i in infos]}}]}
        try:
            got = self.store.collection.query(query_embeddings=[vector.tolist()], n_results=k,
                                              where=where, include=["metadatas"])
        except Exception as error:  # chromadb raises many types; all mean "cannot search"
            raise StoreError(f"The article index cannot be searched ({type(error).__name__}: "
                             f"{str(error)[:200]}).") from error
        hits = []
        for record, meta in zip(got["ids"][0], got["metadatas"][0]):
            key = (meta.get("article"), meta.get("version"))
            if meta.get("level") == "sentence" and key in visible:
                hits.append((key, record))
        return hits

    def retrieve(self, question: str, vector: np.ndarray, infos, *,
                 lexical_text: str | None = None) -> Evidence:
        """Candidates for ``question`` over the article versions ``infos``, with features.
        Only the articles the candidates come from are loaded (through the LRU)."""
        infos = list(infos)
        by_key = {(i.id, i.version): i for i in infos}
        if len(infos) <= self.IN_MEMORY_ARTICLES:  # needed anyway; their lexical index is
            for info in infos:                     # then built from their tokens
                self.state(info)
        lexical = self.lexical(infos)
        terms = self.terms(lexical_text if lexical_text is not None else question)
        term_set = set(terms)

        chosen: dict[tuple[tuple[str, str], int], float] = {}
        states: dict[tuple[str, str], ArticleState] = {}
        for key, hit in self._dense_hits(vector, infos, len(lexical.docs)):
            if key not in states:
                states[key] = self.state(by_key[key])
            position = hit if isinstance(hit, int) else states[key].positions.get(hit)
            if position is not None:
                chosen[(key, position)] = 0.0
        bm25 = lexical.scores(terms)
        bm25p = lexical.paragraph_scores(terms)
        best_paragraph = float(bm25p.max()) if bm25p.size else 0.0
        if bm25.size:
            top = np.argpartition(-bm25, min(self.top_k, bm25.size - 1))[:self.top_k] \
                if bm25.size > self.top_k else np.arange(bm25.size)
            for d in top[np.argsort(-bm25[top])]:
                if bm25[d] > 0:
                    key = lexical.docs[d][0]
                    if key not in states:
                        states[key] = self.state(by_key[key])
                    chosen.setdefault(lexical.docs[d], 0.0)
        unknown = [t for t in dict.fromkeys(terms) if t not in lexical.vocabulary]
        if not chosen:
            return Evidence([], terms, unknown, self._unknown_names(question, lexical.vocabulary))

        candidates = [Candidate(states[key], i) for key, i in chosen]
        best_bm25 = float(bm25.max()) if bm25.size else 0.0
        n = len(candidates)
        dense = np.empty(n, np.float32)
        context = np.empty(n, np.float32)
        raw = np.empty(n, np.float32)
        for k, c in enumerate(candidates):
            stored = c.state.stored
            dense[k] = float(stored.sentence_vectors[c.index] @ vector)
            context[k] = float(c.state.context_vectors[c.sentence.paragraph - 1] @ vector)
            raw[k] = float(bm25[lexical.where[(c.state.key, c.index)]]) if bm25.size else 0.0
        dense_rank = np.empty(n, np.int64)
        dense_rank[np.argsort(-dense)] = np.arange(n)
        lexical_rank = np.empty(n, np.int64)
        lexical_rank[np.argsort(-raw)] = np.arange(n)
        wants_number = bool(QUANTITY_CUE.search(question))
        wants_date = bool(TIME_CUE.search(question))
        wants_name = bool(NAME_CUE.search(question))
        question_words = {w.lower() for w in TOKEN.findall(normalise(question))}
        pairs = set(zip(terms, terms[1:]))
        for k, c in enumerate(candidates):
            state, i, s = c.state, c.index, c.sentence
            stored = state.stored
            f = c.features
            f[F["dense"]] = dense[k]
            f[F["dense_gap"]] = dense[k] - dense.max()
            f[F["lexical"]] = raw[k] / best_bm25 if best_bm25 > 0 else 0.0
            f[F["bm25_log"]] = math.log1p(raw[k])
            f[F["context"]] = context[k]
            f[F["context_gap"]] = context[k] - context.max()
            if term_set:
                f[F["overlap"]] = len(term_set & state.terms[i]) / len(term_set)
                f[F["para_overlap"]] = (len(term_set & state.paragraph_terms[s.paragraph - 1])
                                        / len(term_set))
            window = set(state.terms[i])
            neighbours = []
            for j in (i - 1, i + 1):
                if 0 <= j < len(stored.sentences) and stored.sentences[j].paragraph == s.paragraph:
                    window |= state.terms[j]
                    neighbours.append(float(stored.sentence_vectors[j] @ vector))
            if term_set:
                f[F["window_overlap"]] = len(term_set & window) / len(term_set)
            f[F["neighbour_dense"]] = max(neighbours, default=0.0)
            f[F["dense_rr"]] = 1.0 / (1 + dense_rank[k])
            f[F["lexical_rr"]] = 1.0 / (1 + lexical_rank[k]) if raw[k] > 0 else 0.0
            f[F["type_number"]] = float(wants_number and bool(state.numbers[i]))
            f[F["type_date"]] = float(wants_date and bool(state.dates[i]))
            f[F["type_name"]] = float(wants_name and bool(state.caps[i] - question_words))
            f[F["novelty"]] = (len(state.terms[i] - term_set) / len(state.terms[i])
                               if state.terms[i] else 0.0)
            f[F["length"]] = math.log1p(len(s.text)) / 6.0
            f[F["fragment"]] = float(len(s.text.split()) < 4)
            f[F["position"]] = (s.paragraph - 1) / max(len(stored.article.paragraphs) - 1, 1)
            if best_paragraph > 0:
                at = lexical.paragraphs.get((state.key, s.paragraph))
                f[F["para_lexical"]] = float(bm25p[at]) / best_paragraph if at is not None else 0.0
            if pairs:  # the question's phrases ("Hong Kong", "oil crisis"), in order
                tokens = state.tokens[i]
                f[F["bigram"]] = len(pairs & set(zip(tokens, tokens[1:]))) / len(pairs)
                f[F["para_bigram"]] = len(pairs & state.paragraph_pairs(s.paragraph)) / len(pairs)
            if state.title_terms:
                f[F["title_overlap"]] = len(state.title_terms & state.terms[i]) / len(
                    state.title_terms)
        self._article_features(candidates, term_set)
        if self.reranker is not None:
            self._rerank(question, candidates, dense)

        return Evidence(candidates=candidates, query_terms=terms, unknown_terms=unknown,
                        unknown_names=self._unknown_names(question, lexical.vocabulary))

    @staticmethod
    def _article_features(candidates: list[Candidate], term_set: set[str]) -> None:
        """How well each candidate's article as a whole matches, against the other articles
        searched: its best sentence's cosine (to the best overall), its best paragraph's BM25,
        its share of the candidates, and the title words the question uses."""
        best_dense = max(c.features[F["dense"]] for c in candidates)
        by_article: dict[tuple[str, str], list[Candidate]] = {}
        for c in candidates:
            by_article.setdefault(c.state.key, []).append(c)
        for group in by_article.values():
            state = group[0].state
            dense = max(c.features[F["dense"]] for c in group) - best_dense
            lexical = max(c.features[F["para_lexical"]] for c in group)
            share = len(group) / len(candidates)
            title = (len(term_set & state.title_terms) / len(state.title_terms)
                     if state.title_terms else 0.0)
            for c in group:
                c.features[F["article_dense"]] = dense
                c.features[F["article_lexical"]] = lexical
                c.features[F["article_share"]] = share
                c.features[F["article_title"]] = title

    RERANK_TOP = 24

    def _rerank(self, question: str, candidates: list[Candidate], dense: np.ndarray) -> None:
        """The cross-encoder's logit for the most promising candidates (the others get the
        lowest logit seen), so its cost is bounded per question."""
        first = np.argsort(-np.array([c.features[F["dense"]] + 0.5 * c.features[F["lexical"]]
                                      for c in candidates]))[:self.RERANK_TOP]
        texts = [candidates[k].sentence.text for k in first]
        logits = self.reranker.score(question, texts)
        floor = float(logits.min()) if len(logits) else 0.0
        for c in candidates:
            c.features[F["rerank"]] = floor
        for k, logit in zip(first, logits):
            candidates[k].features[F["rerank"]] = float(logit)

    def _unknown_names(self, question: str, vocabulary: set[str]) -> list[str]:
        """Capitalised words inside the question (names: "Biden", "Syria") that no searched
        article uses: a strong sign that it is about something else."""
        words = TOKEN.findall(fold(normalise(question)))
        names = [w for w in words[1:] if w[0].isupper() and w.lower() not in self.terms.stop]
        return [w for w in names if not set(self.terms(w)) <= vocabulary]

