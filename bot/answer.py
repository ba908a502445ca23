"""Extractive answers and summaries: choose verbatim spans, decide when to abstain.

Every quote is a slice ``paragraph.text[start:end]`` of one paragraph, built from whole
sentence spans, so it is verbatim by construction. The weights and thresholds below were fitted
on the development questions *and* on a second set we wrote ourselves
(``tests/data/tuning_questions.json``), and chosen from the middle of the range that works for
both, not at its edge: see the README's "Evaluation" section for the figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from bot.models import Answer, Quote
from bot.render import render_quotes
from index.retrieval import ArticleRetriever, Candidate, Evidence
from index.store import StoredArticle

# Score = dense + W_LEXICAL * lexical + W_CONTEXT * context + W_OVERLAP * overlap
W_LEXICAL, W_CONTEXT, W_OVERLAP = 0.1, 0.2, 0.3
# Abstain when even the closest sentence is this far from the question...
MIN_DENSE = 0.30
# ...or when a quarter of the question's content words occur nowhere in the article and the
# closest sentence is still only loosely related.
UNKNOWN_SHARE, UNKNOWN_MIN_DENSE = 0.25, 0.50
# ...or when it names someone or something the article never mentions ("What did Biden say?")
# and no sentence is clearly about the question anyway.
UNKNOWN_NAME_MIN_DENSE = 0.65
# A further quote must score at least this share of the best one.
FURTHER_SHARE, MORE_SHARE = 0.80, 0.55
MAX_QUOTE_CHARS = 450  # a quote grown to a second sentence stays under this
SHORT_SENTENCE = 60  # a sentence this short is quoted with its neighbour
NEIGHBOUR_DENSE = 0.20  # a neighbour that adds question words must be at least this related

# Where in the article the question points: "the ending", "in the conclusion", "at the start".
END_CUE = re.compile(r"\b(?:end|ending|ends|conclu\w*|final|finally|last|closing|close)\b", re.I)
START_CUE = re.compile(r"\b(?:beginning|begin|begins|start|starts|opening|opens|intro\w*|first)\b",
                       re.I)
# What kind of answer is wanted: "how many" wants a number, "when" a date.
QUANTITY_CUE = re.compile(r"\bhow (?:many|much|large|big|long|old)\b|\bwhat (?:number|share|"
                          r"percentage|proportion)\b", re.I)
NUMBER = re.compile(r"\d|\b(?:hundred|thousand|million|billion|trillion|percent)\b", re.I)
TIME_CUE = re.compile(r"\b(?:when|what year|which year|what date|since when)\b", re.I)
DATE = re.compile(r"\b(?:1[6-9]\d\d|20\d\d|January|February|March|April|May|June|July|August|"
                  r"September|October|November|December|yesterday|today|ago)\b")
ANSWER_TYPE_BONUS = 0.15
PARAGRAPH_CUE = re.compile(r"(?:\bparagraph|¶)\s*(\d+)", re.I)
POSITION_BONUS, PARAGRAPH_BONUS = 0.15, 0.5

FOLLOW_UP = re.compile(r"^\s*(?:and|but|also|what about|how about|so|then|why|what else)\b|"
                       r"\b(?:he|she|they|it|him|her|them|his|their|its|that|this|those|these)\b",
                       re.IGNORECASE)


def score(c: Candidate) -> float:
    return c.dense + W_LEXICAL * c.lexical + W_CONTEXT * c.context + W_OVERLAP * c.overlap


def position_bonus(question: str, stored: StoredArticle) -> dict[int, float]:
    """Extra score for paragraphs the question points at by position or number."""
    body = [n for n in range(1, len(stored.article.paragraphs) + 1) if not is_note(stored, n)]
    if not body:
        return {}
    bonus: dict[int, float] = {}
    for match in PARAGRAPH_CUE.finditer(question):
        bonus[int(match.group(1))] = PARAGRAPH_BONUS
    if END_CUE.search(question):
        bonus.setdefault(body[-1], POSITION_BONUS)
    if START_CUE.search(question):
        bonus.setdefault(body[0], POSITION_BONUS)
    return bonus


@dataclass
class Span:
    paragraph: int
    first: int  # index into StoredArticle.sentences
    last: int
    score: float

    def quote(self, stored: StoredArticle) -> Quote:
        first, last = stored.sentences[self.first], stored.sentences[self.last]
        text = stored.article.paragraph(self.paragraph).text[first.start:last.end]
        return Quote(stored.info.id, self.paragraph, text, first.start, last.end,
                     round(self.score, 4))


def is_follow_up(question: str, history: list[str] | None) -> bool:
    """A short question that leans on the previous one ("and what about Russia?")."""
    return bool(history) and bool(FOLLOW_UP.search(question)) and len(question.split()) <= 8


def query_vector(embed, question: str, history: list[str] | None) -> np.ndarray:
    """The question's vector; a follow-up's leans a third of the way to the previous question,
    so "and what about the SCO?" keeps the earlier subject while its own words lead."""
    if not is_follow_up(question, history):
        return embed([question])[0]
    current, previous = embed([question, history[-1]])
    mixed = current + 0.5 * previous
    return mixed / (np.linalg.norm(mixed) or 1.0)


def relevant(c: Candidate) -> bool:
    """Close in meaning, or holding at least half of the question's content words."""
    return c.dense >= MIN_DENSE or (c.dense >= NEIGHBOUR_DENSE and c.overlap >= 0.5)


def is_fragment(sentence) -> bool:
    """A name line or heading ("Yang Yi-zhong"), not a sentence worth quoting on its own."""
    return len(sentence.text.split()) < 4


def should_abstain(evidence: Evidence) -> bool:
    if not evidence.candidates:
        return True
    best_dense = max(c.dense for c in evidence.candidates)
    if best_dense < MIN_DENSE:
        return True
    if evidence.unknown_names and best_dense < UNKNOWN_NAME_MIN_DENSE:
        return True
    terms = set(evidence.query_terms)
    if not terms:  # nothing but question words, e.g. "what is this?"
        return best_dense < UNKNOWN_MIN_DENSE
    unknown_share = len(set(evidence.unknown_terms)) / len(terms)
    return unknown_share >= UNKNOWN_SHARE and best_dense < UNKNOWN_MIN_DENSE


def _grow(span: Span, query_vector: np.ndarray, stored: StoredArticle,
          terms: set[str], retriever: ArticleRetriever) -> Span:
    """Add the next (or previous) sentence of the paragraph when it completes the answer:
    the top sentence is very short, or the neighbour holds question words it lacks."""
    sentences = stored.sentences
    top = sentences[span.first]
    covered = retriever.terms_of(span.first) & terms
    for neighbour in (span.last + 1, span.first - 1):
        if not 0 <= neighbour < len(sentences) or sentences[neighbour].paragraph != span.paragraph:
            continue
        first, last = min(span.first, neighbour), max(span.last, neighbour)
        length = sentences[last].end - sentences[first].start
        between = stored.article.paragraph(span.paragraph).text[
            sentences[first].end:sentences[last].start]
        if length > MAX_QUOTE_CHARS or "\n" in between:  # lines are separate units
            continue
        gains = (retriever.terms_of(neighbour) & terms) - covered
        related = float(stored.sentence_vectors[neighbour] @ query_vector) >= NEIGHBOUR_DENSE
        if len(top.text) < SHORT_SENTENCE or (gains and related):
            return Span(span.paragraph, first, last, span.score)
    return span


def answer(question: str, retriever: ArticleRetriever, query_vector: np.ndarray,
           search_text: str, max_quotes: int = 3) -> Answer:
    stored = retriever.stored
    evidence = retriever.retrieve(search_text, query_vector)
    if not evidence.query_terms:  # "Who wrote it?", "What does the article conclude?"
        about = about_the_article(question, stored)
        if about is not None:
            return about
    if should_abstain(evidence):
        return Answer(question=question, answered=False, quotes=[], article=stored.info.id,
                      message=abstention_message(stored.info.title))
    bonus = position_bonus(question, stored)
    wanted = (NUMBER if QUANTITY_CUE.search(question) else
              DATE if TIME_CUE.search(question) else None)
    for c in evidence.candidates:
        c.score = score(c) + bonus.get(c.sentence.paragraph, 0.0)
        if wanted is not None and wanted.search(c.sentence.text):
            c.score += ANSWER_TYPE_BONUS
    ranked = sorted(evidence.candidates, key=lambda c: (is_fragment(c.sentence), -c.score))
    terms = set(evidence.query_terms)
    best = max(c.score for c in ranked)
    spans: list[Span] = []
    more: list[Span] = []
    used: set[int] = set()
    for c in ranked:
        if c.index in used or not relevant(c) or (is_fragment(c.sentence) and spans):
            continue
        share = c.score / best if best > 0 else 0
        if len(spans) < max_quotes and (not spans or share >= FURTHER_SHARE):
            span = _grow(Span(c.sentence.paragraph, c.index, c.index, c.score), query_vector,
                         stored, terms, retriever) if not spans else \
                Span(c.sentence.paragraph, c.index, c.index, c.score)
            spans.append(span)
        elif len(more) < 5 and share >= MORE_SHARE:
            more.append(Span(c.sentence.paragraph, c.index, c.index, c.score))
        else:
            continue
        used.update(range((spans + more)[-1].first, (spans + more)[-1].last + 1))
    quotes = [s.quote(stored) for s in spans]
    return Answer(question=question, answered=True, quotes=quotes, article=stored.info.id,
                  message=render_quotes(quotes), more=[s.quote(stored) for s in more])


AUTHOR_CUE = re.compile(r"\b(?:who wrote|authors?|written by|writers?|byline)\b", re.I)
MAIN_CUE = re.compile(r"\b(?:main|central|key|overall)\b|\b(?:thesis|gist|argues?|argument)\b"
                      r"|\bwhat is (?:the article|it) about\b", re.I)


def about_the_article(question: str, stored: StoredArticle) -> Answer | None:
    """Questions about the article itself rather than its content: who wrote it (the author
    notes), or what a part of it says ("the conclusion", "the opening paragraph", "paragraph 4":
    its central sentence). None when the question is neither."""
    article = stored.article
    numbers: list[int] = []
    header = ""
    if AUTHOR_CUE.search(question):
        numbers = [n for n in range(1, len(article.paragraphs) + 1) if is_note(stored, n)]
        if stored.info.authors:
            header = f"*{stored.info.title}* is by {stored.info.authors.rstrip('*')}."
    else:
        numbers = sorted(position_bonus(question, stored))[:1]
    numbers = [n for n in numbers if 1 <= n <= len(article.paragraphs)]
    quotes = []
    if not numbers and not header:
        if not MAIN_CUE.search(question):
            return None
        i = _thesis(stored)
        quotes.append(Span(stored.sentences[i].paragraph, i, i, 1.0).quote(stored))
    for number in numbers:
        found = _central_sentence(stored, number, MAX_QUOTE_CHARS)
        if found:
            quotes.append(Span(number, found[0], found[0], found[1]).quote(stored))
    return Answer(question=question, answered=bool(quotes) or bool(header), quotes=quotes,
                  article=stored.info.id, message=render_quotes(quotes, header=header))


def _thesis(stored: StoredArticle) -> int:
    """The body sentence closest to both the title and the body as a whole: the article's
    main claim, as far as one sentence can say it."""
    body = {n for n in range(1, len(stored.article.paragraphs) + 1) if not is_note(stored, n)}
    centroid = stored.paragraph_vectors[[n - 1 for n in sorted(body)]].mean(axis=0)
    target = centroid / (np.linalg.norm(centroid) or 1.0)
    if stored.title_vector is not None:
        target = target + stored.title_vector
    options = [i for i, s in enumerate(stored.sentences)
               if s.paragraph in body and not is_fragment(s) and len(s.text) <= MAX_QUOTE_CHARS]
    return max(options, key=lambda i: float(stored.sentence_vectors[i] @ target))


def abstention_message(title: str) -> str:
    return (f"I couldn't find that in *{title}*: the article doesn't seem to cover it, so I "
            "won't quote something unrelated. Try rephrasing, or ask for a summary to see what "
            "it does cover.")


# -- summaries --------------------------------------------------------------------------------

def _central_sentence(stored: StoredArticle, number: int, budget: int) -> tuple[int, float] | None:
    """The sentence of paragraph ``number`` closest to the paragraph as a whole that fits
    ``budget`` characters (or else the shortest one), with its centrality."""
    options = [i for i, s in enumerate(stored.sentences) if s.paragraph == number
               and len(s.text) >= 25]
    if not options:
        options = [i for i, s in enumerate(stored.sentences) if s.paragraph == number]
    if not options:
        return None
    centre = stored.paragraph_vectors[number - 1]
    central = {i: float(stored.sentence_vectors[i] @ centre) for i in options}
    fitting = [i for i in options if len(stored.sentences[i].text) <= budget]
    if fitting:
        best = max(fitting, key=lambda i: central[i])
    else:
        best = min(options, key=lambda i: len(stored.sentences[i].text))
    return best, central[best]


def is_note(stored: StoredArticle, number: int) -> bool:
    """Footnotes and author notes are not main points: a paragraph that starts with a footnote
    mark, or a short paragraph after the body that names one of the authors."""
    text = stored.article.paragraph(number).text
    if text.lstrip().startswith(("*", "†", "‡", "[1]", "Note:", "Notes:")):
        return True
    paragraphs = stored.article.paragraphs
    if number <= len(paragraphs) // 2 or len(text) > 800:
        return False
    names = {w for w in re.findall(r"[A-Z][a-z]+", stored.info.authors or "")
             if w not in {"And", "By", "The"}}
    return any(re.search(rf"\b{re.escape(name)}\b", text) for name in names)
