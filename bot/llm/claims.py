"""The numbers and names a sentence states, and whether its evidence states them too.

An answer sentence in the model's own words may paraphrase its quotes, but every number, date and
proper name in it must occur in those quotes (or in the article's title or byline); otherwise it
says something its quotes don't ("1.5 billion people" beside a quote that says 1.4 billion).

What counts (documented in docs/llm.md):

- **Numbers**: digits (``1979``, ``1.4``, ``1,400``, ``70%``, ``9th``, ``1990s``) and number words
  (``two`` to ``ninety``, ``hundred`` … ``trillion``, ``dozen``, ordinals ``first`` to
  ``twelfth``), a run of them read as one value (``1.4 billion`` = ``1,400 million``). A number
  passes when the evidence has one of the same value. A lone ``one`` is not a number here (it is a
  pronoun as often: "one of the greatest powers").
- **Names**: a word starting with a capital letter, not at the start of a sentence, and every
  acronym (``SCO``, ``U.S.``) and word mixing letters and digits (``COVID-19``), wherever it
  stands. A capitalised word at the start of a sentence is a name too unless it is a common word
  (an English function word, or a word the article itself writes in lower case): "Putin said"
  is checked, "The article says" is not. A multiword name (capitalised words one space apart)
  must stand together in one text of the evidence.
  A name passes when the evidence has the same word, ignoring case, dots, a possessive ``’s`` and
  the endings that turn a place into its people (Russia/Russian, China/Chinese), or when it is an
  acronym of capitalised words in the evidence (``SCO`` for Shanghai Cooperation Organization),
  or a run of capitalised words whose initials are an acronym there.

Dates are covered by these two rules: a month or weekday is a name, a day or year a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "bn": 1e9, "mn": 1e6}
_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split())}
_NUMBER_WORDS = {**_UNITS, **_TENS, "dozen": 12, **_ORDINALS}

_TOKEN = re.compile(
    r"(?P<num>(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?:s|st|nd|rd|th)?(?!\w)"
    r"|(?P<code>(?=[\w-]*[^\W\d_])(?=[\w-]*\d)\w+(?:-\w+)*)"
    r"|(?P<word>[^\W\d_]+(?:[’'\-.][^\W\d_]+)*\.?)")
# A new sentence starts after these (and at the start of the text).
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[(\[“\"‘«„—–-]\s*)$")
_POSSESSIVE = re.compile(r"(?:[’']s?)$")
_DEMONYM = ("ians", "ian", "ese", "ans", "an", "ns", "ia", "n", "s", "a", "e")
_CONNECTORS = {"of", "and", "the", "for", "&"}

# Words that start sentences and are never names. With the article's own lower-case words.
COMMON = frozenset("""
a about above according across after afterwards again against ago all almost along already also
although always among an and another any anyway are around as asked at back be because been
before being below beside besides between beyond both briefly but by can clearly could despite
did do does doing done down during each either else even ever every except few finally first
for from further furthermore given had has have having he hence her here hers herself him
himself his how however i if in indeed instead into is it its itself just last later least less
like likely many may meanwhile might more moreover most mostly much must my neither never
nevertheless next no none nor not nothing now of off often on once only or other others otherwise
our out over overall per perhaps rather second several she should since so some still such than
that the their theirs them themselves then there thereby therefore these they this those though
through thus to together too toward towards under unlike until up upon us very was we were what
whatever when where whereas whether which while who whom whose why will with within without would
yes yet you your
article articles author authors paragraph paragraphs quote quotes text writer writers
""".split())


@dataclass(frozen=True)
class Claim:
    kind: str  # "number" or "name"
    text: str
    value: float | str
    start: int = 0  # where it stands in the text


def _number(token: str) -> float | None:
    digits = token.replace(",", "")
    try:
        return float(digits)
    except ValueError:
        return None


def _run_value(words: list[str]) -> float | None:
    """The value of a run like ["twenty", "one"], ["1.4", "billion"], ["two", "hundred"]."""
    total, current, seen = 0.0, 0.0, False
    for word in words:
        low = word.lower()
        if low in _SCALES:
            scale = _SCALES[low]
            current = (current or 1) * scale
            if scale >= 1000:
                total, current = total + current, 0.0
        elif low in _NUMBER_WORDS:
            current += _NUMBER_WORDS[low]
        else:
            value = _number(word)
            if value is None:
                return None
            current += value
        seen = True
    return total + current if seen else None


def _is_number_token(match: re.Match) -> bool:
    if match.group("num"):
        return True
    word = (match.group("word") or "").lower().rstrip(".")
    return bool(word) and all(part in _NUMBER_WORDS or part in _SCALES
                              for part in word.split("-"))


def _numbers(text: str, tokens: list[re.Match]) -> list[Claim]:
    """Runs of number tokens (joined by spaces, hyphens or "and") read as one value each."""
    claims: list[Claim] = []
    run: list[re.Match] = []

    def close() -> None:
        words = [m.group("num") or m.group(0).rstrip(".") for m in run]
        words = [w for part in words for w in part.split("-")]
        if words == ["one"] or words == ["One"]:
            run.clear()
            return
        value = _run_value(words)
        if value is not None and not all(w.lower() in _SCALES for w in words):
            claims.append(Claim("number", text[run[0].start():run[-1].end()].rstrip("."), value,
                                run[0].start()))
        run.clear()

    previous_end = None
    for m in tokens:
        if _is_number_token(m):
            gap = text[previous_end:m.start()] if run else ""
            if run and not re.fullmatch(r"[\s-]*(?:and\s+)?", gap):
                close()
            run.append(m)
            previous_end = m.end()
        elif run and m.group(0).lower() == "and" and text[previous_end:m.start()].isspace():
            continue  # "one hundred and five"
        elif run:
            close()
    if run:
        close()
    return claims


def _starts_sentence(text: str, at: int) -> bool:
    return bool(_SENTENCE_START.search(text[:at]))


def _form(word: str) -> str:
    return _POSSESSIVE.sub("", word.replace(".", "")).lower()


def _stem(form: str) -> str:
    for ending in _DEMONYM:
        if form.endswith(ending) and len(form) - len(ending) >= 4:
            return form[: -len(ending)]
    return form


def _is_acronym(word: str) -> bool:
    letters = word.replace(".", "")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper()


def names(text: str, common: Iterable[str] = ()) -> list[Claim]:
    """The proper names ``text`` states (see the module's rule)."""
    common_words = COMMON | frozenset(common)
    found = []
    for m in _TOKEN.finditer(text):
        if m.group("code"):
            found.append(Claim("name", m.group(0), _form(m.group(0)), m.start()))
            continue
        word = m.group("word")
        if not word or not word[0].isupper() or word == "I":
            continue
        if word.lower().rstrip(".") in _NUMBER_WORDS:
            continue
        if (not _is_acronym(word) and _starts_sentence(text, m.start())
                and _form(word) in common_words):
            continue
        shown = word if "." in word[:-1] else word.rstrip(".")
        found.append(Claim("name", shown, _form(word), m.start()))
    return found


def claims(text: str, common: Iterable[str] = ()) -> list[Claim]:
    """Every number and proper name ``text`` states."""
    tokens = list(_TOKEN.finditer(text))
    return _numbers(text, tokens) + names(text, common)


@dataclass(frozen=True)
class Evidence:
    """What the quotes (and title, byline) state: values, word forms, stems and acronyms."""

    values: frozenset[float]
    forms: frozenset[str]
    stems: frozenset[str]
    acronyms: frozenset[str]
    initials: frozenset[str]
    sequences: tuple[tuple[str, ...], ...] = ()  # each text's word forms, in order

    def has_phrase(self, forms: list[str]) -> bool:
        """Whether the words ``forms`` stand together, in this order, in one evidence text."""
        want = [(f, _stem(f)) for f in forms]
        for seq in self.sequences:
            for at in range(len(seq) - len(want) + 1):
                if all(seq[at + k] == f or _stem(seq[at + k]) == stem
                       for k, (f, stem) in enumerate(want)):
                    return True
        return False

    def holds(self, claim: Claim) -> bool:
        if claim.kind == "number":
            return any(abs(claim.value - v) <= 1e-9 * max(1.0, abs(v)) for v in self.values)
        form = str(claim.value)
        if form in self.forms or _stem(form) in self.stems:
            return True
        if "-" in form and all(p in self.forms or _stem(p) in self.stems
                               for p in form.split("-") if p):
            return True
        return _is_acronym(claim.text) and form in self.initials


@lru_cache(maxsize=512)
def evidence(*texts: str) -> Evidence:
    values: set[float] = set()
    forms: set[str] = set()
    acronyms: set[str] = set()
    initials: set[str] = set()
    sequences: list[tuple[str, ...]] = []
    for text in texts:
        tokens = list(_TOKEN.finditer(text))
        sequences.append(tuple(p for m in tokens for p in _form(m.group(0)).split("-") if p))
        for claim in _numbers(text, tokens):
            values.add(claim.value)
        for m in tokens:
            if m.group("num"):
                value = _number(m.group("num"))
                if value is not None:
                    values.add(value)
            elif (m.group("word") or "").lower().rstrip(".") in _NUMBER_WORDS:
                values.add(float(_NUMBER_WORDS[m.group("word").lower().rstrip(".")]))
            form = _form(m.group(0))
            forms.add(form)
            forms.update(p for p in form.split("-") if p)
            if _is_acronym(m.group(0)):
                acronyms.add(form)
        initials.update(_initials(tokens))
    return Evidence(frozenset(values), frozenset(forms), frozenset(_stem(f) for f in forms),
                    frozenset(acronyms), frozenset(initials), tuple(sequences))


def _initials(tokens: list[re.Match]) -> set[str]:
    """Initials of every run of capitalised words (skipping "of", "and", "the"): "us" from
    "United States", "sco" from "Shanghai Cooperation Organization"."""
    out: set[str] = set()
    run: list[str] = []
    for m in [*tokens, None]:
        word = m.group(0) if m is not None else ""
        if word and word[0].isupper() and not _is_acronym(word):
            run.append(word[0].lower())
            continue
        if word.lower() in _CONNECTORS and run:
            continue
        for i in range(len(run)):
            for j in range(i + 2, len(run) + 1):
                out.add("".join(run[i:j]))
        run = []
    return out


def unsupported(text: str, support: Evidence, common: Iterable[str] = ()) -> list[Claim]:
    """The claims of ``text`` that ``support`` does not state, including names whose acronym
    is in the support (a run "United States" beside "U.S." passes)."""
    found = claims(text, common)
    missing = [c for c in found if not support.holds(c)]
    # A multiword name ("Wang Yi") must stand together in one text, not be pieced together.
    run: list[Claim] = []
    for claim in [c for c in found if c.kind == "name"] + [None]:
        if claim is not None and run and re.fullmatch(
                r" ", text[run[-1].start + len(run[-1].text):claim.start]):
            run.append(claim)
            continue
        if len(run) >= 2 and not any(c in missing for c in run) and not support.has_phrase(
                [p for c in run for p in str(c.value).split("-") if p]):
            missing.extend(run)
        run = [claim] if claim is not None else []
    if not missing:
        return missing
    # A run of capitalised words passes as a whole when its initials are an acronym there.
    passing: set[int] = set()
    words = list(re.finditer(r"[^\W\d_][\w’'.-]*", text))
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and words[j].group(0)[0].isupper() and (
                j == i or re.fullmatch(r"\s+", text[words[j - 1].end():words[j].start()])):
            j += 1
        for a in range(i, j):  # every part of the run: "The United States" holds "United States"
            for b in range(a + 2, j + 1):
                if "".join(w.group(0)[0].lower() for w in words[a:b]) in support.acronyms:
                    passing.update(range(words[a].start(), words[b - 1].end()))
        i = max(j, i + 1)
    return [c for c in missing if c.kind != "name" or c.start not in passing]
