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
  The index is built from the terms the store wrote with each paragraph at indexing time
  (:meth:`ArticleStore.stored_terms`), into flat arrays (:class:`LexicalIndex`).

Every candidate then gets the same fixed feature vector (:data:`FEATURES`), which the fitted
scorer in :mod:`bot.scorer` turns into a score. Per-article state (vectors, term sets) is loaded
lazily and kept in an LRU bounded by memory, so a large library does not fill the process.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from index.article import Sentence
from index.errors import StaleIndex, StoreError
from index.store import (ArticleStore, StoredArticle, parse_sentence_id, release_free_memory,
                         sentence_key)
from index.terms import (  # noqa: F401  (re-exported: bot/ imports them from here)
    ALLCAPS, CAPRUN, DOTTED, MINOR, NAME_SLIP_RATIO, QUESTION_WORDS, SLIP_MIN, TOKEN, Terms,
    acronyms, as_written, closest_spelling, fold, known_words, normalise, title_known)

log = logging.getLogger(__name__)


FEATURES = (
    "dense", "dense_gap", "lexical", "bm25_log", "context", "context_gap", "overlap",
    "para_overlap", "window_overlap", "neighbour_dense", "dense_rr", "lexical_rr",
    "type_number", "type_date", "type_name", "novelty", "length", "fragment", "position",
    "title_overlap", "para_lexical",
    # Word by word in context: for each content word piece of the question, its best cosine to
    # a word piece of the sentence (the model's last layer), averaged with each piece weighted
    # by its word's idf (BERTScore's recall): "When did the war begin?" meets "The conflict
    # started in 1754." where BM25 does not.
    "soft_match",
    # The candidate's article as a whole against the others searched (constant within one
    # article, so they only matter when a question searches a library).
    "article_dense", "article_lexical", "article_share", "article_title",
    "bigram", "para_bigram",
    # The share of the question's content words in the sentence, each weighted by its BM25 idf
    # over the searched sentences: a rare word ("1169", "Dyrrachium") counts for more than one
    # every other sentence holds ("Huguenot" in an article about them).
    "idf_overlap",
    # The best cosine among the candidates of the sentence's paragraph (its own included): a
    # paragraph the question is near as a whole, whichever of its sentences says the answer.
    "para_dense",
    # idf_overlap over the sentence and its neighbours in the paragraph ("He founded ..." after
    # the sentence that names him).
    "idf_window_overlap",
)
F = {name: i for i, name in enumerate(FEATURES)}

# A question's pronouns name no one the text can be searched for: the "she" of "when did she
# die?" counted for every sentence of a biography that says "she" (whoever it means is in the
# conversation, see bot.engine). Left out of a question's terms, not of the articles'. ("us"
# stays: it is also the United States; "mine" too: a coal mine.)
QUERY_PRONOUNS = frozenset("he him his she her hers we our ours you your yours me my them "
                           "theirs".split())

# What kind of answer is wanted: "how many" wants a number, "when" a date, "who" a name.
QUANTITY_CUE = re.compile(r"\bhow (?:many|much|large|big|long|old|far|high|often|heavy|tall|"
                          r"wide|deep|thick|fast|quickly|soon|expensive|costly|hot|cold|warm)\b"
                          r"|\bwhat (?:number|share|percentage|proportion|amount|size|weight|"
                          r"price|height|length|width|depth|distance|speed|temperature)\b",
                          re.I)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*|\b(?:two|three|four|five|six|seven|eight|nine|ten|"
                    r"eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|"
                    r"trillion|percent|dozen|half)\b", re.I)
TIME_CUE = re.compile(r"\bwhen\b|\b(?:what|which) (?:year|years|century|decade|date|day|month|"
                      r"period|era|time)\b|\bsince when\b|\bhow long ago\b", re.I)
DATE = re.compile(r"\b(?:1\d\d\d|20\d\d|\d{1,2}(?:st|nd|rd|th) century|\d0s|January|February|"
                  r"March|April|May|June|July|August|September|October|November|December|"
                  r"century|centuries|decade|yesterday|today|ago|BC|AD)\b")
NAME_CUE = re.compile(r"\b(?:who|whom|whose|where|which (?:country|city|person|group|company|"
                      r"organi[sz]ation|state|region|nation|man|woman|king|leader))\b", re.I)
CAPITALISED = re.compile(r"\b[A-Z][\w’'-]+")
YEAR = re.compile(r"(?:1\d{3}|20\d{2})s?")  # a year or a decade, as a question's word


def named_values(pattern: re.Pattern, text: str) -> set[str]:
    """The numbers (``NUMBER``) or dates (``DATE``) a text names, lower-cased."""
    return {found.lower() for found in pattern.findall(text)}


def names_new(pattern: re.Pattern, text: str, asked: set[str]) -> bool:
    """Whether ``text`` names a number or date (``pattern``) besides those of the question
    (``asked``, from :func:`named_values`): "How many cases of COVID-19 …?" is not answered
    by a sentence whose only number is the 19 of "COVID-19", nor "When did the 1973 crisis
    end?" by one that only says 1973."""
    return bool(named_values(pattern, text) - asked)


@dataclass
class ArticleState:
    """One article version ready for scoring: its vectors and per-sentence term sets."""

    stored: StoredArticle
    tokens: list[list[str]]  # per sentence, as indexed by BM25
    terms: list[set[str]]
    paragraph_terms: list[set[str]]
    pairs: list[set[tuple[str, str]]]  # per sentence: adjacent content-word pairs
    pairs_by_paragraph: list[set[tuple[str, str]]]  # per paragraph: its sentences' pairs
    vocabulary: set[str]
    context_vectors: np.ndarray  # per paragraph: normalised mean of its sentence vectors
    title_terms: set[str]
    caps: list[set[str]]  # per sentence: capitalised words (lower-cased), first word excluded
    positions: dict[str, int] = field(default_factory=dict)  # sentence record id -> index

    @property
    def key(self) -> tuple[str, str]:
        return self.stored.info.id, self.stored.info.version

    # What a sentence's Python objects (Sentence, text, record id, terms list and sets, capitals)
    # take besides its vector: ~4 KB, measured with tracemalloc on SQuAD articles (the former
    # 400 made the LRU's 512 MB budget hold ~1.3 GB of states).
    SENTENCE_OBJECTS = 4096

    @property
    def nbytes(self) -> int:
        return (self.stored.sentence_vectors.nbytes + self.stored.paragraph_vectors.nbytes
                + self.context_vectors.nbytes
                + self.SENTENCE_OBJECTS * len(self.stored.sentences)
                + sum(len(p.text) + 100 for p in self.stored.article.paragraphs))

    # What the features read, by sentence index or paragraph number; a PartialState answers
    # the same from the few paragraphs it loaded.
    @property
    def n_sentences(self) -> int:
        return len(self.stored.sentences)

    @property
    def n_paragraphs(self) -> int:
        return len(self.stored.article.paragraphs)

    def sentence(self, i: int) -> Sentence:
        return self.stored.sentences[i]

    def paragraph_of(self, i: int) -> int:
        return self.stored.sentences[i].paragraph

    def vector(self, i: int) -> np.ndarray:
        return self.stored.sentence_vectors[i]

    def context(self, number: int) -> np.ndarray:
        return self.context_vectors[number - 1]

    def terms_at(self, i: int) -> set[str]:
        return self.terms[i]

    def paragraph_terms_at(self, number: int) -> set[str]:
        return self.paragraph_terms[number - 1]

    def pairs_at(self, i: int) -> set[tuple[str, str]]:
        return self.pairs[i]

    def paragraph_pairs(self, number: int) -> set[tuple[str, str]]:
        return self.pairs_by_paragraph[number - 1]

    def caps_at(self, i: int) -> set[str]:
        return self.caps[i]

    def index_of(self, record_id: str) -> int | None:
        return self.positions.get(record_id)

    @classmethod
    def build(cls, stored: StoredArticle, terms: Terms) -> "ArticleState":
        tokens = [terms(s.text) for s in stored.sentences]
        sentence_terms = [set(t) for t in tokens]
        paragraphs = stored.article.paragraphs
        pairs = [set(zip(t, t[1:])) for t in tokens]
        paragraph_terms = [set() for _ in paragraphs]
        paragraph_pairs = [set() for _ in paragraphs]
        for s, t, two in zip(stored.sentences, sentence_terms, pairs):
            paragraph_terms[s.paragraph - 1] |= t
            paragraph_pairs[s.paragraph - 1] |= two
        vocabulary = set(terms(stored.article.title)).union(*paragraph_terms)
        caps = [{w.lower() for w in CAPITALISED.findall(s.text)[1:]} for s in stored.sentences]
        return cls(stored=stored, tokens=tokens, terms=sentence_terms,
                   paragraph_terms=paragraph_terms, pairs=pairs,
                   pairs_by_paragraph=paragraph_pairs, vocabulary=vocabulary,
                   context_vectors=stored.whole_paragraph_vectors,
                   title_terms=set(terms(stored.article.title)),
                   caps=caps, positions={sid: i for i, sid in enumerate(stored.sentence_ids)})


@dataclass
class _Paragraph:
    """One paragraph of an article version, loaded alone: its sentences with what the
    features need of them (computed as :meth:`ArticleState.build` computes them)."""

    number: int
    first: int  # the article's index of its first sentence
    text: str
    sentences: list[Sentence]
    vectors: np.ndarray  # (sentences, dim)
    context: np.ndarray  # the normalised mean of its sentence vectors
    # Per sentence: its terms joined by spaces (a term never holds a space). The term sets,
    # word pairs and capitals the features read are made from these and the texts when a
    # question asks for them (:class:`PartialState` keeps them for that question): kept as
    # sets they were ~70 % of a cached paragraph's memory (~43 KB a paragraph on SQuAD).
    tokens: list

    # What a cached paragraph takes besides its vectors, per sentence (Sentence, text, terms
    # line; two flags too when measured) and per paragraph (text, lists, arrays' headers, the
    # LRU's entry): measured with tracemalloc on 800 SQuAD paragraphs of benchmarks/scale.py's
    # library (17.6 KB a paragraph in all, 1,250 B a sentence besides the vectors; 44.9 KB and
    # 6.0 KB with the sets kept).
    SENTENCE_OBJECTS = 1000
    PARAGRAPH_OBJECTS = 1500

    @property
    def nbytes(self) -> int:
        return (self.vectors.nbytes + self.context.nbytes + len(self.text)
                + self.PARAGRAPH_OBJECTS + self.SENTENCE_OBJECTS * len(self.sentences))

    def tokens_at(self, k: int) -> list[str]:
        line = self.tokens[k]
        if not isinstance(line, str):
            return list(line)
        return line.split(" ") if line else []

    def sets(self) -> tuple:
        """``(terms, pairs, paragraph terms, paragraph pairs)``: each sentence's term set and
        adjacent word pairs, and their unions, as :meth:`ArticleState.build` makes them."""
        tokens = [self.tokens_at(k) for k in range(len(self.tokens))]
        terms = [set(t) for t in tokens]
        pairs = [set(zip(t, t[1:])) for t in tokens]
        return terms, pairs, set().union(*terms), set().union(*pairs)

    @classmethod
    def build(cls, number: int, first: int, text: str, sentences: list[Sentence],
              vectors: np.ndarray, lead: np.ndarray, terms: Terms) -> "_Paragraph":
        # As StoredArticle.whole_paragraph_vectors: summed in reading order, normalised (the
        # stored lead vector where that sum is zero).
        total = np.zeros((1, vectors.shape[1]), dtype=np.float32)
        for vector in vectors:
            total[0] += vector
        norms = np.linalg.norm(total, axis=1, keepdims=True)
        context = np.where(norms > 0, total / np.maximum(norms, 1e-12),
                           lead[None, :]).astype(np.float32)[0]
        tokens = []
        for s in sentences:
            found = terms(s.text)
            joinable = all(t and " " not in t for t in found)
            tokens.append(" ".join(found) if joinable else tuple(found))
        return cls(number=number, first=first, text=text, sentences=sentences, vectors=vectors,
                   context=context, tokens=tokens)


@dataclass
class _Texts:
    paragraphs: tuple

    @property
    def nbytes(self) -> int:
        return sum(len(p.text) + 200 for p in self.paragraphs)


class PartialState:
    """An article version of a large library as a question's candidates need it: only the
    paragraphs they fall in are loaded (a few records each, by id), not the whole article
    (hundreds of records with vectors). It answers the features' accessors exactly as the
    :class:`ArticleState` would; ``stored`` serves the answer's quotes from loaded paragraphs
    too, and anything else (rarely needed for a library answer) from the whole article."""

    def __init__(self, info, searcher: "Searcher", layout: "LexicalIndex") -> None:
        self.info = info
        self.key = (info.id, info.version)
        self._searcher = searcher
        self._layout = layout
        self._paragraphs: dict[int, _Paragraph] = {}
        self._made: dict = {}  # term sets, pairs, capitals, made for this question
        title_terms = layout.title_terms.get(self.key)
        self.title_terms = (title_terms if title_terms is not None
                            else set(searcher.terms(info.title)))
        self.n_sentences = layout.sentence_count(self.key)
        self.n_paragraphs = info.paragraphs

    def paragraph_of(self, i: int) -> int:
        return self._layout.paragraph_number(self.key, i)

    def span(self, number: int) -> tuple[int, int] | None:
        return self._layout.paragraph_span(self.key, number)

    def paragraph(self, number: int) -> _Paragraph:
        if number not in self._paragraphs:
            self._searcher._load_paragraphs([(self, number)])
        return self._paragraphs[number]

    def _at(self, i: int) -> tuple[_Paragraph, int]:
        if not 0 <= i < self.n_sentences:
            raise IndexError(i)
        paragraph = self.paragraph(self.paragraph_of(i))
        return paragraph, i - paragraph.first

    def sentence(self, i: int) -> Sentence:
        p, k = self._at(i)
        return p.sentences[k]

    def vector(self, i: int) -> np.ndarray:
        p, k = self._at(i)
        return p.vectors[k]

    def context(self, number: int) -> np.ndarray:
        return self.paragraph(number).context

    def _sets(self, p: _Paragraph) -> tuple:
        """The paragraph's term sets and word pairs (per sentence, and for the paragraph),
        made once per question."""
        made = self._made.get(p.number)
        if made is None:
            made = self._made[p.number] = p.sets()
        return made

    def terms_at(self, i: int) -> set[str]:
        p, k = self._at(i)
        return self._sets(p)[0][k]

    def paragraph_terms_at(self, number: int) -> set[str]:
        return self._sets(self.paragraph(number))[2]

    def pairs_at(self, i: int) -> set[tuple[str, str]]:
        p, k = self._at(i)
        return self._sets(p)[1][k]

    def paragraph_pairs(self, number: int) -> set[tuple[str, str]]:
        return self._sets(self.paragraph(number))[3]

    def caps_at(self, i: int) -> set[str]:
        p, k = self._at(i)
        caps = self._made.get(("caps", p.number, k))
        if caps is None:
            caps = self._made[("caps", p.number, k)] = {
                w.lower() for w in CAPITALISED.findall(p.sentences[k].text)[1:]}
        return caps

    def index_of(self, record_id: str) -> int | None:
        """The sentence index of a sentence record id (``id::version::pN::sK``)."""
        parsed = parse_sentence_id(record_id)
        if parsed is None or parsed[:2] != (self.info.id, self.info.version):
            return None
        number, k = parsed[2:]
        span = self.span(number)
        return span[0] + k if span is not None and 0 <= k < span[1] else None

    def full(self) -> ArticleState:
        return self._searcher.state(self.info)

    @property
    def stored(self) -> "_PartialStored":
        return _PartialStored(self)


class _PartialStored:
    """What the answer reads of ``state.stored``, from the loaded paragraphs where it can."""

    def __init__(self, state: PartialState) -> None:
        self._state = state
        self.info = state.info
        self.sentences = _PartialSentences(state)
        self.article = _PartialArticle(state)

    def __getattr__(self, name):  # vectors, ids: the whole article
        return getattr(self._state.full().stored, name)


class _PartialSentences:
    def __init__(self, state: PartialState) -> None:
        self._state = state

    def __len__(self) -> int:
        return self._state.n_sentences

    def __getitem__(self, i):
        if isinstance(i, slice) or i < 0:
            return self._state.full().stored.sentences[i]
        return self._state.sentence(i)

    def __iter__(self):
        return iter(self._state.full().stored.sentences)


class _PartialArticle:
    def __init__(self, state: PartialState) -> None:
        self._state = state

    def paragraph(self, number: int):
        if not 1 <= number <= self._state.n_paragraphs or self._state.span(number) is None:
            return self._state.full().stored.article.paragraph(number)
        from index.article import Paragraph

        return Paragraph(number, self._state.paragraph(number).text)

    @property
    def paragraphs(self) -> tuple:
        """Every paragraph's text (what ``position_bonus`` reads), without the vectors."""
        return self._state._searcher._paragraph_texts(self._state)

    def __getattr__(self, name):  # title, sentences, ...: the whole article
        return getattr(self._state.full().stored.article, name)


@dataclass
class Candidate:
    state: ArticleState
    index: int  # position in state.stored.sentences
    features: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURES), np.float32))
    score: float = 0.0

    @property
    def sentence(self) -> Sentence:
        return self.state.sentence(self.index)

    @property
    def article(self) -> str:
        return self.state.key[0]

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
    # the question's words, as typed, that none of them uses (stop words left out): the names
    # of a question typed all in lower case ("what did biden say") are among them
    unknown_words: list[str] = field(default_factory=list)
    # the summed BM25 idf of the question's distinct terms over the searched sentences: what a
    # sentence holding every one of them would score, about, and so the yardstick that makes
    # a BM25 score comparable between one article and a library (idf grows with the corpus)
    query_idf: float = 0.0
    question: str = ""  # the text searched, for the confidence's cues that read its wording

    @property
    def matrix(self) -> np.ndarray:
        if not self.candidates:
            return np.zeros((0, len(FEATURES)), dtype=np.float32)
        return np.stack([c.features for c in self.candidates])


class _LRU:
    """A small thread-safe LRU bounded by total size (``size(value)``).

    A value is made once however many threads ask for it meanwhile: the first makes it, outside
    the lock, and the others wait for it (two members asking at once after a restart would
    otherwise each load the same article, or each build the same library index: twice the
    time and, at 100,000 paragraphs, twice the memory)."""

    def __init__(self, budget: int, size=lambda value: 1) -> None:
        self.budget, self.size = budget, size
        self.items: OrderedDict = OrderedDict()
        self.total = 0  # the sizes of the items, kept as they come and go (a value's size
        self.lock = threading.Lock()  # does not change): thousands of items are cheap
        self._making: dict = {}  # key -> (the making thread's id, Future of the value)

    def get(self, key, make):
        from concurrent.futures import Future

        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            making = self._making.get(key)
            if making is None or making[0] == threading.get_ident():
                mine: Future | None = Future()
                if making is None:
                    self._making[key] = (threading.get_ident(), mine)
            else:
                mine = None
        if mine is None:
            return making[1].result()  # made by another thread (what it raised, raised here)
        try:
            value = make()  # outside the lock: loading may be slow
        except BaseException as error:
            self._made(key, mine)
            mine.set_exception(error)
            raise
        with self.lock:
            if key in self.items:
                self.total -= self.size(self.items[key])
            self.items[key] = value
            self.total += self.size(value)
            self.items.move_to_end(key)
            while len(self.items) > 1 and self.total > self.budget:
                _, evicted = self.items.popitem(last=False)
                self.total -= self.size(evicted)
        self._made(key, mine)
        mine.set_result(value)
        return value

    def _made(self, key, future) -> None:
        with self.lock:
            if self._making.get(key, (None, None))[1] is future:
                del self._making[key]

    def peek(self, key):
        with self.lock:
            return self.items.get(key)

    def drop(self, predicate) -> None:
        with self.lock:
            for key in [k for k in self.items if predicate(k)]:
                self.total -= self.size(self.items.pop(key))


class LexicalIndex:
    """BM25 over the sentences of a set of article versions (one index for the whole set), and
    over their paragraphs (each paragraph's sentences' terms together).

    Built from each article's per-sentence terms, streamed: the terms become integer ids in
    flat arrays as they arrive, and the BM25 matrices are computed from those arrays with
    numpy, as bm25s computes them (same formula, same dtypes and order of operations: the
    scores are bit-identical, see ``tests/test_retrieval.py``), then handed to a ``bm25s.BM25``
    for scoring. No per-sentence Python object is kept: at 500,000 sentences the index is a
    few tens of MB (``nbytes``), where bm25s' own ``index`` held token lists of ~1 GB.

    ``articles`` yields ``((id, version), [(paragraph, terms), ...])`` per article, sentences in
    reading order; ``docs[d]`` is ``(key, sentence index)``, ``where[(key, i)]`` its inverse,
    ``paragraphs.get((key, number))`` a paragraph's row in :meth:`paragraph_scores`."""

    EMPTY = "\u2400"  # a sentence (or paragraph) without terms is indexed as this one term
    BLOCK = 65_536  # documents per block while counting term frequencies (bounds the memory)

    def __init__(self, keys: tuple[tuple[str, str], ...], articles,
                 title_tokens: set[str], title_terms: dict | None = None) -> None:
        from array import array

        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.keys = keys
        # each article version's title terms (a PartialState's ``title_terms``), if given
        self.title_terms: dict[tuple[str, str], set[str]] = title_terms or {}
        vocab: dict[str, int] = {}
        ids = array("i")  # every sentence's term ids, in document order
        lengths = array("i")  # terms per sentence (0 for none)
        paragraph_of = array("i")  # each sentence's paragraph row
        paragraph_lengths = array("i")
        article_keys: list[tuple[str, str]] = []
        starts = array("q")  # first sentence row of each article
        pstarts = array("q")  # first slot in ``pslots`` of each article
        pslots = array("i")  # (article, paragraph number) -> paragraph row, or -1
        pnumber = array("i")  # paragraph row -> its number in its article
        pfirst = array("q")  # paragraph row -> its first sentence row
        for key, rows in articles:
            article_keys.append(key)
            starts.append(len(lengths))
            pstarts.append(len(pslots))
            last = max((number for number, _ in rows), default=0)
            slots = [-1] * last
            for number, terms in rows:
                if slots[number - 1] < 0:
                    slots[number - 1] = len(paragraph_lengths)
                    paragraph_lengths.append(0)
                    pnumber.append(number)
                    pfirst.append(len(lengths))
                row = slots[number - 1]
                ids.extend([vocab.setdefault(t, len(vocab)) for t in terms])
                lengths.append(len(terms))
                paragraph_of.append(row)
                paragraph_lengths[row] += len(terms)
            pslots.extend(slots)
        self._keys = article_keys
        self._key_index = {key: k for k, key in enumerate(article_keys)}
        self._starts = np.frombuffer(starts, dtype=np.int64).copy() if starts else \
            np.zeros(0, np.int64)
        self._pstarts = np.frombuffer(pstarts, dtype=np.int64).copy() if pstarts else \
            np.zeros(0, np.int64)
        self._pslots = np.frombuffer(pslots, dtype=np.int32).copy() if pslots else \
            np.zeros(0, np.int32)
        self._pnumber = np.array(pnumber, dtype=np.int32)
        self._pfirst = np.array(pfirst, dtype=np.int64)
        ids = np.frombuffer(ids, dtype=np.int32) if ids else np.zeros(0, np.int32)
        lengths = np.frombuffer(lengths, dtype=np.int32) if lengths else np.zeros(0, np.int32)
        paragraph_of = (np.frombuffer(paragraph_of, dtype=np.int32) if paragraph_of
                        else np.zeros(0, np.int32))
        paragraph_lengths = (np.frombuffer(paragraph_lengths, dtype=np.int32)
                             if paragraph_lengths else np.zeros(0, np.int32))
        if (lengths == 0).any():
            vocab.setdefault(self.EMPTY, len(vocab))
        if "" not in vocab:  # as bm25s' ``index`` adds it (never a query term)
            vocab[""] = len(vocab)
        self.n_sentences, self.n_paragraphs = len(lengths), len(paragraph_lengths)
        self._paragraph_of = paragraph_of.copy()  # sentence row -> paragraph row
        self._pcount = np.bincount(paragraph_of, minlength=len(paragraph_lengths)).astype(
            np.int32) if len(paragraph_of) else np.zeros(len(paragraph_lengths), np.int32)
        empty = vocab.get(self.EMPTY, -1)
        size = len(vocab) - 1  # the matrices' columns: "" has none, as in bm25s
        self.bm25 = self._bm25(bm25s, vocab, size, ids,
                               np.repeat(np.arange(len(lengths), dtype=np.int32), lengths),
                               lengths, empty)
        self.bm25p = self._bm25(bm25s, vocab, size, ids, np.repeat(paragraph_of, lengths),
                                paragraph_lengths, empty)
        # every word of the searched articles (and their titles): what a question may lack
        self.vocabulary = set(vocab) | title_tokens
        self._respelt: dict[str, str] = {}
        self.docs = _Docs(self)
        self.where = _Where(self)
        self.paragraphs = _Paragraphs(self)

    @cached_property
    def _by_initial(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for word in self.vocabulary:
            if len(word) >= SLIP_MIN and word.isalpha():
                groups.setdefault(word[0], []).append(word)
        return groups

    def may_respell(self, term: str) -> bool:
        """Whether ``term`` is one :meth:`respell` looks at: not in the index, long enough,
        and a word (not a number or an initialism token)."""
        return term not in self.vocabulary and len(term) >= SLIP_MIN and term.isalpha()

    def respell(self, terms: list[str], keep=frozenset()) -> list[str]:
        """``terms`` with each one the index lacks replaced by the indexed term it is a typing
        slip of, if any (:func:`index.terms.closest_spelling`: "shangai" → "shanghai",
        "heaquart" → "headquart"). Shorter terms, numbers, initialisms and the terms in
        ``keep`` (words spelt as meant: :func:`index.terms.known_words`) stay as typed."""
        out = []
        for term in terms:
            if not self.may_respell(term) or term in keep:
                out.append(term)
                continue
            respelt = self._respelt.get(term)  # questions of other threads share it
            if respelt is None:
                respelt = closest_spelling(term, self._by_initial.get(term[0], ())) or term
                if len(self._respelt) > 4096:
                    self._respelt.clear()
                self._respelt[term] = respelt
            out.append(respelt)
        return out

    @classmethod
    def _bm25(cls, bm25s, vocab: dict[str, int], size: int, ids: np.ndarray,
              owner: np.ndarray, lengths: np.ndarray, empty: int):
        """A ``bm25s.BM25`` (its defaults: Lucene's BM25, k1 1.5, b 0.75) over documents whose
        terms are ``ids`` (document ``owner[j]`` holds term ``ids[j]``; ``owner`` is sorted),
        ``lengths`` terms each, with the matrix ``bm25.index`` computes from the same term
        lists (a document without terms holds the single term ``EMPTY``)."""
        bm25 = bm25s.BM25()
        k1, b = bm25.k1, bm25.b
        n_docs = len(lengths)
        # Term frequencies per (document, term), in blocks of whole documents.
        offsets = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        pair_docs, pair_terms, pair_tfs = [], [], []
        for first in range(0, n_docs, cls.BLOCK):
            begin, end = offsets[first], offsets[min(first + cls.BLOCK, n_docs)]
            if begin == end:
                continue
            key = owner[begin:end].astype(np.int64) * max(size, 1) + ids[begin:end]
            unique, counts = np.unique(key, return_counts=True)
            pair_docs.append((unique // max(size, 1)).astype(np.int32))
            pair_terms.append((unique % max(size, 1)).astype(np.int32))
            pair_tfs.append(counts.astype(np.float32))
            del key, unique, counts
        blank = np.flatnonzero(lengths == 0).astype(np.int32)
        if len(blank):
            pair_docs.append(blank)
            pair_terms.append(np.full(len(blank), empty, dtype=np.int32))
            pair_tfs.append(np.ones(len(blank), dtype=np.float32))
        docs = np.concatenate(pair_docs) if pair_docs else np.zeros(0, np.int32)
        terms = np.concatenate(pair_terms) if pair_terms else np.zeros(0, np.int32)
        tfs = np.concatenate(pair_tfs) if pair_tfs else np.zeros(0, np.float32)
        del pair_docs, pair_terms, pair_tfs
        # bm25s: idf from each term's document frequency (math.log, stored as float32), the
        # average length over documents with EMPTY counted, then idf * tfc per pair.
        frequency = np.bincount(terms, minlength=size)
        idf = np.zeros(size, dtype=np.float32)
        for df in np.unique(frequency[frequency > 0]).tolist():
            idf[frequency == df] = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        doc_lengths = np.maximum(lengths, 1).astype(np.int64)
        average = doc_lengths.mean() if n_docs else np.float64(0.0)
        data = np.empty(len(tfs), dtype=np.float32)
        step = 1 << 20
        for begin in range(0, len(tfs), step):
            part = slice(begin, begin + step)
            tf = tfs[part]
            length = doc_lengths[docs[part]]
            tfc = tf / (k1 * ((1 - b) + b * length / average) + tf)
            data[part] = idf[terms[part]] * tfc
        order = np.argsort(terms, kind="stable")
        indptr = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms, minlength=size), out=indptr[1:])
        bm25.scores = {"data": data[order], "indices": docs[order], "indptr": indptr,
                       "num_docs": n_docs}
        bm25.vocab_dict = vocab
        bm25.unique_token_ids_set = set(vocab.values())
        bm25.nonoccurrence_array = None
        return bm25

    # -- the layout of the indexed articles (what a PartialState needs to find a sentence) --

    def sentence_count(self, key: tuple[str, str]) -> int:
        k = self._key_index[key]
        end = int(self._starts[k + 1]) if k + 1 < len(self._starts) else self.n_sentences
        return end - int(self._starts[k])

    def paragraph_number(self, key: tuple[str, str], index: int) -> int:
        """The paragraph of the article's sentence ``index``."""
        return int(self._pnumber[self._paragraph_of[self.row(key, index)]])

    def paragraph_span(self, key: tuple[str, str], number: int) -> tuple[int, int] | None:
        """``(first sentence index, sentence count)`` of the article's paragraph ``number``,
        None when it has no sentences."""
        row = self.paragraph_row(key, number)
        if row is None:
            return None
        return (int(self._pfirst[row]) - int(self._starts[self._key_index[key]]),
                int(self._pcount[row]))

    @property
    def nbytes(self) -> int:
        total = self._starts.nbytes + self._pstarts.nbytes + self._pslots.nbytes
        total += (self._pnumber.nbytes + self._pfirst.nbytes + self._paragraph_of.nbytes
                  + self._pcount.nbytes)
        for bm25 in (self.bm25, self.bm25p):
            total += sum(a.nbytes for a in (bm25.scores["data"], bm25.scores["indices"],
                                             bm25.scores["indptr"]))
        return (total + 100 * (len(self._keys) + len(self.vocabulary))
                + 700 * len(self.title_terms))

    def doc(self, d: int) -> tuple[tuple[str, str], int]:
        k = int(np.searchsorted(self._starts, d, side="right")) - 1
        return self._keys[k], int(d - self._starts[k])

    def row(self, key: tuple[str, str], index: int) -> int:
        return int(self._starts[self._key_index[key]]) + index

    def paragraph_row(self, key: tuple[str, str], number: int) -> int | None:
        k = self._key_index.get(key)
        if k is None:
            return None
        begin = int(self._pstarts[k])
        end = int(self._pstarts[k + 1]) if k + 1 < len(self._pstarts) else len(self._pslots)
        if not 1 <= number <= end - begin:
            return None
        row = int(self._pslots[begin + number - 1])
        return row if row >= 0 else None

    @staticmethod
    def _scores(bm25, size: int, terms: list[str]) -> np.ndarray:
        known = [t for t in terms if t in bm25.vocab_dict]
        if not known or not size:
            return np.zeros(size, dtype=np.float32)
        return bm25.get_scores(known)

    def idf(self, terms) -> dict[str, float]:
        """Each term's BM25 idf over the indexed sentences (as bm25s computes it; a term no
        sentence holds gets the highest)."""
        indptr, ids = self.bm25.scores["indptr"], self.bm25.vocab_dict
        size, n = len(indptr) - 1, self.n_sentences
        out = {}
        for t in terms:
            k = ids.get(t, -1)
            df = int(indptr[k + 1] - indptr[k]) if 0 <= k < size else 0
            out[t] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return out

    def scores(self, terms: list[str]) -> np.ndarray:
        """BM25 of every sentence."""
        return self._scores(self.bm25, self.n_sentences, terms)

    def paragraph_scores(self, terms: list[str]) -> np.ndarray:
        """BM25 of every paragraph (indexed by ``self.paragraphs``)."""
        return self._scores(self.bm25p, self.n_paragraphs, terms)


class _Docs:
    def __init__(self, index: LexicalIndex) -> None:
        self.index = index

    def __len__(self) -> int:
        return self.index.n_sentences

    def __getitem__(self, d) -> tuple[tuple[str, str], int]:
        return self.index.doc(int(d))


class _Where:
    def __init__(self, index: LexicalIndex) -> None:
        self.index = index

    def __getitem__(self, doc: tuple[tuple[str, str], int]) -> int:
        return self.index.row(*doc)


class _Paragraphs:
    def __init__(self, index: LexicalIndex) -> None:
        self.index = index

    def __len__(self) -> int:
        return self.index.n_paragraphs

    def get(self, doc: tuple[tuple[str, str], int], default=None):
        row = self.index.paragraph_row(*doc)
        return default if row is None else row


class _View:
    """A sequence of article infos as a search needs it (see ``Searcher._view``)."""

    def __init__(self, infos) -> None:
        self.source = infos
        self.infos = list(infos)
        self.ends = (self.infos[0], self.infos[-1]) if self.infos else ()
        self.by_key = {(i.id, i.version): i for i in self.infos}
        self.keys = tuple(sorted((i.id, i.version) for i in self.infos))


PIECES_BUDGET = 64 * 2**20  # ~2,800 sentences' word-piece vectors (float16)
LEXICAL_BUDGET = 256 * 2**20  # bytes over all cached lexical indexes
DENSE_BUDGET = 128 * 2**20  # bytes over all stacked libraries' vectors


@dataclass(frozen=True)
class _Stacked:
    keys: tuple[tuple[str, str], ...]
    starts: np.ndarray  # each article's first row
    vectors: np.ndarray

    def doc(self, row: int) -> tuple[tuple[str, str], int]:
        k = int(np.searchsorted(self.starts, row, side="right")) - 1
        return self.keys[k], row - int(self.starts[k])


def misspelt_name(word: str, candidates) -> bool:
    """Whether ``word`` is a typing slip of a capitalised word of the ``candidates``' sentences
    (:func:`index.terms.closest_spelling` with ``NAME_SLIP_RATIO``: "Puttin"/"Putin",
    "Pompei"/"Pompeo"; not "Biden"/"Beijing", nor "Biden"/"Baden"): a misspelt name, not a
    stranger's. The one rule for the confidence's cues (:meth:`Searcher.retrieve`) and for the
    people and subjects ``bot.answer`` finds no article mentions."""
    names = {name.lower() for c in candidates for name in CAPITALISED.findall(c.sentence.text)}
    return closest_spelling(word.lower(), names, NAME_SLIP_RATIO) is not None


class Searcher:
    """Finds and describes candidate sentences for a question over any set of articles."""

    def __init__(self, store: ArticleStore, *, top_k: int = 40,
                 memory_budget: int = 512 * 2**20) -> None:
        self.store = store
        self.top_k = top_k
        # Sentences' word-piece vectors (soft_match), by text: a server asks about the same
        # few articles, so most candidates' are there already.
        self._pieces = _LRU(PIECES_BUDGET, size=lambda rows: rows.nbytes + 100)
        self._states = _LRU(memory_budget, size=lambda s: s.nbytes)
        # Single paragraphs of a large library's articles (see PartialState).
        self._paragraphs = _LRU(memory_budget // 2, size=lambda p: p.nbytes)
        # Lexical indexes by visibility set (the global library, a server's, single articles),
        # bounded by their size.
        self._lexical = _LRU(LEXICAL_BUDGET, size=lambda ix: ix.nbytes)
        # Stacked sentence vectors of the libraries searched in memory (see _stacked).
        self._dense = _LRU(DENSE_BUDGET, size=lambda stacked: stacked.vectors.nbytes)
        self._last_view: _View | None = None

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

    PARAGRAPH_PAGE = 2000  # records per read of single paragraphs

    def _load_paragraphs(self, wanted) -> None:
        """Load the paragraphs ``wanted`` (``(PartialState, number)`` pairs) into their states:
        from the LRU, or all the missing ones in one read by record id. ``StaleIndex`` when a
        version has been replaced since its info was read."""
        from index.store import _record_id

        missing: dict[tuple, tuple[PartialState, int, int, int]] = {}
        for state, number in wanted:
            if number in state._paragraphs:
                continue
            cached = self._paragraphs.peek((state.key, number))
            if cached is not None:
                self._paragraphs.get((state.key, number), lambda: cached)  # most recent
                state._paragraphs[number] = cached
                continue
            first, count = state.span(number)
            missing[(state.key, number)] = (state, number, first, count)
        if not missing:
            return
        ids: list[str] = []
        for (key, number), (state, _, _, count) in missing.items():
            ids.append(_record_id(key[0], key[1], number))
            ids.extend(_record_id(key[0], key[1], number, k) for k in range(count))
        records: dict[str, tuple] = {}
        for begin in range(0, len(ids), self.PARAGRAPH_PAGE):
            got = self.store._get(ids=ids[begin:begin + self.PARAGRAPH_PAGE],
                                  include=["documents", "metadatas", "embeddings"])
            for rid, text, meta, vector in zip(got["ids"], got["documents"], got["metadatas"],
                                               got["embeddings"]):
                records[rid] = (text, meta, vector)
        for (key, number), (state, _, first, count) in missing.items():
            head = records.get(_record_id(key[0], key[1], number))
            rows = [records.get(_record_id(key[0], key[1], number, k)) for k in range(count)]
            if head is None or any(r is None for r in rows):
                raise StaleIndex(f"“{key[0]}” was re-indexed meanwhile.")
            sentences = [Sentence(number, int(m["sentence"]), int(m["start"]), int(m["end"]), t)
                         for t, m, _ in rows]
            vectors = np.stack([np.asarray(v, dtype=np.float32) for _, _, v in rows])
            paragraph = _Paragraph.build(number, first, head[0], sentences, vectors,
                                         np.asarray(head[2], dtype=np.float32), self.terms)
            state._paragraphs[number] = self._paragraphs.get((key, number), lambda: paragraph)

    def _paragraph_texts(self, state: PartialState) -> tuple:
        """Every paragraph of a partly loaded article version, text only (read by id, in pages:
        Chroma's SQLite takes at most 32,766 ids a read)."""
        from index.article import Paragraph
        from index.store import _record_id

        def load() -> _Texts:
            numbers = range(1, state.info.paragraphs + 1)
            ids = [_record_id(state.info.id, state.info.version, n) for n in numbers]
            texts = {}
            for begin in range(0, len(ids), self.PARAGRAPH_PAGE):
                got = self.store._get(ids=ids[begin:begin + self.PARAGRAPH_PAGE],
                                      include=["documents", "metadatas"])
                texts.update((int(m["paragraph"]), t)
                             for t, m in zip(got["documents"], got["metadatas"]))
            if sorted(texts) != list(numbers):
                raise StaleIndex(f"“{state.info.id}” was re-indexed meanwhile.")
            return _Texts(tuple(Paragraph(n, texts[n]) for n in numbers))

        return self._paragraphs.get((state.key, 0), load).paragraphs

    def forget(self, article_ids: set[str]) -> None:
        self._states.drop(lambda key: key[0] in article_ids)
        self._paragraphs.drop(lambda key: key[0][0] in article_ids)
        self._lexical.drop(lambda keys: any(k[0] in article_ids for k in keys))
        self._dense.drop(lambda keys: any(k[0] in article_ids for k in keys))

    def _view(self, infos) -> "_View":
        """``infos`` as a list with its keys (by key, and sorted), kept while the same list is
        searched again (the engine passes its cached article list): at 2,501 articles making
        them took ~4 ms of every library question."""
        if isinstance(infos, _View):
            return infos
        last = self._last_view
        if not isinstance(infos, list) or not infos:
            return _View(infos)
        if (last is not None and last.source is infos and len(last.infos) == len(infos)
                and last.ends[0] is infos[0] and last.ends[1] is infos[-1]):
            return last
        self._last_view = view = _View(infos)
        return view

    def lexical(self, infos) -> LexicalIndex:
        view = self._view(infos)
        infos, keys = view.infos, view.keys

        def build() -> LexicalIndex:
            # From the terms stored at indexing time (or the loaded states' terms): a
            # library's vectors are loaded only for the articles a question's candidates come
            # from, and its texts are read and tokenised only where no terms were stored.
            titles = {(i.id, i.version): set(self.terms(i.title)) for i in infos}
            index = LexicalIndex(keys, self._article_terms(infos), set().union(*titles.values()),
                                 titles)
            if index.n_sentences > self.RELEASE_AFTER:
                release_free_memory()  # the build's temporaries
            return index

        return self._lexical.get(keys, build)

    LEXICAL_CHUNK = 100  # articles whose stored terms are read at a time
    RELEASE_AFTER = 100_000  # sentences: a larger lexical build gives its temporaries back

    def _article_terms(self, infos):
        """``(key, [(paragraph, terms), ...])`` for each article version of ``infos``, in
        order: from its loaded state, else the terms stored with its paragraphs, else (a store
        written before terms were stored) its sentence texts, tokenised here."""
        infos = list(infos)
        for begin in range(0, len(infos), self.LEXICAL_CHUNK):
            chunk = infos[begin:begin + self.LEXICAL_CHUNK]
            states = {(i.id, i.version): self._states.peek((i.id, i.version)) for i in chunk}
            wanted = [i for i in chunk if states[(i.id, i.version)] is None]
            stored = self.store.stored_terms(wanted) if wanted else {}
            lacking = [i for i in wanted if (i.id, i.version) not in stored]
            if lacking:
                for key, rows in self.store.sentence_texts(lacking).items():
                    stored[key] = [(number, self.terms(text)) for number, text in rows]
            for info in chunk:
                key = (info.id, info.version)
                state = states[key]
                if state is not None:
                    yield key, [(s.paragraph, t) for s, t in zip(state.stored.sentences,
                                                                  state.tokens)]
                else:
                    yield key, stored.pop(key, [])

    def spelt_as_meant(self, text: str) -> set[str]:
        """The terms of ``text``'s words that are words of the model's vocabulary
        (:func:`index.terms.known_words`): never respelt as slips of another word."""
        known = known_words()
        return set(self.terms(" ".join(w for w in self.terms.words(text) if w in known)))

    def warm(self, infos) -> None:
        """Make ahead of the first question over ``infos`` what :meth:`retrieve` would make
        then: the lexical index and, for a library searched in memory, its articles' states
        and stacked vectors (a library searched by Chroma loads its candidates per question)."""
        _ = self.terms
        view, lexical = self._prepared(infos)
        if len(view.infos) > 1 and self._in_memory(view.infos, len(lexical.docs)):
            self._stacked(view.infos)

    # Up to this many articles, or sentences in all, the dense search runs in memory over their
    # loaded vectors (exact, and no Chroma filter: a filtered query scans the metadata of the
    # whole collection); a larger library is searched by Chroma.
    IN_MEMORY_ARTICLES, IN_MEMORY_SENTENCES = 8, 20_000
    OVERFETCH = 2  # a library query asks Chroma for this many times top_k, unfiltered
    # ... and, when too few of those are usable (the nearest records are copies of one
    # paragraph's record in many articles, or other servers' articles), this many times, still
    # unfiltered, before the filtered query (seconds on a 666k-record store).
    WIDE_OVERFETCH = 16
    PARTIAL = True  # a library searched by Chroma loads only its candidates' paragraphs

    def _in_memory(self, infos, sentences: int) -> bool:
        return len(infos) <= self.IN_MEMORY_ARTICLES or sentences <= self.IN_MEMORY_SENTENCES

    def _dense_hits(self, vector: np.ndarray, infos,
                    sentences: int) -> list[tuple[tuple[str, str], int]]:
        """The top sentences by cosine over the article versions ``infos`` (``sentences`` in
        all), as ``((id, version), sentence index)`` or ``((id, version), record id)``."""
        view = self._view(infos)
        infos = view.infos
        if not infos:
            return []
        if len(infos) == 1:
            state = self.state(infos[0])
            scores = state.stored.sentence_vectors @ vector
            return [(state.key, int(i)) for i in np.argsort(-scores)[:self.top_k]]
        if self._in_memory(infos, sentences):
            stacked = self._stacked(infos)
            scores = stacked.vectors @ vector
            top = (np.argpartition(-scores, self.top_k - 1)[:self.top_k]
                   if scores.size > self.top_k else np.arange(scores.size))
            top = top[np.argsort(-scores[top], kind="stable")]
            return [stacked.doc(int(d)) for d in top]
        visible = view.by_key  # membership only
        hits = self._chroma_hits(vector, None, self.top_k * self.OVERFETCH, visible)
        if len(hits) < self.top_k // 2:
            hits = self._chroma_hits(vector, None, self.top_k * self.WIDE_OVERFETCH, visible)
        if len(hits) < self.top_k // 2:  # the visible articles are a small part of the store
            hits = self._chroma_hits(vector, infos, self.top_k, visible)
        return hits[:self.top_k]

    def _stacked(self, infos) -> "_Stacked":
        """The sentence vectors of the article versions ``infos``, in that order, as one
        matrix: a library question searched in memory is one product, not one per article
        (26 products and merges took a third of a library question's time at 1k paragraphs)."""
        keys = tuple((i.id, i.version) for i in infos)

        def build() -> _Stacked:
            vectors = [self.state(info).stored.sentence_vectors for info in infos]
            starts = np.cumsum([0] + [len(v) for v in vectors[:-1]]).astype(np.int64)
            return _Stacked(keys, starts, np.concatenate(vectors).astype(np.float32, copy=False))

        return self._dense.get(keys, build)

    def _chroma_hits(self, vector: np.ndarray, infos, k: int, visible: set) -> list:
        """One Chroma query: unfiltered (``infos`` None; other articles, other levels and
        stale versions are dropped here) or filtered to ``infos``. It asks for the ids only:
        a hit's article, version and level are read from its record id (what the store's
        ids encode, :func:`index.store.sentence_key`). Fetching the hits' metadata was 90 % of
        the query on a 666,148-record store (9.9 ms against 1.0 ms for 80 hits, 55 ms against
        3 ms for 640); LlamaIndex's ``VectorIndexRetriever`` also fetches every hit's text and
        vector (16 ms against 6 ms at 66,589 records)."""
        where = None
        if infos is not None:
            where = {"$and": [{"level": "sentence"},
                              {"article": {"$in": [i.id for i in infos]}},
                              {"version": {"$in": [i.version for i in infos]}}]}
        try:
            got = self.store.collection.query(query_embeddings=[vector.tolist()], n_results=k,
                                              where=where, include=[])
        except Exception as error:  # chromadb raises many types; all mean "cannot search"
            raise StoreError(f"The article index cannot be searched ({type(error).__name__}: "
                             f"{str(error)[:200]}).") from error
        hits = []
        for record in got["ids"][0]:
            key = sentence_key(record)
            if key is not None and key in visible:
                hits.append((key, record))
        return hits

    def _prepared(self, infos):
        """The view of ``infos`` and its lexical index, as every question over them needs:
        a few articles' states are loaded first (needed anyway; their lexical index is then
        built from their tokens rather than read from the store)."""
        view = self._view(infos)
        if len(view.infos) <= self.IN_MEMORY_ARTICLES:
            for info in view.infos:
                self.state(info)
        return view, self.lexical(view)

    def retrieve(self, question: str, vector: np.ndarray, infos, *,
                 lexical_text: str | None = None) -> Evidence:
        """Candidates for ``question`` over the article versions ``infos``, with features.
        Only the articles the candidates come from are loaded (through the LRU)."""
        view, lexical = self._prepared(infos)
        infos, by_key = view.infos, view.by_key
        text = lexical_text if lexical_text is not None else question
        terms = [t for t in self.terms(text) if t not in QUERY_PRONOUNS]
        if any(lexical.may_respell(t) for t in terms):  # else no vocabulary to load
            terms = lexical.respell(terms, keep=self.spelt_as_meant(text))
        terms = as_written(terms, lexical.vocabulary, self.terms)  # "ceo": "chief executive"
        term_set = set(terms)

        chosen: dict[tuple[tuple[str, str], int], float] = {}
        states: dict[tuple[str, str], ArticleState | PartialState] = {}
        # A library searched by Chroma loads only the candidates' paragraphs (PartialState),
        # unless the whole article is at hand already.
        partial = self.PARTIAL and not self._in_memory(infos, len(lexical.docs))

        def article(key):
            if key not in states:
                whole = self._states.peek(key) if partial else None
                states[key] = (whole if whole is not None
                               else PartialState(by_key[key], self, lexical) if partial
                               else self.state(by_key[key]))
            return states[key]

        for key, hit in self._dense_hits(vector, view, len(lexical.docs)):
            state = article(key)
            position = hit if isinstance(hit, int) else state.index_of(hit)
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
                    doc = lexical.docs[d]
                    article(doc[0])
                    chosen.setdefault(doc, 0.0)
        if not chosen:
            return Evidence([], terms, question=question,
                            **self._unknown(question, terms, lexical.vocabulary))

        candidates = [Candidate(states[key], i) for key, i in chosen]
        if partial:  # every candidate's paragraph, in one read
            self._load_paragraphs([(c.state, c.state.paragraph_of(c.index)) for c in candidates
                                   if isinstance(c.state, PartialState)])
        best_bm25 = float(bm25.max()) if bm25.size else 0.0
        n = len(candidates)
        dense = np.empty(n, np.float32)
        context = np.empty(n, np.float32)
        raw = np.empty(n, np.float32)
        for k, c in enumerate(candidates):
            dense[k] = float(c.state.vector(c.index) @ vector)
            context[k] = float(c.state.context(c.sentence.paragraph) @ vector)
            raw[k] = float(bm25[lexical.where[(c.state.key, c.index)]]) if bm25.size else 0.0
        dense_rank = np.empty(n, np.int64)
        dense_rank[np.argsort(-dense)] = np.arange(n)
        lexical_rank = np.empty(n, np.int64)
        lexical_rank[np.argsort(-raw)] = np.arange(n)
        wants_number = bool(QUANTITY_CUE.search(question))
        wants_date = bool(TIME_CUE.search(question))
        asked_numbers = named_values(NUMBER, question)
        asked_dates = named_values(DATE, question)
        wants_name = bool(NAME_CUE.search(question))
        question_words = {w.lower() for w in TOKEN.findall(normalise(question))}
        pairs = set(zip(terms, terms[1:]))
        idf = lexical.idf(term_set)
        total_idf = sum(idf.values())
        for k, c in enumerate(candidates):
            state, i, s = c.state, c.index, c.sentence
            own = state.terms_at(i)
            f = c.features
            f[F["dense"]] = dense[k]
            f[F["dense_gap"]] = dense[k] - dense.max()
            f[F["lexical"]] = raw[k] / best_bm25 if best_bm25 > 0 else 0.0
            f[F["bm25_log"]] = math.log1p(raw[k])
            f[F["context"]] = context[k]
            f[F["context_gap"]] = context[k] - context.max()
            if term_set:
                f[F["overlap"]] = len(term_set & own) / len(term_set)
                f[F["para_overlap"]] = (len(term_set & state.paragraph_terms_at(s.paragraph))
                                        / len(term_set))
            if total_idf > 0:
                f[F["idf_overlap"]] = sum(idf[t] for t in term_set & own) / total_idf
            window = set(own)
            neighbours = []
            for j in (i - 1, i + 1):
                if 0 <= j < state.n_sentences and state.paragraph_of(j) == s.paragraph:
                    window |= state.terms_at(j)
                    neighbours.append(float(state.vector(j) @ vector))
            if term_set:
                f[F["window_overlap"]] = len(term_set & window) / len(term_set)
            if total_idf > 0:
                f[F["idf_window_overlap"]] = sum(idf[t] for t in term_set & window) / total_idf
            f[F["neighbour_dense"]] = max(neighbours, default=0.0)
            f[F["dense_rr"]] = 1.0 / (1 + dense_rank[k])
            f[F["lexical_rr"]] = 1.0 / (1 + lexical_rank[k]) if raw[k] > 0 else 0.0
            f[F["type_number"]] = float(wants_number and names_new(NUMBER, s.text, asked_numbers))
            f[F["type_date"]] = float(wants_date and names_new(DATE, s.text, asked_dates))
            f[F["type_name"]] = float(wants_name and bool(state.caps_at(i) - question_words))
            f[F["novelty"]] = len(own - term_set) / len(own) if own else 0.0
            f[F["length"]] = math.log1p(len(s.text)) / 6.0
            f[F["fragment"]] = float(len(s.text.split()) < 4)
            f[F["position"]] = (s.paragraph - 1) / max(state.n_paragraphs - 1, 1)
            if best_paragraph > 0:
                at = lexical.paragraphs.get((state.key, s.paragraph))
                f[F["para_lexical"]] = float(bm25p[at]) / best_paragraph if at is not None else 0.0
            if pairs:  # the question's phrases ("Hong Kong", "oil crisis"), in order
                f[F["bigram"]] = len(pairs & state.pairs_at(i)) / len(pairs)
                f[F["para_bigram"]] = len(pairs & state.paragraph_pairs(s.paragraph)) / len(pairs)
            if state.title_terms:
                f[F["title_overlap"]] = len(state.title_terms & own) / len(state.title_terms)
        best_in_paragraph: dict[tuple[tuple[str, str], int], float] = {}
        for k, c in enumerate(candidates):
            where = (c.state.key, c.sentence.paragraph)
            best_in_paragraph[where] = max(best_in_paragraph.get(where, -1.0), float(dense[k]))
        for c in candidates:
            c.features[F["para_dense"]] = best_in_paragraph[(c.state.key, c.sentence.paragraph)]
        self._article_features(candidates, term_set)
        self._soft_match(question, candidates, idf)

        return Evidence(candidates=candidates, query_terms=terms, query_idf=total_idf,
                        question=question,
                        **self._unknown(question, terms, lexical.vocabulary, candidates))

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

    SOFT_TOP = 12  # soft_match is computed for this many candidates (the others get the least)

    def _piece_weights(self, question: str, skip: frozenset[str], count: int,
                       idf: dict[str, float]) -> np.ndarray:
        """Each of the question's ``count`` kept pieces weighted by the BM25 idf of the word it
        belongs to (the mean idf when the word has no indexed term), summing to 1: as in
        ``idf_overlap``, "Dyrrachium" counts for more than "Normans"."""
        spans = getattr(self.store.embed_model, "token_spans", None)
        located = spans(question, skip) if spans is not None and idf else []
        if len(located) != count:  # nothing kept (the question's mean stands in), or no idf
            return np.full(count, 1.0 / max(count, 1), np.float32)
        words = [(m.start(), m.end(), m.group(0)) for m in TOKEN.finditer(question)]
        mean = sum(idf.values()) / len(idf)
        weights = np.empty(count, np.float32)
        for k, (start, end) in enumerate(located):
            word = next((w for a, b, w in words if a <= start and end <= b), "")
            found = [idf[t] for t in self.terms(word) if t in idf] if word else []
            weights[k] = max(found) if found else mean
        return weights / weights.sum()

    def _soft_match(self, question: str, candidates: list[Candidate],
                    idf: dict[str, float] | None = None) -> None:
        """soft_match (see :data:`FEATURES`) for the most promising candidates by cosine and
        BM25, so that its cost (the model over the sentences not seen before: ~8 ms a sentence
        on this machine's two cores) is bounded per question."""
        pieces = getattr(self.store.embed_model, "token_vectors", None)
        if pieces is None or not candidates:
            return
        first = np.argsort(-np.array([c.features[F["dense"]] + 0.5 * c.features[F["lexical"]]
                                      for c in candidates]), kind="stable")[:self.SOFT_TOP]
        texts = [candidates[k].sentence.text for k in first]
        skip = frozenset(self.terms.stop)
        asked = pieces([question], skip)[0].astype(np.float32)
        weights = self._piece_weights(question, skip, len(asked), idf or {})
        known = {t: self._pieces.peek(t) for t in dict.fromkeys(texts)}
        missing = [t for t, rows in known.items() if rows is None]
        for text, rows in zip(missing, pieces(missing) if missing else []):
            known[text] = self._pieces.get(text, lambda rows=rows: rows)
        values = [float((asked @ known[t].astype(np.float32).T).max(axis=1) @ weights)
                  for t in texts]
        floor = min(values)
        for c in candidates:
            c.features[F["soft_match"]] = floor
        for k, value in zip(first, values):
            candidates[k].features[F["soft_match"]] = value

    def _unknown(self, question: str, terms: list[str], vocabulary: set[str],
                 candidates: list[Candidate] = ()) -> dict[str, list[str]]:
        """``unknown_terms``: the question's ``terms`` that no searched article holds;
        ``unknown_words``: its words (as typed, stop words left out) that no searched article
        uses; ``unknown_names``: the capitalised ones among them (names: "Biden", "Syria"), a
        strong sign that it is about something else. The first word is one only as an
        initialism ("NATO?", "quotes about NATO"): otherwise it may be capitalised as any
        sentence's first word is ("Tariffs on steel?").

        Known, though the articles do not hold it as typed: a name one typing slip from a name
        of the ``candidates``' sentences (:func:`misspelt_name`); an initialism of a name they
        spell out ("NATO" where an article writes "North Atlantic Treaty Organization": its
        ``acr_nato`` is there, its ``nato`` is not); and a capitalised word next to one the
        candidates' sentences capitalise past their first word (not the question's first
        word): the rest of a name they give in part ("Jinping" of "Xi Jinping" where an
        article says "Xi", "Vladimir" of "Vladimir Putin"), with its initials. A word they hold
        only as a common word ("new", "general") excuses nothing."""
        words = TOKEN.findall(fold(normalise(question)))
        termed = {w: self.terms(w) for w in words}

        asked = self.terms(question)

        def known(w: str) -> bool:  # or an initialism of a name they spell out ("NATO")
            return set(termed[w]) <= vocabulary or any(
                t.startswith("acr_") and t in vocabulary for t in termed[w]) or title_known(
                termed[w], asked, vocabulary, self.terms)  # or a title ("CEO", "chief executive")

        unknown = {w for w in termed if w.lower() not in self.terms.stop and not known(w)}
        unknown -= {w for w in unknown if w[0].isupper() and misspelt_name(w, candidates)}
        # a year the articles give as its decade ("invented in 1880" of "in the 1880s")
        unknown -= {w for w in unknown if YEAR.fullmatch(w)
                    and any(t.startswith(w[:4]) for t in vocabulary)}
        names = set().union(*(c.state.caps_at(c.index) for c in candidates)) if unknown else ()

        def named(k: int) -> bool:  # a name the sentences found use, not the first word
            return 0 < k < len(words) and words[k][0].isupper() and words[k].lower() in names

        parts = {w for k, w in enumerate(words)
                 if w in unknown and w[0].isupper() and (named(k - 1) or named(k + 1))}
        unknown -= parts
        # their terms, and the initials of their names ("acr_xj" of "Xi Jinping"); the word an
        # initialism is as typed ("nato" beside "acr_nato")
        excused = {t for w in termed if known(w) for t in termed[w]}
        for k, w in enumerate(words):
            if w in parts:
                start, end = k, k + 1
                while start > 0 and words[start - 1][0].isupper():
                    start -= 1
                while end < len(words) and words[end][0].isupper():
                    end += 1
                excused.update(self.terms(" ".join(words[start:end])))
        return {"unknown_terms": [t for t in dict.fromkeys(terms)
                                  if t not in vocabulary and t not in excused],
                "unknown_words": [w for w in dict.fromkeys(words) if w in unknown],
                "unknown_names": [w for k, w in enumerate(words) if w in unknown
                                  and w[0].isupper() and (k or len(w) > 1 and w.isupper())]}

