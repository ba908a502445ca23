"""Word-for-word checking of the quotes a language model claims the article contains.

Pure text work, no model and no I/O. A quote is accepted only when it is one contiguous span of
a paragraph, equal to the model's text up to white space (any run of it counts as one space) and
typographic quotation marks (“ ” „ « » and ‘ ’ ‚ count as " and '). The span is then cut from the
paragraph itself, so the quote shown is always the article's own characters, never the model's.

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

from bot.models import Quote
from index.article import Article

DOUBLE_QUOTES = "\"“”„‟«»″〝〞＂"
SINGLE_QUOTES = "'‘’‚‛‹›′`´＇"
_TRANSLATE = {ord(c): '"' for c in DOUBLE_QUOTES} | {ord(c): "'" for c in SINGLE_QUOTES}
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


@lru_cache(maxsize=1024)
def normalise(text: str) -> Normalised:
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
        chars.append(ch.translate(_TRANSLATE))
        origin.append(i)
    return Normalised("".join(chars), tuple(origin))


def _boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and text[start].isalnum()) and not (
        after.isalnum() and text[end - 1].isalnum())


def find_span(needle: str, paragraph_text: str) -> tuple[int, int] | None:
    """The original ``[start, end)`` of the first word-bounded match of ``needle`` (already
    normalised) in ``paragraph_text``, or ``None``."""
    if not needle:
        return None
    hay = normalise(paragraph_text)
    at = hay.text.find(needle)
    while at >= 0:
        end = at + len(needle)
        if _boundary(hay.text, at, end):
            return hay.span(at, end)
        at = hay.text.find(needle, at + 1)
    return None


def _candidates(text: str) -> list[str]:
    """The model's quote normalised, then without framing it may have added: surrounding
    quotation marks, leading or trailing ellipses, and last a full stop or comma it put at the
    end of a quote that stops mid-sentence in the article."""
    forms: list[str] = []
    current = normalise(text).text
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


INLINE_QUOTE = re.compile(r"\"([^\"]{3,}?)\"|“([^“”]{3,}?)”")


def inline_quotes_hold(article: Article, sentence: str) -> bool:
    """Whether every quotation inside a sentence in the model's own words is in the article.

    A model may slip a quotation into its answer sentence instead of the quotes list; every quote
    shown must be verbatim, so a sentence quoting words the article does not contain is
    dropped. Single quoted words (scare quotes) are checked too.
    """
    for match in INLINE_QUOTE.finditer(sentence):
        words = normalise(match.group(1) or match.group(2)).text.strip(_FRAME)
        if not words:
            continue
        if not any(find_span(words, p.text) for p in article.paragraphs):
            return False
    return True


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
    sentences still backed by one. ``clean`` tidies a sentence (links, mentions) first."""
    tally = Tally()
    planted = planted_paragraphs(article)
    checked: list[Quote | None] = []
    for claimed in reply.quotes:
        check = check_quote(article, claimed.paragraph, claimed.text)
        if check.quote is not None and check.quote.paragraph in planted:
            check = Check("dropped", reason="planted instruction")
        tally.add(check)
        checked.append(check.quote)
    shown: list[Quote] = []
    sentences: list[str] = []
    for sentence in reply.sentences:
        text = clean(sentence.text) if clean else sentence.text.strip()
        support = [checked[i] for i in sentence.quotes if checked[i] is not None]
        ok = (text and support and inline_quotes_hold(article, text)
              and len(sentences) < max_sentences
              and len(" ".join([*sentences, text])) <= max_chars)
        if not ok:
            tally.sentences_dropped += 1
            continue
        sentences.append(text)
        for quote in support:
            if not any(overlaps(quote, kept) for kept in shown):
                shown.append(quote)
    return Verified(sentences, shown, tally)
