"""The fitted scorer: which sentence answers the question, and how sure the bot is.

Both parts are linear models whose parameters live in one versioned JSON file
(:data:`PARAMS`), written by ``benchmarks/fit_scorer.py`` from question sets (``fit`` there,
``predict`` here; see ``docs/scorer.md`` for the data, the leave-articles-out figures and the
command that reproduces the file):

- **ranking**: a conditional logit (a softmax over one question's candidates) on the retrieval
  features of :data:`index.retrieval.FEATURES`; its softmax gives each candidate the probability
  that it is the sentence holding the answer, *if* the article answers at all;
- **confidence**: a logistic regression on question-level cues (best score, margin to the next,
  question words the articles lack, ...) giving the probability that the question is answerable
  from the searched articles. The bot abstains below ``min_confidence``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.retrieval import QUANTITY_CUE, TIME_CUE, F, Evidence

# A question that negates ("Who never …?", "What did they not …?"): its negation is a stop
# word, so it finds the passage the plain question finds; a passage that negates nothing
# cannot say what it asks (the ``negation_unmatched`` cue).
NEGATION = re.compile(r"\b(?:not|never|no|none|nothing|nobody|nowhere|neither|nor|cannot|"
                      r"without)\b|n['’]t\b", re.IGNORECASE)
# ... though a rule says what may not be done without a negation ("What can't I put in the
# compost?" of "Put only plant material … in them. Meat … go in the green city bin
# instead."): a question that asks what is not allowed is met by a passage that restricts.
PROHIBITION = re.compile(r"\b(?:can|could|may|must|should|shall)\s+(?:\w+\s+)?not\b|\bcannot\b|"
                         r"\b(?:ca|could|must|should|sha)n['’]t\b|\bnot\s+(?:allowed|permitted)\b",
                         re.IGNORECASE)
RESTRICTS = re.compile(r"\b(?:only|except|unless|instead|ban(?:s|ned)?|prohibit\w*|forbid\w*|"
                       r"barred|restrict\w*)\b", re.IGNORECASE)
PARAMS = Path(__file__).with_name("scorer.json")

CONFIDENCE_FEATURES = (
    "top_score", "margin", "top_prob", "top_dense", "top_soft", "top_overlap",
    "max_overlap", "top_lexical_share", "unknown_share", "unknown_name", "n_terms",
    "negation_unmatched", "type_unmet",
)


def expand(matrix: np.ndarray, names: list[str]) -> np.ndarray:
    """The model's inputs from the retrieval features: plain features by name, and products
    written ``a*b``."""
    columns = []
    for name in names:
        if "*" in name:
            a, b = name.split("*")
            columns.append(matrix[:, F[a]] * matrix[:, F[b]])
        else:
            columns.append(matrix[:, F[name]])
    return np.stack(columns, axis=1) if columns else np.zeros((len(matrix), 0))


def softmax(scores: np.ndarray) -> np.ndarray:
    if not len(scores):
        return scores
    e = np.exp(scores - scores.max())
    return e / e.sum()


@dataclass(frozen=True)
class Scorer:
    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    conf_names: tuple[str, ...]
    conf_mean: np.ndarray
    conf_scale: np.ndarray
    conf_coef: np.ndarray
    conf_intercept: float
    min_confidence: float
    grow_share: float  # a neighbour joins the first quote when its probability is this share
    further_prob: float  # a further quote needs at least this probability

    @classmethod
    def from_dict(cls, data: dict) -> "Scorer":
        rank, conf = data["ranking"], data["confidence"]
        return cls(names=tuple(rank["features"]), mean=np.array(rank["mean"]),
                   scale=np.array(rank["scale"]), coef=np.array(rank["coef"]),
                   conf_names=tuple(conf["features"]), conf_mean=np.array(conf["mean"]),
                   conf_scale=np.array(conf["scale"]),
                   conf_coef=np.array(conf["coef"]), conf_intercept=float(conf["intercept"]),
                   min_confidence=float(data["min_confidence"]),
                   grow_share=float(data["quotes"]["grow_share"]),
                   further_prob=float(data["quotes"]["further_prob"]))

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        x = (expand(matrix, list(self.names)) - self.mean) / self.scale
        return x @ self.coef

    def confidence(self, evidence: Evidence, scores: np.ndarray) -> float:
        x = (question_features(evidence, scores, self.conf_names) - self.conf_mean) \
            / self.conf_scale
        return float(1.0 / (1.0 + np.exp(-(x @ self.conf_coef + self.conf_intercept))))


def question_features(evidence: Evidence, scores: np.ndarray,
                      names: tuple[str, ...] = CONFIDENCE_FEATURES) -> np.ndarray:
    """The question-level cues ``names`` (of :data:`CONFIDENCE_FEATURES`; zeros when nothing
    was found)."""
    values = dict.fromkeys(CONFIDENCE_FEATURES, 0.0)
    terms = set(evidence.query_terms)
    values["unknown_share"] = len(set(evidence.unknown_terms)) / len(terms) if terms else 0.0
    values["unknown_name"] = float(bool(evidence.unknown_names))
    values["n_terms"] = float(np.log1p(len(terms)))
    if len(scores):
        matrix = evidence.matrix
        order = np.argsort(-scores)
        top = order[0]
        probs = softmax(scores)
        values["top_score"] = float(scores[top])
        values["margin"] = float(scores[top] - scores[order[1]]) if len(order) > 1 else 5.0
        values["top_prob"] = float(probs[top])
        values["top_dense"] = float(matrix[:, F["dense"]].max())
        values["top_soft"] = float(matrix[:, F["soft_match"]].max())
        values["top_overlap"] = float(matrix[top, F["overlap"]])
        values["max_overlap"] = float(matrix[:, F["overlap"]].max())
        # the best BM25 as a share of what the question's words could score (their summed idf):
        # a raw BM25 grows with the corpus (idf does), so the same question would look less
        # sure in a library than in its own article, and less sure as the library grows
        if evidence.query_idf > 0:
            best = float(np.expm1(matrix[:, F["bm25_log"]].max()))
            values["top_lexical_share"] = best / evidence.query_idf
        if NEGATION.search(evidence.question):  # does the best candidate's paragraph negate?
            first = evidence.candidates[top]
            text = first.state.stored.article.paragraph(first.sentence.paragraph).text
            values["negation_unmatched"] = float(not NEGATION.search(text) and not (
                PROHIBITION.search(evidence.question) and RESTRICTS.search(text)))
        if QUANTITY_CUE.search(evidence.question) or TIME_CUE.search(evidence.question):
            # "How large …?" or "When …?" and the best sentence holds no number or date
            # besides the question's own (index.retrieval.names_new)
            values["type_unmet"] = float(not (matrix[top, F["type_number"]]
                                              or matrix[top, F["type_date"]]))
    return np.array([values[n] for n in names], dtype=np.float64)


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Scorer:
    return Scorer.from_dict(json.loads(Path(path or PARAMS).read_text(encoding="utf-8")))

