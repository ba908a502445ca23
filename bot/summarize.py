"""Quoted summaries: verbatim spans chosen to cover the article's points within one message.

The selection maximises a monotone submodular objective under the message's character budget
(Lin & Bilmes, "A Class of Submodular Functions for Document Summarization", 2011)::

    F(S) = Σ_j w_j · max_{u ∈ S} sim(u, j) / Σ_j w_j         coverage (facility location)
         + λ / K · Σ_k sqrt(Σ_{u ∈ S ∩ P_k} r_u²)          spread over the article's parts

Every sentence ``j`` of the summarised paragraphs is *covered* by its most similar chosen span,
weighted by its importance ``w_j``, so a second quote from the same point adds almost nothing
while a quote on a point not yet covered adds much: redundancy control comes with the
objective. ``P_k`` are ``K`` contiguous parts of the text (each body paragraph of a short
article, runs of paragraphs in a long one); the square root rewards a first quote in a part more
than a further one in the same part, so quotes spread from start to end. A part's first quote
earns its importance ``r_u`` itself (the square root of its square): with ``sqrt(Σ r_u)`` it
earned ``sqrt(r_u)``, which squeezed a central sentence (0.8) and a peripheral one (0.5) to
0.89 and 0.71, so that the cost (the square root of its length) decided which one a paragraph
was quoted by.

Candidates are whole sentences and shorter spans of them that still read as a complete clause:
without a leading discourse connective ("In effect, ", "On the contrary, "), and cut before
``;``, ``:``, a dash, ``, which`` or a qualifying subordinate clause (``, although``,
``, even though``, ``, because``…). Every candidate is a slice
``paragraph.text[start:end]``, so every quote is verbatim. The greedy adds the candidate with
the largest gain per character of the rendered message until nothing more fits
(cost-aware greedy), then the quotes are shown in reading order. A sentence that does not stand
alone (it opens with "this", "they"…, or holds half a quotation) is quoted only from a paragraph
that has nothing else.

``importance`` is deliberately one small function so a fitted sentence scorer can replace it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.answer import POINTS_BACK, asks_at, is_note, points_back, score
from bot.models import Quote, Summary
from bot.render import DISCORD_LIMIT, format_quote, render_quotes
from bot.scorer import Scorer
from index.article import is_fields
from index.retrieval import Searcher
from index.store import StoredArticle

# What makes no point of its own in a summary: a table's row of cells ("Revenue | $486.3 |
# $434.2 | 12.0%", its columns unnamed), a contact line ("Media Contact: Daniel Ortiz
# media@…"), a form's blanks to sign ("Signed …… (Chair) Date ……").
BOILERPLATE = re.compile(r" \| |[^\s@]@[^\s@]+\.[a-z]{2,}|……|\.{4}|_{3}", re.I)
SUMMARY_HEADER = "Summary of *{title}*{where}, in its own words:"
TOPIC_HEADER = "What *{title}* says about “{topic}”:"

COST_SCALE = 0.5  # r: gain per cost**r; 1 favours short spans too much (Lin & Bilmes 2010)
SPREAD = 1.0  # λ: weight of the spread term against coverage (both on a 0-1 scale)
LEAD = 0.2  # extra importance of a paragraph's first sentence (its topic sentence)
# ... and more again for the article's opening sentence, in a summary that starts where the
# article does: the opening states what a news story or an encyclopedia entry is about ("lead
# bias", why the first sentences are a strong baseline summary of news). On the public SQuAD
# articles it put the opening in all eight summaries instead of four (the Normans, the Yuan
# dynasty: what they were) and raised the share of questions answered by a summary quote from
# their own paragraph, 0.124 -> 0.128 (0.126 at 0.3, the same at 1.0; docs/scorer.md). The
# bundled article's summary, which opened with it already, does not change.
OPENING = 0.6
SHARE = 0.5  # a summary is at most this share of the text it summarises (and one message)
BRIEF_QUOTES = 3  # a "tl;dr": at most this many quotes
# ... chosen by what they cover, not per character: with COST_SCALE a news story's tl;dr was
# three short sentences and never its lead (who won, by how much); docs/scorer.md
BRIEF_COST_SCALE = 0.0
MIN_SENTENCE = 25  # shorter sentences are not quoted on their own
LIST_CHARS, LIST_LINE_WORDS = 300, 10  # a short list: at most so long, its lines so short
# A text of more sentences than this (a report, a book) is summarised from a shortlist of its
# most central sentences, spread over it, and covered paragraph by paragraph: embedding every
# paragraph and clause of a 6,000-paragraph text took 3 minutes and 4 GB.
LONG_TEXT, SHORTLIST = 600, 300
# A clause cut off a sentence: at least this many words, and at least this many characters
# shorter than the sentence, or it is not worth the cut.
CLAUSE_WORDS, CLAUSE_SAVING = 8, 40
# Where a main clause may end: "…; …", "…: …", "… — …", "…, which …" and before a
# subordinate clause that qualifies it ("…, although …", "…, even though …",
# "…, because …").
CLAUSE_END = re.compile(r"\s*(?:;|:(?=\s)|\s[—–]\s|,\s+(?:which|although|though|even though|"
                        r"whereas|while|because)\b)")
# Discourse connectives that may open a sentence ("However, …", "In effect, …").
CONNECTIVE = re.compile(
    r"(?:However|Moreover|Furthermore|Nevertheless|Nonetheless|Therefore|Thus|Hence|Yet|Still|"
    r"Indeed|Instead|Besides|Equally|Similarly|Likewise|Consequently|Accordingly|Meanwhile|"
    r"In effect|In fact|In addition|In other words|In short|In turn|In contrast|In light of this|"
    r"As a result|As usual|As such|For example|For instance|To be sure|Of course|After all|"
    r"On the contrary|On the other hand|Due to this|Because of this|Given this|Above all|"
    r"First of all|First|Firstly|Second|Secondly|Third|Thirdly|Finally|Lastly|Then|Also|Again"
    r"),\s+")
# Topic summaries: passages with at least this share of the best passage's probability (the
# fitted scorer's), at most this many, and a further one only when it adds this share of the
# first one's gain (a near-repeat adds nothing).
TOPIC_SHARE, TOPIC_QUOTES, TOPIC_MIN_GAIN = 0.1, 6, 0.15

Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Unit:
    """A quotable span: a whole sentence or its main clause."""

    sentence: int  # index into StoredArticle.sentences
    paragraph: int
    start: int
    end: int
    text: str

    def quote(self, article: str, score: float) -> Quote:
        return Quote(article, self.paragraph, self.text, self.start, self.end, round(score, 4))


# -- importance -------------------------------------------------------------------------------

def importance(vectors: np.ndarray, paragraph_vectors: np.ndarray, centre: np.ndarray,
               leads: np.ndarray) -> np.ndarray:
    """How central each span is: the mean of its cosine to its own paragraph and to the text
    being summarised as a whole (rows of ``paragraph_vectors`` match rows of ``vectors``),
    times ``leads`` (:func:`lead_weights`: more for a paragraph's opening sentence, which
    usually states its topic, and for the article's). Kept small and separate so that a fitted
    sentence scorer can take its place."""
    own = np.einsum("ij,ij->i", vectors, paragraph_vectors)
    whole = vectors @ centre
    return np.clip(0.5 * own + 0.5 * whole, 0.01, None) * leads


def lead_weights(stored: StoredArticle, sentences: Sequence[int],
                 opening: int | None = None) -> np.ndarray:
    """``1 + LEAD`` for the sentences (indices into ``stored.sentences``) that open their
    paragraph, ``(1 + LEAD) * (1 + OPENING)`` for sentence ``opening``, else 1."""
    return np.array([(1.0 + LEAD if stored.sentences[i].index == 0 else 1.0)
                     * (1.0 + OPENING if i == opening else 1.0) for i in sentences])


def opening_sentence(stored: StoredArticle, numbers: Sequence[int]) -> int | None:
    """The article's first sentence (after its fields, if it opens with them) when the text
    summarised starts where the article does (a whole-article summary, or a range from ¶1),
    else None."""
    if not numbers or numbers[0] != 1:
        return None
    # (after a document's fields, "Status: Final" over "Authors: …", its text's opening)
    first = next((n for n in numbers if not is_fields(stored.article.paragraph(n).text)), 1)
    return next((i for i, s in enumerate(stored.sentences) if s.paragraph == first), None)


# -- candidates -------------------------------------------------------------------------------

def _balanced(text: str) -> bool:
    """Quotation marks and brackets pair up."""
    return (text.count("“") == text.count("”") and not text.count('"') % 2
            and text.count("(") == text.count(")"))


def clause_ends(text: str) -> list[int]:
    """Where ``text`` may be cut so that what comes before reads as a complete clause worth
    quoting alone (``CLAUSE_END``): with quotation marks and brackets balanced, at least
    ``CLAUSE_WORDS`` words long and clearly (``CLAUSE_SAVING`` characters) shorter than the
    whole. In reading order."""
    ends: list[int] = []
    for match in CLAUSE_END.finditer(text):
        head = text[:match.start()]
        if len(head.split()) < CLAUSE_WORDS:
            continue
        if len(text) - len(head) < CLAUSE_SAVING or not _balanced(head):
            break  # too little to gain, or the cut would fall inside a quotation or a bracket
        ends.append(len(head))
    return ends


def main_clause(text: str) -> int | None:
    """Where ``text``'s first clause ends, when that clause reads as a complete one and is worth
    quoting alone (the first of ``clause_ends``)."""
    ends = clause_ends(text)
    return ends[0] if ends else None


def lead_end(text: str) -> int | None:
    """Where a leading discourse connective ends ("However, ", "In effect, ", "On the contrary,
    "): it ties the sentence to one the summary does not show and says nothing of its own, so
    the quote may start after it. Not when what follows opens with a back-reference ("it",
    "they"…) or is short; dates, places and conditions that open a sentence are never cut."""
    match = CONNECTIVE.match(text)
    if not match or not text[match.end():match.end() + 1].isalpha():
        return None
    rest = text[match.end():].split()
    if len(rest) < CLAUSE_WORDS or rest[0].lower() in POINTS_BACK:
        return None
    return match.end()


def stands_alone(text: str) -> bool:
    """Whether a sentence can be quoted on its own: not when it opens (perhaps after a short
    opening phrase) with a word that refers to what came before ("This contributed to…",
    "Therefore, they…"; :func:`bot.answer.points_back`, the rule that makes an answer's quote
    take the sentence before), which a summary does not show, nor when its quotation marks do
    not pair up (a piece of a longer quotation the sentence splitter cut)."""
    return _balanced(text) and not points_back(text)


def is_short_list(text: str) -> bool:
    """Whether a paragraph is a short list of short lines ("Pros:" over "Best noise
    cancelling here", "Quiet"), quoted whole in a summary: line by line, a review's summary
    was 30 quotes of its pros and cons, none saying whose or which (and lines of fewer than
    four words were never quoted)."""
    lines = text.split("\n")
    return (len(lines) > 1 and len(text) <= LIST_CHARS and BOILERPLATE.search(text) is None
            and all(len(line.split()) <= LIST_LINE_WORDS for line in lines))


def candidates(stored: StoredArticle, numbers: Sequence[int], *, clauses: bool,
               only: set[int] | None = None) -> list[Unit]:
    """Quotable sentences of paragraphs ``numbers`` (and, with ``clauses``, their main clauses),
    in reading order; with ``only``, of those sentence indices alone. Sentences that do not
    stand alone are quoted only from a paragraph that has nothing else to quote; questions
    (:func:`bot.answer.asks_at`) and boilerplate (:data:`BOILERPLATE`) only when the text has
    nothing else at all."""
    wanted = set(numbers)
    units: list[Unit] = []
    leaning: list[Unit] = []  # spans of sentences that do not stand alone
    # (a document's fields, "Channel: Kitchen with Layla" over "Uploaded: 2 February 2026",
    # make no point of their own)
    fields = {n for n in wanted if is_fields(stored.article.paragraph(n).text)}
    wanted = wanted - fields or wanted
    listed = {n for n in wanted if is_short_list(stored.article.paragraph(n).text)}
    for n in sorted(listed):
        i = next(k for k, s in enumerate(stored.sentences) if s.paragraph == n)
        if only is None or any(stored.sentences[k].paragraph == n for k in only):
            text = stored.article.paragraph(n).text
            units.append(Unit(i, n, 0, len(text), text))
    for i, s in enumerate(stored.sentences):
        if (s.paragraph not in wanted or s.paragraph in listed or len(s.text.split()) < 4
                or len(s.text) < MIN_SENTENCE):
            continue
        if only is not None and i not in only or asks_at(stored, i) or BOILERPLATE.search(
                s.text):
            continue  # (a question makes no point: an interviewer's, a rhetorical one)
        spans = [Unit(i, s.paragraph, s.start, s.end, s.text)]
        for begin in sorted({0, lead_end(s.text) or 0}) if clauses else ():
            for end in [*clause_ends(s.text[begin:]), len(s.text) - begin]:
                if begin or end < len(s.text):
                    spans.append(Unit(i, s.paragraph, s.start + begin, s.start + begin + end,
                                      s.text[begin:begin + end]))
        (units if stands_alone(s.text) else leaning).extend(spans)
    quoted = {u.paragraph for u in units}
    units = sorted(units + [u for u in leaning if u.paragraph not in quoted],
                   key=lambda u: (u.paragraph, u.start, u.end))
    if not units:  # only short lines: quote them rather than nothing
        units = [Unit(i, s.paragraph, s.start, s.end, s.text)
                 for i, s in enumerate(stored.sentences) if s.paragraph in wanted]
    return units


_CLAUSE_VECTORS: dict[str, np.ndarray] = {}


def unit_vectors(stored: StoredArticle, units: list[Unit], embed: Embed | None) -> np.ndarray:
    """The stored vector of a whole sentence, a whole paragraph's (:func:`paragraph_vectors`)
    of a paragraph quoted whole; a clause is embedded on its own (and cached)."""
    def whole(u: Unit) -> bool:
        sentence = stored.sentences[u.sentence]
        return (u.start, u.end) == (sentence.start, sentence.end)

    def paragraph(u: Unit) -> bool:
        return not whole(u) and u.text == stored.article.paragraph(u.paragraph).text

    missing = [u.text for u in units
               if not whole(u) and not paragraph(u) and u.text not in _CLAUSE_VECTORS]
    if missing and embed is not None:
        if len(_CLAUSE_VECTORS) > 4096:
            _CLAUSE_VECTORS.clear()
        _CLAUSE_VECTORS.update(zip(missing, embed(missing)))
    paragraphs = paragraph_vectors(stored, embed) if any(map(paragraph, units)) else None
    return np.stack([stored.sentence_vectors[u.sentence] if whole(u)
                     else paragraphs[u.paragraph - 1] if paragraph(u)
                     else _CLAUSE_VECTORS[u.text] for u in units])


_PARAGRAPH_VECTORS: dict[tuple[str, str], np.ndarray] = {}


def paragraph_vectors(stored: StoredArticle, embed: Embed | None) -> np.ndarray:
    """Each paragraph embedded whole, as the summary's sense of what a paragraph is about.
    Indexing no longer embeds paragraphs (it doubled its cost), so they are embedded here, once
    per article version; without ``embed``, the mean of each paragraph's sentence vectors."""
    if embed is None:
        return stored.whole_paragraph_vectors
    key = (stored.info.id, stored.info.version)
    if key not in _PARAGRAPH_VECTORS:
        if len(_PARAGRAPH_VECTORS) > 64:
            _PARAGRAPH_VECTORS.clear()
        vectors = np.asarray(embed([p.text for p in stored.article.paragraphs]), np.float32)
        _PARAGRAPH_VECTORS[key] = vectors / np.maximum(
            np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return _PARAGRAPH_VECTORS[key]


def parts(numbers: Sequence[int], count: int) -> dict[int, int]:
    """Paragraph number → part: ``count`` contiguous runs of (nearly) equally many paragraphs."""
    count = max(1, min(count, len(numbers)))
    return {n: k * count // len(numbers) for k, n in enumerate(numbers)}


# -- selection --------------------------------------------------------------------------------

def select(units: list[Unit], vectors: np.ndarray, ground: np.ndarray, weights: np.ndarray,
           rewards: np.ndarray, part_of: list[int], costs: list[int], budget: int, *,
           spread: float = SPREAD, cost_scale: float = COST_SCALE, max_units: int | None = None,
           min_gain: float = 0.0) -> list[int]:
    """Cost-aware greedy for coverage + spread (see the module docstring): indices into
    ``units`` of the chosen spans, best first. ``ground``: vectors of the sentences to cover,
    with ``weights``; ``rewards``: each unit's importance; overlapping spans are never both
    chosen. Ties go to the earlier span, so the result is deterministic."""
    similarity = np.clip(vectors @ ground.T, 0.0, None)  # (units, ground)
    total = float(weights.sum()) or 1.0
    count = max(part_of, default=0) + 1
    covered = np.zeros(len(ground), dtype=np.float64)
    in_part = np.zeros(count, dtype=np.float64)
    chosen: list[int] = []
    taken: dict[int, list[tuple[int, int]]] = {}  # paragraph → chosen spans
    first_gain = None
    left = budget
    while max_units is None or len(chosen) < max_units:
        coverage = (np.clip(similarity - covered, 0.0, None) @ weights) / total
        best, best_ratio, best_gain = -1, 0.0, 0.0
        for u, unit in enumerate(units):
            if costs[u] > left or any(unit.start < end and start < unit.end
                                      for start, end in taken.get(unit.paragraph, ())):
                continue
            k = part_of[u]
            gain = float(coverage[u]) + spread / count * (
                math.sqrt(in_part[k] + rewards[u] ** 2) - math.sqrt(in_part[k]))
            ratio = gain / costs[u] ** cost_scale
            if ratio > best_ratio:
                best, best_ratio, best_gain = u, ratio, gain
        if best < 0 or (first_gain is not None and best_gain < min_gain * first_gain):
            break
        first_gain = best_gain if first_gain is None else first_gain
        chosen.append(best)
        covered = np.maximum(covered, similarity[best])
        in_part[part_of[best]] += rewards[best] ** 2
        taken.setdefault(units[best].paragraph, []).append((units[best].start, units[best].end))
        left -= costs[best]
    return chosen


Shown = Callable[[Quote], str]  # how a quote will be shown (its citation included)


def _length(quotes: list[Quote], header: str, shown: Shown) -> int:
    return len(header) + sum(len(shown(q)) + 2 for q in quotes)


def _fit(quotes: list[Quote], header: str, shown: Shown) -> list[Quote]:
    """Drop the least important quotes until the summary fits one message (a safety net: the
    budget already accounts for every character)."""
    while quotes and _length(quotes, header, shown) > DISCORD_LIMIT:
        quotes.pop(min(range(len(quotes)), key=lambda k: quotes[k].score))
    return quotes


def _shortlist(stored: StoredArticle, numbers: list[int], body: list[int], whole: np.ndarray,
               centre: np.ndarray, opening: int | None) -> set[int]:
    """The ``SHORTLIST`` most important sentences of a long text (by :func:`importance`), an
    equal share from each of its parts, so that the summary can still reach its end."""
    vectors = stored.sentence_vectors[body]
    rewards = importance(vectors, whole[[stored.sentences[i].paragraph - 1 for i in body]],
                         centre, lead_weights(stored, body, opening))
    count = max(1, min(SHORTLIST // 20, len(numbers)))  # ~20 sentences a part
    part = parts(numbers, count)
    chosen: set[int] = set()
    for k in range(count):
        mine = [j for j, i in enumerate(body) if part[stored.sentences[i].paragraph] == k]
        mine.sort(key=lambda j: -rewards[j])
        chosen.update(body[j] for j in mine[:SHORTLIST // count])
    return chosen


def summarize(stored: StoredArticle, numbers: list[int], *, where: str = "",
              skip_notes: bool = True, embed: Embed | None = None,
              shown: Shown = format_quote, max_quotes: int | None = None) -> Summary:
    """The quotes that best cover paragraphs ``numbers`` (footnotes and author notes left out
    unless ``skip_notes`` is false), in reading order, in one message. With ``embed``, a long
    sentence's main clause may be quoted instead of the whole sentence. ``shown`` renders a
    quote as the reader will see it (a library's citations are longer), for the budget.
    ``max_quotes``: at most that many (a "tl;dr"), spread over as many parts of the text."""
    article = stored.info.id
    header = SUMMARY_HEADER.format(title=stored.info.title, where=where)
    numbers = [n for n in numbers if not (skip_notes and is_note(stored, n))] or list(numbers)
    body = [i for i, s in enumerate(stored.sentences) if s.paragraph in set(numbers)]
    long = len(body) > LONG_TEXT
    whole = paragraph_vectors(stored, None if long else embed)
    centre = whole[[n - 1 for n in numbers]].mean(axis=0)
    centre = centre / (np.linalg.norm(centre) or 1.0)
    if stored.title_vector is not None:  # the title names what the article is about
        centre = centre + stored.title_vector
        centre = centre / (np.linalg.norm(centre) or 1.0)
    opening = opening_sentence(stored, numbers)
    only = _shortlist(stored, numbers, body, whole, centre, opening) if long else None
    units = candidates(stored, numbers, clauses=embed is not None, only=only)
    if not units:
        return Summary(quotes=[], message=header, article=article)
    vectors = unit_vectors(stored, units, embed)
    if long:  # cover the paragraphs, not each of thousands of sentences
        ground = whole[[n - 1 for n in numbers]]
        weights = importance(ground, ground, centre, np.ones(len(ground)))
    else:
        ground = stored.sentence_vectors[body]
        own = whole[[stored.sentences[i].paragraph - 1 for i in body]]
        weights = importance(ground, own, centre, lead_weights(stored, body))
    rewards = importance(vectors, whole[[u.paragraph - 1 for u in units]], centre,
                         lead_weights(stored, [u.sentence for u in units], opening))
    costs = [len(shown(u.quote(article, 0.0))) + 2 for u in units]  # "\n\n" + block
    text_length = sum(len(stored.article.paragraph(n).text) for n in numbers)
    # at least one quote fits: a paragraph of one long sentence is summarised by it, not by
    # nothing
    budget = min(DISCORD_LIMIT - len(header), max(int(SHARE * text_length), 300, min(costs)))
    # As many parts as quotes are likely to fit, so that each part can get one.
    expected = budget // max(int(np.median(
        [costs[k] for k, u in enumerate(units)
         if (u.start, u.end) == (stored.sentences[u.sentence].start,
                                 stored.sentences[u.sentence].end)])), 1)
    part = parts(numbers, max(min(expected, max_quotes or expected), 1))
    picked = select(units, vectors, ground, weights, rewards, [part[u.paragraph] for u in units],
                    costs, budget, max_units=max_quotes,
                    cost_scale=BRIEF_COST_SCALE if max_quotes else COST_SCALE)
    picked.sort(key=lambda u: (units[u].paragraph, units[u].start))
    quotes = _fit([units[u].quote(article, float(rewards[u])) for u in picked], header, shown)
    return Summary(quotes=quotes, message=render_quotes(quotes, header=header), article=article)


def summarize_topic(searcher: Searcher, info, scorer: Scorer, topic: str,
                    query_vector: np.ndarray, max_quotes: int = TOPIC_QUOTES,
                    shown: Shown = format_quote) -> Summary:
    """The passages about ``topic``, in reading order: relevance to the topic (the fitted
    scorer's probability) × coverage, so that two passages making the same point are not both
    quoted."""
    evidence = searcher.retrieve(topic, query_vector, [info])
    stored = searcher.state(info).stored
    title = stored.info.title
    probs, confidence = score(evidence, scorer, topic)
    if not evidence.candidates or confidence < scorer.min_confidence:
        return Summary(quotes=[], article=stored.info.id,
                       message=f"*{title}* doesn't seem to discuss “{topic}”.")
    best = float(probs.max())
    keep = sorted((c for c, p in zip(evidence.candidates, probs) if p >= TOPIC_SHARE * best),
                  key=lambda c: c.index)
    relevance_of = {id(c): float(p) / best for c, p in zip(evidence.candidates, probs)}
    header = TOPIC_HEADER.format(title=title, topic=topic)
    article = stored.info.id
    units = [Unit(c.index, c.sentence.paragraph, c.sentence.start, c.sentence.end,
                  c.sentence.text) for c in keep]
    vectors = stored.sentence_vectors[[c.index for c in keep]]
    relevance = np.array([relevance_of[id(c)] for c in keep])
    costs = [len(shown(u.quote(article, 0.0))) + 2 for u in units]
    picked = select(units, vectors, vectors, relevance, relevance, [0] * len(units), costs,
                    DISCORD_LIMIT - len(header), spread=0.0, max_units=max_quotes,
                    min_gain=TOPIC_MIN_GAIN)
    picked.sort(key=lambda u: (units[u].paragraph, units[u].start))
    quotes = _fit([units[u].quote(article, keep[u].score) for u in picked], header, shown)
    return Summary(quotes=quotes, message=render_quotes(quotes, header=header), article=article)
