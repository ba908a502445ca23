"""Hybrid retrieval over one article's sentences: dense (Chroma) and lexical (BM25) together.

LlamaIndex does the searching: a ``VectorIndexRetriever`` over the Chroma collection, filtered
to the article's current version, and a ``BM25Retriever`` (bm25s, stemmed) over the same
sentence nodes. Their candidates are merged and every candidate gets three plain features that
the answering layer combines and thresholds:

- ``dense``: cosine of the question and the sentence (all-MiniLM-L6-v2);
- ``lexical``: BM25 score, divided by the best score for this question;
- ``context``: cosine of the question and the sentence's whole paragraph;
- ``overlap``: share of the question's content words (stemmed) found in the sentence.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from index.article import Sentence
from index.store import ArticleStore, StoredArticle

TOKEN = re.compile(r"(?u)\b\w\w+\b")


@dataclass
class Candidate:
    index: int  # position in StoredArticle.sentences
    sentence: Sentence
    dense: float = 0.0
    lexical: float = 0.0
    context: float = 0.0
    overlap: float = 0.0
    score: float = 0.0


@dataclass
class Evidence:
    """What retrieval found for one question: candidates best first, plus whole-article cues."""

    candidates: list[Candidate]
    query_terms: list[str]  # stemmed content words of the question
    unknown_terms: list[str]  # those that occur nowhere in the article
    unknown_names: list[str] = field(default_factory=list)  # capitalised words among those


class _Terms:
    """Stemmed content words, with the same stemmer and stop words as the BM25 index."""

    def __init__(self) -> None:
        import Stemmer
        from bm25s.stopwords import STOPWORDS_EN

        self.stemmer = Stemmer.Stemmer("english")
        self.stop = set(STOPWORDS_EN) | QUESTION_WORDS

    def __call__(self, text: str) -> list[str]:
        words = [w for w in TOKEN.findall(text.lower().replace("’", "'")) if w not in self.stop]
        return self.stemmer.stemWords(words)


# Words that say what kind of answer is wanted, not what it is about, and everyday verbs that
# a question uses in place of the article's own wording ("what does X bring", "how did Y get").
QUESTION_WORDS = {
    "what", "which", "who", "whom", "whose", "why", "how", "when", "where", "does", "did", "do",
    "say", "says", "said", "article", "author", "authors", "text", "tell", "mention", "mentions",
    "mentioned", "according", "about", "describe", "described", "explain", "many", "much", "way",
    "kind", "is", "are", "was", "were", "be", "being", "been", "the", "there", "ending", "end",
    "beginning", "start", "piece", "writer", "writers", "passage", "paragraph", "get", "got",
    "want", "wants", "bring", "brings", "see", "sees", "hold", "holds", "deal", "try", "trying",
    "make", "makes", "take", "takes", "give", "gives", "go", "goes", "come", "think", "thinks",
    "mean", "means", "happen", "happened", "during", "also", "really", "exactly", "one", "ones",
    "thing", "things", "anything", "something", "like", "happens", "regarding", "concerning",
    "wrote", "write", "writes", "written", "conclude", "concludes", "conclusion", "concluding",
    "opening", "opens", "closing", "final", "finally", "last", "first", "intro", "introduction",
    "main", "point", "points", "argument", "argue", "argues", "thesis", "overall", "summary",
    "summarize", "summarise", "gist", "central", "claim", "claims", "idea", "ideas", "message",
}


class ArticleRetriever:
    """Retrieval for one loaded article version (built once, reused for every question)."""

    def __init__(self, store: ArticleStore, stored: StoredArticle, top_k: int = 40) -> None:
        self.store = store
        self.stored = stored
        self.top_k = top_k
        self._position = {sid: i for i, sid in enumerate(stored.sentence_ids)}

    @cached_property
    def _terms(self) -> _Terms:
        return _Terms()

    @cached_property
    def _vocabulary(self) -> set[str]:
        vocab: set[str] = set(self._terms(self.stored.article.title))
        for paragraph in self.stored.article.paragraphs:
            vocab.update(self._terms(paragraph.text))
        return vocab

    @cached_property
    def _sentence_terms(self) -> list[set[str]]:
        return [set(self._terms(s.text)) for s in self.stored.sentences]

    @cached_property
    def _dense(self):
        from llama_index.core import VectorStoreIndex
        from llama_index.core.vector_stores import ExactMatchFilter, MetadataFilters

        info = self.stored.info
        index = VectorStoreIndex.from_vector_store(self.store.vector_store,
                                                   embed_model=self.store.embed_model)
        filters = MetadataFilters(filters=[ExactMatchFilter(key="article", value=info.id),
                                           ExactMatchFilter(key="version", value=info.version),
                                           ExactMatchFilter(key="level", value="sentence")])
        return index.as_retriever(similarity_top_k=self.top_k, filters=filters)

    @cached_property
    def _bm25(self):
        import Stemmer
        from llama_index.core.schema import TextNode
        from llama_index.retrievers.bm25 import BM25Retriever

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import
        nodes = [TextNode(id_=sid, text=s.text)
                 for sid, s in zip(self.stored.sentence_ids, self.stored.sentences)]
        return BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=min(self.top_k, len(nodes)),
                                           stemmer=Stemmer.Stemmer("english"), language="en")

    def terms_of(self, index: int) -> set[str]:
        """The stemmed content words of sentence ``index``."""
        return self._sentence_terms[index]

    def terms(self, text: str) -> list[str]:
        return self._terms(text)

    def warm(self) -> None:
        """Build the lazy parts now (BM25 index, term sets) so the first question is fast."""
        _ = self._bm25, self._dense, self._vocabulary, self._sentence_terms

    def retrieve(self, question: str, query_vector: np.ndarray) -> Evidence:
        from llama_index.core.schema import QueryBundle

        stored = self.stored
        bundle = QueryBundle(query_str=question, embedding=query_vector.tolist())
        found: dict[int, Candidate] = {}
        for hit in self._dense.retrieve(bundle):
            i = self._position.get(hit.node.node_id)
            if i is not None:
                found.setdefault(i, Candidate(i, stored.sentences[i]))
        lexical_hits = self._bm25.retrieve(bundle) if self._terms(question) else []
        best = max((h.score or 0.0 for h in lexical_hits), default=0.0)
        for hit in lexical_hits:
            i = self._position.get(hit.node.node_id)
            if i is None or not hit.score:
                continue
            candidate = found.setdefault(i, Candidate(i, stored.sentences[i]))
            candidate.lexical = float(hit.score) / best if best > 0 else 0.0

        terms = self._terms(question)
        term_set = set(terms)
        dense = stored.sentence_vectors @ query_vector
        context = stored.paragraph_vectors @ query_vector
        for candidate in found.values():
            candidate.dense = float(dense[candidate.index])
            candidate.context = float(context[candidate.sentence.paragraph - 1])
            if term_set:
                candidate.overlap = (len(term_set & self._sentence_terms[candidate.index])
                                     / len(term_set))
        unknown = [t for t in dict.fromkeys(terms) if t not in self._vocabulary]
        return Evidence(candidates=list(found.values()), query_terms=terms, unknown_terms=unknown,
                        unknown_names=self._unknown_names(question))

    def _unknown_names(self, question: str) -> list[str]:
        """Capitalised words inside the question (names: "Biden", "Syria") that the article
        never uses: a strong sign that it is about something else."""
        words = TOKEN.findall(question.replace("’", "'"))
        names = [w for w in words[1:] if w[0].isupper() and w.lower() not in self._terms.stop]
        return [w for w in names if not set(self._terms(w)) <= self._vocabulary]
