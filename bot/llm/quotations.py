"""Finding the quotations a language model writes inside its own sentences.

A reader takes as a quotation whatever stands between quotation marks of any style, in a block
quote or in italics, so all of those are found here and then checked word for word like the
quotes the model lists (:mod:`bot.llm.verify`). Pure text work.

Quotation marks (``"…"``, ``“…”``, ``„…“``, ``”…”``, ``'…'``, ``‘…’``,
``‚…‘``, ``«…»``, ``»…«``, ``‹…›``, ``「…」``, ``『…』``) are read by
their shape, as a reader does: a mark after white space or an opening bracket and before a word
opens; a mark after a word and before white space or punctuation closes. So ``„…“`` and
``»…«`` pair up, and nested quotations (``“… ‘…’ …”`` or ``"… "…" …"``) are
found whole and inside; the text's last mark closes every quotation of its family still open
(``"… “Together".``: both readings). Apostrophes are not quotation marks:

- a single mark between two letters or digits (``China’s``, ``don't``) is neither;
- a closing single mark with no quotation open (``the countries’ leaders``) is a possessive;
- an unclosed straight or right single mark (``'90s``, ``’em``) is ignored.

Where the reading is ambiguous, every reading is returned, so a fabricated quotation cannot hide
behind one: a closing single mark after an "s" and before a word (``‘the two countries’ armies
will merge’``) yields both ``the two countries`` and ``the two countries’ armies will merge``.
An unclosed double (or left single, or guillemet) quotation runs to the end of the text; a closing
double mark with nothing open (the model's quotation began in an earlier sentence) runs from the
start. Block quotes (lines starting ``>``, or all after ``>>>``), italics (``*…*``, ``_…_``) and
code spans (``` `…` ```) are quotations too. Bold (``**…**``) and underlining are not.

No library fits: quotation extractors (textacy's, for instance) need a parser model, know only
English double quotes and never report the ambiguous readings this check needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Family of each mark: a quotation opens and closes with marks of one family.
_FAMILY = {**{c: "double" for c in "\"“”„‟〝〞〟＂❝❞″"},
           **{c: "single" for c in "'‘’‚‛❛❜＇′"},
           "«": "guillemet", "»": "guillemet", "‹": "guillemet1", "›": "guillemet1",
           "「": "corner", "」": "corner", "『": "corner2", "』": "corner2"}
# Marks with a direction of their own, used when the shape does not tell.
_OPENS = set("「『«‹“‘„‚〝❝❛")
_CLOSES = set("」』»›”’〞〟❞❜")
_ALWAYS = set("「」『』")  # CJK corner brackets: no spaces around them, direction only
# Unclosed, these still start a quotation a reader sees; ' and ’ are apostrophes more often.
_UNCLOSED_QUOTES = set(_FAMILY) - set("'’")
_LEFT_EDGE = set("([{<—–-/") | set(_FAMILY)
_RIGHT_EDGE = set(".,;:!?)]}>—–-/…") | set(_FAMILY)
_TAIL = re.compile(r"[\s.,;:!?…)\]]*")  # what may follow a text's last quotation mark


@dataclass(frozen=True)
class Quotation:
    """Quoted words ``text`` = ``source[start:end]``; ``outer`` is the span with its marks."""

    start: int
    end: int
    outer: tuple[int, int]
    text: str
    style: str


def _shape(text: str, i: int) -> str:
    """"open", "close", "both" (boundary on each side) or "inner" (between two word chars)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    left = before.isspace() or before in _LEFT_EDGE
    right = after.isspace() or after in _RIGHT_EDGE
    if left and not right:
        return "open"
    if right and not left:
        return "close"
    return "both" if left else "inner"


def _possessive(text: str, i: int) -> bool:
    """A closing single mark that may be a plural possessive: ``countries’ leaders``."""
    return (i > 0 and text[i - 1] in "sS" and i + 2 < len(text) and text[i + 1] == " "
            and text[i + 2].isalnum())


def _marked(text: str) -> list[Quotation]:
    found: list[Quotation] = []
    stack: list[list] = []  # [index, family, tentative]

    def emit(open_at: int, close_at: int, style: str) -> None:
        start, end = open_at + 1, close_at
        if re.search(r"\w", text[start:end]):
            found.append(Quotation(start, end, (open_at, close_at + 1), text[start:end], style))

    for i, ch in enumerate(text):
        family = _FAMILY.get(ch)
        if family is None:
            continue
        shape = _shape(text, i)
        if ch in _ALWAYS:
            shape = "open" if ch in _OPENS else "close"
        elif shape == "inner":
            shape = "skip" if family == "single" else "both"
        if shape == "skip":
            continue
        opener = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] == family), None)
        if shape == "both" and opener is None:
            # "« x »" (French spacing) by direction; otherwise it opens
            shape = "close" if ch in _CLOSES and ch not in _OPENS else "open"
        if shape in ("close", "both") and opener is not None:
            open_at = stack[opener][0]
            emit(open_at, i, ch)
            if family == "single" and _possessive(text, i):
                stack[opener][2] = True  # keep it open: a longer reading may follow
                continue
            # The last mark of the text (punctuation after it at most) closes every quotation
            # of its family still open, each a reading: the model's "… “Together". or
            # “… “Together”. quotes a fragment whose own closing mark the article has later,
            # and its outer quotation ended there, not at the end of the text (where a
            # citation added after it would follow the full stop).
            if _TAIL.fullmatch(text, i + 1):
                for k in range(opener - 1, -1, -1):
                    if stack[k][1] == family:
                        emit(stack[k][0], i, ch)
                        opener = k
            del stack[opener:]
            continue
        if shape == "close":
            if family != "single":  # opened in an earlier sentence of the model's
                emit(-1, i, ch)
            continue
        stack.append([i, family, False])
    for open_at, family, tentative in stack:
        if not tentative and text[open_at] in _UNCLOSED_QUOTES:
            emit(open_at, len(text), text[open_at])
    return found


_BLOCK_ALL = re.compile(r"(?:^|\n)[ \t]*>>>[ \t]?(.*)", re.DOTALL)
_BLOCK_LINE = re.compile(r"(?:^|\n)[ \t]*>{1,2}(?!>)[ \t]?([^\n]*)")
_ITALIC = re.compile(r"(?<![*\w])\*{1,3}(?![\s*])(.+?)(?<![\s*])\*{1,3}(?![*\w])"
                     r"|(?<![_\w])_(?![\s_])(.+?)(?<![\s_])_(?![_\w])", re.DOTALL)
_CODE = re.compile(r"(`{1,3})(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)


def _formatted(text: str) -> list[Quotation]:
    found = []
    for pattern, style in ((_BLOCK_ALL, ">>>"), (_BLOCK_LINE, ">"), (_CODE, "`")):
        for m in pattern.finditer(text):
            group = m.lastindex or 1
            if re.search(r"\w", m.group(group)):
                found.append(Quotation(m.start(group), m.end(group), m.span(), m.group(group),
                                       style))
    for m in _ITALIC.finditer(text):
        marks = m.group(0)
        if marks.startswith("**") and not marks.startswith("***") and marks.endswith("**"):
            continue  # bold, not italics
        group = 1 if m.group(1) is not None else 2
        if re.search(r"\w", m.group(group)):
            found.append(Quotation(m.start(group), m.end(group), m.span(), m.group(group), "*"))
    return found


def find_quotations(text: str) -> list[Quotation]:
    """Every quotation a reader could see in ``text``, in order of position (outer first)."""
    found = {(q.start, q.end): q for q in [*_marked(text), *_formatted(text)]}
    return sorted(found.values(), key=lambda q: (q.start, -q.end))
