"""Word-for-word checking of the quotes a language model claims the article contains.

Pure text work, no model and no I/O. A quote is accepted only when it is one contiguous span of
a paragraph, equal to the model's text up to white space (any run of it counts as one space) and
typographic quotation marks (“ ” „ « » and ‘ ’ ‚ count as " and '). The span is then
cut from the paragraph itself, so the quote shown is always the article's own characters,
never the model's.

- found in the cited paragraph: kept as cited;
- not there but in another paragraph: re-cited to that paragraph (the nearest one to the cited
  number when several contain it);
- found nowhere, too short to mean anything, or stitched together from two places (a
  "frankenquote", which matches no contiguous span): dropped.

A match must also start and end on word boundaries, so "ina and Russia" does not verify against
"China and Russia".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot.llm.claims import COMMON, evidence, unsupported
from bot.llm.quotations import Quotation, find_quotations
from bot.models import Quote
from index.article import Article

DOUBLE_QUOTES = "\"“”„‟«»″〝〞＂"
SINGLE_QUOTES = "'‘’‚‛‹›′`´＇"
_TRANSLATE = {ord(c): '"' for c in DOUBLE_QUOTES} | {ord(c): "'" for c in SINGLE_QUOTES}
# For quotations inside the model's sentences, where a quotation nested in another may change
# style ("… the 'political virus' …" for the article's “… the “political virus” …”):
# every quotation mark and apostrophe counts as one.
_LOOSE = {ord(c): '"' for c in DOUBLE_QUOTES + SINGLE_QUOTES + "「」『』❝❞❛❜"}
# Marks a model puts around or at the ends of a quote that are not part of it.
_FRAME = DOUBLE_QUOTES + SINGLE_QUOTES + " "
_ELLIPSIS = re.compile(r"^(?:\.\.\.|…)\s*|\s*(?:\.\.\.|…)$")
_WORD = re.compile(r"\w+")

MIN_WORDS = 2  # a one-word "quote" proves nothing and would match almost anywhere


@dataclass(frozen=True)
class Normalised:
    """Text with white space collapsed and quotation marks unified, plus where each character
    came from: ``origin[i]`` is the index in the original text of normalised character ``i``."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` of the normalised span ``[start, end)`` (end > start)."""
        return self.origin[start], self.origin[end - 1] + 1


@lru_cache(maxsize=2048)
def normalise(text: str, loose: bool = False) -> Normalised:
    table = _LOOSE if loose else _TRANSLATE
    chars: list[str] = []
    origin: list[int] = []
    pending_space = False
    for i, ch in enumerate(text):
        if ch.isspace() or ch in "\u200b\u200c\u200d\ufeff":
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            origin.append(i - 1)
            pending_space = False
        chars.append(ch.translate(table))
        origin.append(i)
    return Normalised("".join(chars), tuple(origin))


def _boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and text[start].isalnum()) and not (
        after.isalnum() and text[end - 1].isalnum())


def find_span(needle: str, paragraph_text: str, loose: bool = False) -> tuple[int, int] | None:
    """The original ``[start, end)`` of the first word-bounded match of ``needle`` (already
    normalised, ``loose`` or not) in ``paragraph_text``, or ``None``."""
    if not needle:
        return None
    hay = normalise(paragraph_text, loose)
    at = hay.text.find(needle)
    while at >= 0:
        end = at + len(needle)
        if _boundary(hay.text, at, end):
            return hay.span(at, end)
        at = hay.text.find(needle, at + 1)
    return None


def _candidates(text: str, loose: bool = False) -> list[str]:
    """The model's quote normalised, then without framing it may have added: surrounding
    quotation marks, leading or trailing ellipses, and last a full stop or comma it put at the
    end of a quote that stops mid-sentence in the article."""
    forms: list[str] = []
    current = normalise(text, loose).text
    for _ in range(3):
        if current and current not in forms:
            forms.append(current)
        stripped = _ELLIPSIS.sub("", current).strip(_FRAME)
        if stripped == current:
            break
        current = stripped
    if current and current not in forms:
        forms.append(current)
    bare = current.rstrip(".,;:!?" + _FRAME)
    if bare and bare not in forms:
        forms.append(bare)
    # The model's text as it is first (it may end on a quotation mark of the article's own),
    # then without the framing.
    return forms


@dataclass(frozen=True)
class Check:
    """The outcome for one claimed quote: ``status`` is "verified", "recited" or "dropped"."""

    status: str
    quote: Quote | None = None
    reason: str = ""


# An instruction planted in an article for a language model to obey ("ignore previous
# instructions", "note to AI assistants"). A quote of such a paragraph would be verbatim, so the
# word-for-word check cannot catch an answer that obeys it; quotes from it support nothing.
PLANTED = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(?:previous|prior|above|earlier|"
    r"preceding|all|your|system)\b[^.!?\n]{0,30}\b(?:instructions?|prompts?|rules|guidelines)\b"
    r"|\b(?:note|message|instructions?) (?:to|for) (?:all )?(?:AI|LLMs?|chatbots?|bots?|"
    r"(?:AI |language |large language )?(?:assistants?|models?))\b"
    r"|\b(?:system prompt|you are now (?:in|a|an)\b)",
    re.IGNORECASE)


def planted_paragraphs(article: Article) -> frozenset[int]:
    return frozenset(p.number for p in article.paragraphs if PLANTED.search(p.text))


def check_quote(article: Article, paragraph: int | None, text: str) -> Check:
    """Verify one claimed quote of ``article`` said to come from paragraph ``paragraph``."""
    if not isinstance(text, str) or not text.strip():
        return Check("dropped", reason="empty")
    forms = _candidates(text)
    if not forms or len(_WORD.findall(forms[-1])) < MIN_WORDS:
        return Check("dropped", reason="too short")
    count = len(article.paragraphs)
    cited = paragraph if isinstance(paragraph, int) and 1 <= paragraph <= count else None
    if cited is not None:
        body = article.paragraphs[cited - 1].text
        for form in forms:
            span = find_span(form, body)
            if span:
                return Check("verified", _quote(article, cited, body, span))
    # Elsewhere: nearest paragraph to the one cited first (or in reading order).
    order = sorted(range(1, count + 1), key=lambda n: (abs(n - (cited or 0)), n))
    for form in forms:
        for number in order:
            if number == cited:
                continue
            body = article.paragraphs[number - 1].text
            span = find_span(form, body)
            if span:
                return Check("recited", _quote(article, number, body, span))
    return Check("dropped", reason="not in the article")


def _quote(article: Article, number: int, body: str, span: tuple[int, int]) -> Quote:
    start, end = span
    return Quote(article.id, number, body[start:end], start, end)


@dataclass
class Tally:
    """Counters logged after each LLM answer."""

    verified: int = 0
    recited: int = 0
    dropped: int = 0
    sentences_dropped: int = 0
    reasons: list[str] = field(default_factory=list)
    inline_verified: int = 0  # quotations inside the model's sentences
    inline_recited: int = 0  # ... found in another paragraph than the one cited: citation fixed
    citations_fixed: int = 0  # paragraph numbers in sentences rewritten
    sentence_reasons: list[str] = field(default_factory=list)

    def drop_sentence(self, reason: str) -> None:
        self.sentences_dropped += 1
        if reason:
            self.sentence_reasons.append(reason)

    def add(self, check: Check) -> None:
        if check.status == "verified":
            self.verified += 1
        elif check.status == "recited":
            self.recited += 1
        else:
            self.dropped += 1
            self.reasons.append(check.reason)


def overlaps(a: Quote, b: Quote) -> bool:
    return a.paragraph == b.paragraph and a.start < b.end and b.start < a.end


# -- what the model writes in its own sentences --------------------------------------------------

# "¶3", "¶¶3-4", "(¶3, ¶5)", "§ 3", "paragraph 3", "paragraphs 2, 3 and 5", "para. 3".
_RANGE = r"(?:\s*(?:[-–—]|to|and|&)\s*{sign}\s*\d+|\s*,\s*{sign}\s*\d+)*"
CITATION = re.compile(
    r"(?P<sign>¶¶?|§§?)\s*(?P<nums>\d+" + _RANGE.format(sign="(?:¶|§)?") + r")"
    r"|\b(?P<word>[Pp]aragraphs?|[Pp]aras?\.?|[Pp]ars?\.)\s*(?P<wnums>\d+"
    + _RANGE.format(sign="") + r")(?!\w)")
_NUMBERS = re.compile(r"\d+|[-–—]|\bto\b")


@dataclass(frozen=True)
class Citation:
    """A paragraph citation the model wrote in a sentence, ``text[start:end]``."""

    start: int
    end: int
    numbers: tuple[int, ...]
    word: str  # "" for ¶ and §, else the word the model used ("paragraph", "Para.")

    def written(self, numbers: list[int]) -> str:
        """This citation rewritten to name ``numbers``, in the model's style."""
        if not self.word:
            marks = [f"¶{n}" for n in numbers]
            return marks[0] if len(marks) == 1 else ", ".join(marks[:-1]) + " and " + marks[-1]
        word = "paragraph" if self.word.lower().startswith("paragraph") else self.word
        word = word[0].upper() + word[1:] if self.word[0].isupper() else word
        if len(numbers) == 1:
            return f"{word} {numbers[0]}"
        listed = ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
        return f"{word}s {listed}" if word.lower() == "paragraph" else f"{word} {listed}"


def find_citations(text: str) -> list[Citation]:
    found = []
    for m in CITATION.finditer(text):
        raw = m.group("nums") or m.group("wnums")
        numbers: list[int] = []
        ranged = False
        for token in _NUMBERS.findall(raw):
            if not token[0].isdigit():
                ranged = True
                continue
            n = int(token)
            if ranged and numbers and numbers[-1] < n <= numbers[-1] + 50:
                numbers.extend(range(numbers[-1] + 1, n + 1))
            else:
                numbers.append(n)
            ranged = False
        found.append(Citation(m.start(), m.end(), tuple(dict.fromkeys(numbers)),
                              m.group("word") or ""))
    return found


@lru_cache(maxsize=32)
def article_words(article: Article) -> frozenset[str]:
    """Words the article writes in lower case: common words, never names at a sentence start."""
    words = re.findall(r"(?<![\w’'])[a-z][a-z’'-]*",
                       "\n".join(p.text for p in article.paragraphs))
    return frozenset(w.strip("’'-") for w in words) | COMMON


@dataclass
class SentenceCheck:
    """One sentence of the model's: ``text`` as shown (citations corrected) or None if dropped."""

    text: str | None
    reason: str = ""
    verified: int = 0
    recited: int = 0
    fixed: int = 0


def _locate(article: Article, words: str, cited: list[int],
            planted: frozenset[int]) -> tuple[str, int]:
    """Where a quotation from a sentence stands: ("verified", n) in a cited paragraph,
    ("title", 0) in the title or byline, ("recited", n) in another paragraph, or
    ("dropped", 0)."""
    forms = _candidates(words, loose=True)
    count = len(article.paragraphs)
    allowed = [n for n in range(1, count + 1) if n not in planted]
    for number in cited:
        if number in allowed:
            body = article.paragraphs[number - 1].text
            if any(find_span(form, body, loose=True) for form in forms):
                return "verified", number
    if any(find_span(form, extra, loose=True)
           for form in forms for extra in (article.title, article.authors or "")):
        return "title", 0
    anchor = cited[0] if cited else 0
    for number in sorted(allowed, key=lambda n: (abs(n - anchor), n)):
        body = article.paragraphs[number - 1].text
        if number not in cited and any(find_span(form, body, loose=True) for form in forms):
            return "recited", number
    return "dropped", 0


def check_sentence(article: Article, text: str, support: list[Quote], *,
                   planted: frozenset[int] = frozenset()) -> SentenceCheck:
    """Check the model's own sentence against the quotes it points at (``support``, verified).

    1. Every quotation in it (any style, see :mod:`bot.llm.quotations`) must be verbatim in the
       paragraph its citation names: the first ``¶N``/"paragraph N" after it in the sentence (the
       last one, for quotations after every citation), or with no citation in the sentence, the
       paragraph of one of its quotes. Found in another paragraph, the citation is corrected (or
       one is added after the quotation); found nowhere, the sentence is dropped.
    2. A citation that cites no quotation must name a paragraph of the sentence's quotes; it is
       corrected to the nearest one otherwise.
    3. Every number and name outside quotations and citations must be in the quotes it points at,
       its verified quotations, the title or the byline; otherwise the sentence is dropped.
    """
    pointers = sorted({q.paragraph for q in support})
    # Only the outermost quotations: one nested in another (“enemy” inside "... an “enemy”")
    # is checked with it, and a citation inserted after it would change the outer one's words.
    found = find_quotations(text)
    quotations = [q for q in found if not any(
        o is not q and o.outer[0] <= q.outer[0] and q.outer[1] <= o.outer[1]
        and o.outer != q.outer for o in found)]
    citations = [c for c in find_citations(text)
                 if not any(q.start <= c.start < q.end for q in quotations)]
    result = SentenceCheck(text)
    cited_by: dict[int, list[tuple[Quotation, int]]] = {k: [] for k in range(len(citations))}
    insert: list[tuple[int, str]] = []
    for quotation in quotations:
        after = [k for k, c in enumerate(citations) if c.start >= quotation.outer[1]]
        k = after[0] if after else (len(citations) - 1 if citations else None)
        named = list(citations[k].numbers) if k is not None else pointers
        status, where = _locate(article, quotation.text, named, planted)
        if status == "dropped":
            return SentenceCheck(None, "quotation not in the article")
        if status == "title":
            continue
        if status == "verified":
            result.verified += 1
        else:
            result.recited += 1
        if k is not None:
            cited_by[k].append((quotation, where))
        elif status == "recited":
            insert.append((quotation.outer[1], f" (¶{where})"))
    edits: list[tuple[int, int, str]] = [(at, at, mark) for at, mark in insert]
    for k, citation in enumerate(citations):
        if cited_by[k]:
            where = list(dict.fromkeys(n for _, n in cited_by[k]))
        else:
            where = [n for n in citation.numbers if n in pointers] or [
                min(pointers, key=lambda n: (abs(n - citation.numbers[0]), n))]
        if sorted(where) != sorted(citation.numbers):
            edits.append((citation.start, citation.end, citation.written(sorted(where))))
    result.fixed = len(edits)
    # Claims are read outside quotations (verified word for word) and citations.
    blank = list(text)
    for start, end in [q.outer for q in quotations] + [(c.start, c.end) for c in citations]:
        blank[start:end] = " " * (end - start)
    support_text = evidence(*(q.text for q in support), *(q.text for q in quotations),
                            article.title, article.authors or "")
    missing = unsupported("".join(blank), support_text, article_words(article))
    if missing:
        return SentenceCheck(None, "states what its quotes don't: "
                             + ", ".join(dict.fromkeys(c.text for c in missing)))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    result.text = text
    return result


def _across(article: Article, sentences: list[str], planted: frozenset[int]) -> int | None:
    """The index of a sentence to drop because a quotation begun in one sentence and ended in a
    later one (as the reader sees them, joined) is not in the article, or None."""
    starts, at = [], 0
    for sentence in sentences:
        starts.append(at)
        at += len(sentence) + 1
    joined = " ".join(sentences)
    for quotation in find_quotations(joined):
        first = max(i for i, s in enumerate(starts) if s <= quotation.outer[0])
        last = max(i for i, s in enumerate(starts) if s < quotation.outer[1])
        if first != last and _locate(article, quotation.text, [], planted)[0] == "dropped":
            return last
    return None


def rewrite_holds(rewritten: str, sources: list[str]) -> str:
    """Why a follow-up rewrite may not be used ("" when it may): it must not bring in a
    quotation, number or name that the question and the earlier questions do not contain."""
    for quotation in find_quotations(rewritten):
        forms = _candidates(quotation.text, loose=True)
        if not any(find_span(form, source, loose=True) for form in forms for source in sources):
            return f"quotation {quotation.text!r} not in the conversation"
    common = {w.lower() for source in sources for w in re.findall(r"[a-z][\w’'-]*", source)}
    missing = unsupported(rewritten, evidence(*sources), COMMON | common)
    if missing:
        return "adds " + ", ".join(dict.fromkeys(c.text for c in missing))
    return ""


@dataclass
class Verified:
    """What survives of a model's reply: sentences in its own words, each backed by at least
    one verified quote, and those quotes (in order of first use, without duplicates)."""

    sentences: list[str]
    quotes: list[Quote]
    tally: Tally

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def verify_reply(article: Article, reply, *, clean=None, max_sentences: int = 3,
                 max_chars: int = 600) -> Verified:
    """Check every claimed quote of ``reply`` (a :class:`bot.llm.reply.Reply`) and keep the
    sentences still backed by one and passing :func:`check_sentence`. ``clean`` tidies a
    sentence (links, mentions) first."""
    tally = Tally()
    planted = planted_paragraphs(article)
    checked: list[Quote | None] = []
    for claimed in reply.quotes:
        check = check_quote(article, claimed.paragraph, claimed.text)
        if check.quote is not None and check.quote.paragraph in planted:
            check = Check("dropped", reason="planted instruction")
        tally.add(check)
        checked.append(check.quote)
    kept: list[tuple[str, list[Quote]]] = []
    for sentence in reply.sentences:
        text = clean(sentence.text) if clean else sentence.text.strip()
        support = [checked[i] for i in sentence.quotes if checked[i] is not None]
        if not text or not support:
            tally.drop_sentence("no verified quote" if text else "empty")
            continue
        check = check_sentence(article, text, support, planted=planted)
        if check.text is None:
            tally.drop_sentence(check.reason)
            continue
        if (len(kept) >= max_sentences
                or len(" ".join([*(t for t, _ in kept), check.text])) > max_chars):
            tally.drop_sentence("too long")
            continue
        tally.inline_verified += check.verified
        tally.inline_recited += check.recited
        tally.citations_fixed += check.fixed
        kept.append((check.text, support))
    while (broken := _across(article, [t for t, _ in kept], planted)) is not None:
        del kept[broken]
        tally.drop_sentence("quotation across sentences not in the article")
    # Overlapping quotes are shown once, as the span covering both: the words each sentence
    # rests on are then all on screen.
    shown: list[Quote] = []
    for _, support in kept:
        for quote in support:
            at = next((i for i, seen in enumerate(shown) if overlaps(quote, seen)), None)
            if at is None:
                shown.append(quote)
                continue
            seen = shown[at]
            start, end = min(seen.start, quote.start), max(seen.end, quote.end)
            body = article.paragraphs[seen.paragraph - 1].text
            shown[at] = Quote(seen.article, seen.paragraph, body[start:end], start, end)
    return Verified([t for t, _ in kept], shown, tally)
