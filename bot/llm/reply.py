"""Reading the model's structured reply.

The prompts ask for one JSON object::

    {"answer": [{"text": "A sentence.", "quotes": [1, 2]}],
     "quotes": [{"paragraph": 3, "text": "words copied from paragraph 3"}]}

(``"overview"`` instead of ``"answer"`` for summaries). Each answer sentence names the quotes that
support it by their position in ``quotes``, counting from 1, so a sentence whose quotes all fail
the check can be dropped. Parsing is lenient about wrapping (code fences, a reasoning model's
``<think>`` block, prose around the object, paragraph numbers written "¶3") and strict about
shape: anything else raises :class:`MalformedReply`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_NUMBER = re.compile(r"^\s*(?:¶|§|p(?:ara(?:graph)?)?\.?)?\s*(\d+)\s*$", re.IGNORECASE)


class MalformedReply(ValueError):
    """The model's reply is not the JSON object the prompt asked for."""


@dataclass(frozen=True)
class ClaimedQuote:
    paragraph: int | None
    text: str


@dataclass(frozen=True)
class Sentence:
    text: str
    quotes: tuple[int, ...]  # 0-based positions in Reply.quotes


@dataclass(frozen=True)
class Reply:
    sentences: tuple[Sentence, ...]
    quotes: tuple[ClaimedQuote, ...]


def extract_json(text: str) -> object:
    """The first JSON object in ``text``."""
    if not isinstance(text, str) or not text.strip():
        raise MalformedReply("empty reply")
    text = _THINK.sub("", text).strip()
    start = text.find("{")
    if start < 0:
        raise MalformedReply("no JSON object in the reply")
    try:
        value, _ = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as error:
        raise MalformedReply(f"invalid JSON: {error.msg}") from None
    return value


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        match = _NUMBER.match(value)
        if match:
            return int(match.group(1))
    return None


def parse_reply(text: str, key: str = "answer") -> Reply:
    data = extract_json(text)
    if not isinstance(data, dict):
        raise MalformedReply("the reply is not a JSON object")
    raw_sentences = data.get(key, data.get("answer", data.get("overview")))
    raw_quotes = data.get("quotes", [])
    if isinstance(raw_sentences, str):  # a bare string answer supports nothing
        raw_sentences = [{"text": raw_sentences, "quotes": []}]
    if not isinstance(raw_sentences, list) or not isinstance(raw_quotes, list):
        raise MalformedReply(f'"{key}" and "quotes" must be lists')
    quotes = []
    for item in raw_quotes:
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            quotes.append(ClaimedQuote(_int(item.get("paragraph")), item["text"]))
        else:  # keep positions stable; an unusable entry simply fails the check
            quotes.append(ClaimedQuote(None, ""))
    items = []
    for item in raw_sentences:
        if isinstance(item, str):
            item = {"text": item, "quotes": []}
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise MalformedReply("each sentence must be an object with a text")
        refs = item.get("quotes", [])
        refs = refs if isinstance(refs, list) else [refs]
        items.append((item["text"], [n for n in map(_int, refs) if n is not None]))
    # Positions count from 1; a reply that uses 0 and never the last position counts from 0.
    used = {n for _, refs in items for n in refs}
    base = 0 if 0 in used and len(quotes) not in used else 1
    sentences = [Sentence(text, tuple(dict.fromkeys(n - base for n in refs
                                                    if 0 <= n - base < len(quotes))))
                 for text, refs in items]
    return Reply(tuple(sentences), tuple(quotes))


def parse_question(text: str) -> str:
    """The standalone question from a rewrite reply: ``{"question": "..."}``."""
    data = extract_json(text)
    if not isinstance(data, dict) or not isinstance(data.get("question"), str):
        raise MalformedReply('expected {"question": "..."}')
    return data["question"]
