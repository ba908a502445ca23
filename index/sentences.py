"""Sentence spans within a paragraph.

NLTK's Punkt model (shipped offline inside llama-index-core) does the real work; two repairs
follow for cases Punkt misses in news text: an abbreviation that ends a sentence ("... with the
U.S. As many scholars ...") and a missing space after a full stop ("in 1992.On the contrary").
A line break inside a block is always a boundary (name lines, lists), and a run-on sentence
over 500 characters is cut at a clause boundary, so that no quote is a whole long paragraph. Only
Punkt's own modules are imported (0.1 s; all of NLTK takes 2-4 s), and only when an article is
indexed, never on the answering path.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

# Words that are capitalised after an abbreviation only when they start a new sentence.
_STARTERS = (
    "As|The|This|That|These|Those|In|But|Yet|However|It|He|She|They|We|There|Thus|So|And|"
    "Meanwhile|While|When|If|Although|Moreover|Therefore|Since|Given|For|On|At|Such|Its|His|Her"
)
_ABBREV_END = re.compile(r"(?<=\b[A-Z]\.[A-Z]\.)\s+(?=(?:%s)\b)" % _STARTERS)
_NO_SPACE = re.compile(r"(?:(?<=[a-z0-9]{2}[.!?])|(?<=\b[A-Z][0-9][.!?]))(?=[A-Z][a-z])")


_PUNKT_LOCK = threading.Lock()


def _punkt():
    """NLTK's Punkt tokenizer (built once; one thread at a time, since building it swaps
    ``nltk`` modules in and out of ``sys.modules``: an index build splits the next article in
    a thread of its own, and the bot adds articles in worker threads)."""
    with _PUNKT_LOCK:
        return _build_punkt()


@lru_cache(maxsize=1)
def _build_punkt():
    """NLTK's Punkt tokenizer, with the English model that llama-index-core ships offline.

    Built without running ``nltk/__init__.py``, which imports all of NLTK (scipy.stats through
    ``nltk.collocations``, every tokenizer, ...): 2-4 s on this machine, against 0.1 s for the
    few modules Punkt needs. ``nltk`` and ``nltk.tokenize`` are entered as bare packages while
    the tokenizer is built; afterwards every ``nltk`` module loaded for it leaves
    ``sys.modules`` again, so a later ``import nltk`` is a normal, complete import. An ``nltk``
    already imported is used as is.
    """
    import importlib
    import importlib.util
    import sys
    import types

    cache = Path(importlib.util.find_spec("llama_index.core").origin).parent / "_static" / (
        "nltk_cache")
    bare = "nltk" not in sys.modules
    if bare:
        for name in ("nltk", "nltk.tokenize"):
            spec = importlib.util.find_spec(name)
            module = types.ModuleType(name)
            module.__spec__, module.__path__ = spec, list(spec.submodule_search_locations)
            sys.modules[name] = module
    try:
        data = importlib.import_module("nltk.data")
        if str(cache) not in data.path:
            data.path.append(str(cache))
        return importlib.import_module("nltk.tokenize.punkt").PunktTokenizer("english")
    finally:
        if bare:
            for name in [n for n in sys.modules if n == "nltk" or n.startswith("nltk.")]:
                del sys.modules[name]


def _cut(text: str, start: int, end: int, pattern: re.Pattern) -> list[tuple[int, int]]:
    spans, begin = [], start
    for m in pattern.finditer(text, start, end):
        if m.start() > begin:
            spans.append((begin, m.start()))
        begin = m.end()
    spans.append((begin, end))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


MAX_SENTENCE = 500  # characters; a longer "sentence" is cut at a clause boundary
_CLAUSE = re.compile(r"[;:]\s+|,\s+(?=(?:and|but|while|which|whereas|although|yet)\b)|,\s+")


def _shorten(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an over-long span at the clause boundary nearest its middle, recursively."""
    if end - start <= MAX_SENTENCE:
        return [(start, end)]
    middle = (start + end) // 2
    cuts = [m.end() for m in _CLAUSE.finditer(text, start + 80, end - 80)]
    if not cuts:
        cuts = [m.end() for m in re.finditer(r"\s+", text[start + 80:end - 80])]
        cuts = [start + 80 + c for c in cuts]
    if not cuts:
        return [(start, end)]
    cut = min(cuts, key=lambda c: abs(c - middle))
    first = _trim(text, start, cut)
    second = _trim(text, cut, end)
    return [*(_shorten(text, *first) if first else []),
            *(_shorten(text, *second) if second else [])]


# Abbreviations after which Punkt cuts although the text goes on ("amounted to ca. | 2 million",
# "Regiment No. | 13", "i.e. | by the races"), and a bracketed editor's query ("people[who?] |
# who did not").
_ABBREVIATION = re.compile(
    r"(?:\b(?:ca|c|approx|e\.g|i\.e|etc|vs|cf|viz|no|nos|vol|vols|pp|p|fig|figs|est|al|incl|"
    r"esp|ed|eds|art|sec|ch)\.|\[[^\]]*\?\])$", re.I)
# The abbreviations that announce a number, as they are written: "No. 13", "ca. 2 million",
# "c. 1200", "pp. 4-6"; not "said no. | 2015 was different" or "vitamin C. | 5 of them".
_BEFORE_NUMBER = re.compile(
    r"(?:\b(?:No|Nos|Vol|Vols|Fig|Figs|Art|Sec|Ch)|\b(?:ca|c|approx|nos|vol|vols|pp|p|fig|"
    r"figs|est|art|sec|ch))\.$")


# A list item's number or letter ("1.", "(2)", "b)"): alone, Punkt takes it for a sentence.
ENUMERATOR = r"\(?(?:\d{1,3}|[a-z])[.)]"
# ... or its Roman numeral ("iv.", "II)"; an HTML <ol type="i"> or a Word list shows them).
_ROMAN = r"(?=[ivxlcdm])m{0,3}(?:c[md]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})"
ITEM_NUMBER = re.compile(rf"{ENUMERATOR}|\(?(?:{_ROMAN}|{_ROMAN.upper()})[.)]")
# A line's opening item number with the space after it ("2. Sift…"; not "1.5 cups")
ITEM_MARK = re.compile(rf"\s*(?:{ITEM_NUMBER.pattern})\s+")
# An opening quotation mark Punkt leaves at the end of the sentence before ("baissent. «").
_OPENING = re.compile(r"\s[«“‘„]$")
# A person's initials: alone ("J.R.R. | Tolkien"), or one ending the text before the cut while
# the next starts with another ("the economist J. | A. Hobson"), they are no sentence's end.
_INITIALS = re.compile(r"(?:[A-Z]\.){1,4}")
_ENDS_WITH_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.$")
_STARTS_WITH_INITIAL = re.compile(r"[A-Z]\.(?:\s|[A-Z]\.)")
# What a footnote's mark holds: "1", "a", "*" (HTML's <sup> marks are read with it too).
NOTE_MARK = r"(?:\d{1,3}|[a-z]|[*†‡§¶])"
# Footnote marks right after a sentence's full stop ("silt.[1] It goes on", Wikipedia's
# "common.[3][4] Doctors", "[5]:12", "[note 1]"): they go with that sentence. With a space
# before it ("options. [1] Raise taxes.") a bracketed number is a list item's.
_NOTE_START = re.compile(rf"(?P<marks>(?:\[(?:{NOTE_MARK}|note \d{{1,3}})\](?::\d+(?:[–-]\d+)?)?)+)"
                         r"(?=\s|$)\s*")
# A question or exclamation inside brackets or quotation marks, the sentence going on after it
# ("She asked (why not?) | and left.", "“Why?” | he asked.").
_INNER_END = re.compile(r"[?!][)\]”’\"']+$")


def _join_false_breaks(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo Punkt's cut where the text goes on: a sentence never starts with a lower-case
    letter after an abbreviation ("the E.U. | in 2020", "i.e. | by"), with a number after one
    that announces it ("ca. | 2 million", "No. | 13"), or with closing punctuation ("etc. | ).");
    a list item's number is no sentence of its own ("1. | Check the brakes."); an opening
    quotation mark goes with the sentence it opens ("baissent. « | C'est …"), a footnote's mark
    with the one it ends ("silt. | [1] It goes on"); initials end no sentence ("J. | A. Hobson");
    nor does a question in brackets or quotation marks ("(why not?) | and left")."""
    joined: list[tuple[int, int]] = []
    for a, b in spans:
        if joined:
            opening = _OPENING.search(line, joined[-1][0], joined[-1][1])
            if opening and opening.start() > joined[-1][0]:
                joined[-1], a = (joined[-1][0], opening.start()), opening.start() + 1
            note = _NOTE_START.match(line, a) if a == joined[-1][1] else None
            if note:
                joined[-1], a = (joined[-1][0], note.end("marks")), note.end()
                if a >= b:
                    continue
            if (ITEM_NUMBER.fullmatch(line, *joined[-1]) or _INITIALS.fullmatch(line, *joined[-1])
                    or (_ENDS_WITH_INITIAL.search(line, joined[-1][0], joined[-1][1])
                        and _STARTS_WITH_INITIAL.match(line, a))):
                joined[-1] = (joined[-1][0], b)
                continue
            before, first = line[:joined[-1][1]], line[a:a + 1]
            known = _ABBREVIATION.search(before) is not None
            numbered = _BEFORE_NUMBER.search(before) is not None
            if (first in ")]},;:" or (first.isdigit() and numbered)
                    or (first.islower() and (known or re.search(r"[A-Z]\.$", before)
                                             or _INNER_END.search(before)))):
                joined[-1] = (joined[-1][0], b)
                continue
        joined.append((a, b))
    return joined


# Chinese and Japanese sentences end with a full-width mark and no space, which Punkt (an
# English model) never cuts at; the closing quotation marks after one go with it.
_CJK_END = re.compile(r"[。！？](?:[」』”’）)]*)(?=\S)")


def _cut_after(text: str, start: int, end: int, pattern: re.Pattern) -> list[tuple[int, int]]:
    """``_cut`` at the end of each match of ``pattern`` (the matched text stays before the
    cut); then at ``_NO_SPACE``, as before."""
    spans, begin = [], start
    for m in pattern.finditer(text, start, end):
        if m.end() < end:
            spans.append((begin, m.end()))
            begin = m.end()
    spans.append((begin, end))
    return [cut for a, b in spans for cut in _cut(text, a, b, _NO_SPACE)]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences in ``text``, in order, never overlapping.
    A line of a table's cells (" | ") is one: "Display shows E3 | UV lamp failure | Do not
    drink the water. Replace the UV lamp." was quoted without its fix."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        if " | " in line:  # a table's row, its cells read together (a cell may hold sentences)
            trimmed = _trim(line, 0, len(line))
            spans.extend((line_start + g, line_start + h) for g, h in _shorten(line, *trimmed))
            continue
        for a, b in _join_false_breaks(line, list(_punkt().span_tokenize(line))):
            for c, d in _cut(line, a, b, _ABBREV_END):
                for e, f in _cut_after(line, c, d, _CJK_END):
                    trimmed = _trim(line, e, f)
                    if trimmed:
                        spans.extend((line_start + g, line_start + h)
                                     for g, h in _shorten(line, *trimmed))
    return spans
