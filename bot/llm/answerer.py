"""The optional language-model layer: short answers in the model's words, verified quotes only.

The engine first computes the extractive answer, then hands it here together with the retrieved
passages. The model gets the passages' paragraphs as numbered, delimited data and answers in a
structured form; :mod:`bot.llm.verify` checks every quote word for word against the article. What
survives is shown; when nothing does, or the model fails, is slow or talks nonsense, the
extractive answer is returned unchanged except for a short ``note``. Nothing the model raises
escapes: an LLM outage never costs a user their answer.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future

from bot.llm.clean import clean_text
from bot.llm.provider import DEFAULT_OPENAI_URL, build_llm, describe, endpoint, prepare
from bot.llm.reply import MalformedReply, parse_question, parse_reply
from bot.llm.verify import Verified, overlaps, rewrite_holds, verify_reply
from bot.models import Answer, Quote, Summary
from bot.render import DISCORD_LIMIT, render_quotes
from bot.settings import Settings
from index.article import Article
from prompts import load_prompt

log = logging.getLogger("quotebot.llm")

# Paragraph text put in a prompt, at most: about 3,000 tokens, which every model we target holds
# with room for the reply.
CONTEXT_CHARS = 12_000
MAX_REWRITE_CHARS = 500
# The whole call may take the timeout plus this; the client's own timeout normally fires first.
DEADLINE_SLACK = 0.5

NOTE_UNVERIFIED = ("The language model's answer could not be verified against the article; "
                   "showing quotes instead.")
NOTE_TIMEOUT = "The language model did not answer in time; showing quotes instead."
NOTE_FAILED = "The language model is unavailable; showing quotes instead."
NOTE_NO_ANSWER = ("The language model found no answer in the retrieved passages; showing quotes "
                  "instead.")
NOTE_MALFORMED = "The language model's reply could not be read; showing quotes instead."

_TAG = re.compile(r"<(/?)(paragraph|article|question|history)\b", re.IGNORECASE)


def _within(call, seconds: float):
    """``call()``'s result, or ``TimeoutError`` after ``seconds`` in all.

    The clients' timeouts apply to each network read, so a server that trickles its reply a
    byte at a time could hold a question for ever; this bounds the whole call. The call runs in
    a daemon thread, left to finish (or time out) on its own, so it never holds up an exit."""
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(call())
        except BaseException as error:  # noqa: BLE001 - handed to the waiting caller
            future.set_exception(error)

    threading.Thread(target=run, name="quotebot-llm", daemon=True).start()
    try:
        return future.result(timeout=seconds)
    except TimeoutError:
        if future.done():  # the call itself raised a TimeoutError
            raise
        raise TimeoutError(f"no complete reply within {seconds:.1f} s") from None


def _quiet_client_debug_logs() -> None:
    """The OpenAI client logs failed responses with their body at DEBUG, and a server may echo
    the API key in an error body. With a key configured, those loggers stay at INFO or above."""
    for name in ("openai", "httpx", "httpcore", "ollama"):
        logger = logging.getLogger(name)
        if logger.level < logging.INFO:  # NOTSET (inherit) counts as below
            logger.setLevel(logging.INFO)


class LLMFailure(Exception):
    """The model could not be asked or did not answer (network, HTTP error, timeout)."""

    def __init__(self, message: str, *, timeout: bool = False):
        super().__init__(message)
        self.timeout = timeout


def _data(text: str) -> str:
    """Text put between our delimiters, with look-alike delimiter tags defused."""
    return _TAG.sub(lambda m: f"‹{m.group(1)}{m.group(2)}", text)


def format_paragraphs(article: Article, numbers: Sequence[int],
                      budget: int = CONTEXT_CHARS) -> str:
    """Whole paragraphs as numbered, delimited data, in reading order, within ``budget``."""
    chosen: list[int] = []
    used = 0
    for number in dict.fromkeys(numbers):  # best first: the budget keeps the best ones
        if not 1 <= number <= len(article.paragraphs):
            continue
        size = len(article.paragraphs[number - 1].text) + 40
        if chosen and used + size > budget:
            continue
        chosen.append(number)
        used += size
    return "\n".join(f'<paragraph number="{n}">\n{_data(article.paragraphs[n - 1].text)}\n'
                     "</paragraph>" for n in sorted(chosen))


def _is_timeout(error: BaseException) -> bool:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        name = type(error).__name__.lower()
        if "timeout" in name or "timedout" in name:
            return True
        error = error.__cause__ or error.__context__
    return False


class LLMAnswerer:
    """Asks the configured model and verifies what it says. Safe to share between threads."""

    def __init__(self, settings: Settings, llm=None):
        self.settings = settings
        self._llm = llm  # built on first use: no network and no client at start-up
        self._building = threading.Lock()
        self._secret = settings.llm_api_key.get_secret_value() if settings.llm_api_key else ""
        if self._secret:
            _quiet_client_debug_logs()
        elif settings.llm == "openai" and endpoint(settings)[0] == DEFAULT_OPENAI_URL:
            log.warning("QUOTEBOT_LLM=openai with OpenAI's own API but no QUOTEBOT_LLM_API_KEY "
                        "or OPENAI_API_KEY: every answer will fall back to quotes")
        log.info("language model: %s", describe(settings))

    @property
    def llm(self):
        with self._building:
            if self._llm is None:
                llm = build_llm(self.settings)
                prepare(llm)
                self._llm = llm
        return self._llm

    def warm(self) -> None:
        """Import the client libraries and build the client (1 to 3 s), still without any
        network, so that the first question does not pay for it."""
        _ = self.llm

    # -- the model call ------------------------------------------------------------------------

    def _redact(self, text: str) -> str:
        if self._secret and len(self._secret) >= 4:
            text = text.replace(self._secret, "[redacted]")
        return text

    def _chat(self, name: str, **values: object) -> str:
        from llama_index.core.llms import ChatMessage

        prompt = load_prompt(name, **values)
        messages = [ChatMessage(role=m["role"], content=m["content"]) for m in prompt.messages()]
        llm = self.llm
        started = time.monotonic()
        try:
            response = _within(lambda: llm.chat(messages),
                               self.settings.llm_timeout + DEADLINE_SLACK)
        except Exception as error:  # noqa: BLE001 - any client error means "no answer"
            timeout = _is_timeout(error)
            message = self._redact(f"{type(error).__name__}: {error}")[:300]
            log.warning("language model %s failed after %.1fs: %s", name,
                        time.monotonic() - started, message)
            raise LLMFailure(message, timeout=timeout) from None
        content = response.message.content or ""
        log.debug("language model %s answered in %.1fs (%d chars)", name,
                  time.monotonic() - started, len(content))
        return content

    def _verified(self, name: str, key: str, article: Article, **values: object) -> Verified:
        reply = parse_reply(self._chat(name, **values), key)
        result = verify_reply(article, reply, clean=lambda s: clean_text(s, article))
        t = result.tally
        log.info("llm %s verification: verified=%d re-cited=%d dropped=%d sentences_dropped=%d "
                 "sentences_kept=%d inline_verified=%d inline_re-cited=%d citations_fixed=%d%s%s",
                 name, t.verified, t.recited, t.dropped, t.sentences_dropped,
                 len(result.sentences), t.inline_verified, t.inline_recited, t.citations_fixed,
                 f" (dropped: {', '.join(t.reasons)})" if t.reasons else "",
                 f" (sentences dropped: {'; '.join(t.sentence_reasons)})"
                 if t.sentence_reasons else "")
        return result

    def _attempt(self, name: str, key: str, article: Article, **values: object) -> Verified | str:
        """What survived verification, or the note to show with the extractive answer."""
        try:
            result = self._verified(name, key, article, **values)
        except LLMFailure as error:
            return NOTE_TIMEOUT if error.timeout else NOTE_FAILED
        except MalformedReply as error:
            log.warning("language model %s reply unreadable: %s", name, error)
            return NOTE_MALFORMED
        except Exception:  # a bug of ours must not cost the user the extractive answer
            log.exception("language model %s: unexpected error; showing quotes instead", name)
            return NOTE_FAILED
        if not result.sentences:
            t = result.tally
            claimed = t.verified + t.recited + t.dropped + t.sentences_dropped
            return NOTE_UNVERIFIED if claimed else NOTE_NO_ANSWER
        return result

    # -- the three tasks -----------------------------------------------------------------------

    def answer(self, question: str, article: Article, passages: list[Quote],
               fallback: Answer) -> Answer:
        """The model's short answer with its verified quotes, or ``fallback`` with a note."""
        result = self._attempt(
            "answer", "answer", article, title=_data(article.title),
            passages=format_paragraphs(article, [p.paragraph for p in passages]),
            question=_data(question))
        if isinstance(result, str):
            return dataclasses.replace(fallback, note=result)
        quotes = _scored(result.quotes, passages)
        return Answer(question=fallback.question, answered=True, quotes=quotes,
                      message=_message(result.text, quotes), article=article.id, mode="llm",
                      answer=result.text,
                      more=[q for q in fallback.quotes + fallback.more
                            if not any(overlaps(q, s) for s in quotes)][:5])

    def summarize(self, article: Article, passages: list[Quote], fallback: Summary) -> Summary:
        """A short overview in the model's words with verified quotes, or ``fallback``."""
        result = self._attempt(
            "summary", "overview", article, title=_data(article.title),
            scope=_scope([p.paragraph for p in passages]),
            passages=format_paragraphs(article, [p.paragraph for p in passages]))
        if isinstance(result, str):
            return dataclasses.replace(fallback, note=result)
        quotes = _scored(result.quotes, passages)
        return Summary(quotes=quotes, message=_message(result.text, quotes), article=article.id,
                       mode="llm", answer=result.text)

    def rewrite_followup(self, question: str, history: list[str]) -> str:
        """``question`` made standalone using the earlier ``history``; unchanged on any failure."""
        if not history:
            return question
        try:
            rewritten = parse_question(self._chat(
                "rewrite", question=_data(question),
                history="\n".join(f"- {_data(h)}" for h in history[-5:])))
        except (LLMFailure, MalformedReply) as error:
            log.info("follow-up not rewritten (%s)", type(error).__name__)
            return question
        except Exception:  # noqa: BLE001 - the question as asked is always a fine fallback
            log.exception("follow-up not rewritten: unexpected error")
            return question
        rewritten = " ".join(rewritten.split()).strip()
        if not rewritten or len(rewritten) > MAX_REWRITE_CHARS or not re.search(r"\w", rewritten):
            return question
        # The rewrite only steers retrieval, but it must not steer it somewhere the member never
        # asked about: no quotation, number or name that the conversation does not contain.
        why = rewrite_holds(rewritten, [question, *history[-5:]])
        if why:
            log.info("follow-up rewrite not used (%s): %r", why, rewritten)
            return question
        log.info("follow-up rewritten: %r -> %r", question, rewritten)
        return rewritten


def _scope(numbers: list[int]) -> str:
    """"paragraphs 2 to 4", "paragraphs 1, 3 and 7", "paragraph 5"."""
    numbers = sorted(set(numbers))
    if not numbers:
        return "the whole article"
    if len(numbers) == 1:
        return f"paragraph {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"paragraphs {numbers[0]} to {numbers[-1]}"
    return f"paragraphs {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


def _scored(quotes: list[Quote], passages: list[Quote]) -> list[Quote]:
    """Verified quotes carrying the retrieval score of the passage they overlap, if any."""
    out = []
    for quote in quotes:
        score = max((p.score for p in passages if overlaps(quote, p)), default=0.0)
        out.append(dataclasses.replace(quote, score=score))
    return out


def _message(text: str, quotes: list[Quote]) -> str:
    """The short answer, then as many whole quotes as fit in one Discord message."""
    return render_quotes(quotes, header=text[:DISCORD_LIMIT // 2], limit=DISCORD_LIMIT)
