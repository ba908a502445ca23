"""The answering core's facade: every edge (CLI, terminal chat, Discord) calls only this.

It knows nothing of Discord. Its methods are synchronous and CPU-bound (embedding, search);
async callers run them with ``asyncio.to_thread``. Errors are :mod:`index.errors` subclasses
whose ``str()`` is a friendly message.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np

from bot import answer as extractive
from bot import summarize as summaries
from bot.models import Answer, ArticleInfo, Quote, Summary
from bot.render import DISCORD_LIMIT, format_quote, passage_url, recite, render_quotes
from bot.settings import Settings
from index.errors import BadQuestion, BadRange, NotAllowed, StaleIndex, UnknownArticle
from index.library import add_article, open_store, remove_article, remove_scope
from index.loaders import is_url
from index.retrieval import QUERY_PRONOUNS, Searcher, as_written, normalise
from index.store import ArticleStore

log = logging.getLogger(__name__)

RANGE_PATTERN = re.compile(r"^\s*¶?(\d+)\s*(?:(?:-|–|—|\.\.|to)\s*¶?(\d+))?\s*$")
# Ranges and single paragraphs listed: "2-4", "3, 5", "2, 4 and 6", "1-2 & 7".
_ITEM = r"¶?[0-9]+\s*(?:(?:-|–|—|\.\.|to)\s*¶?[0-9]+)?"
_SEPARATOR = r"\s*(?:,|;|&|\band\b)\s*"
LIST_SEPARATOR = re.compile(_SEPARATOR)
PARAGRAPHS_PATTERN = re.compile(rf"^\s*{_ITEM}(?:{_SEPARATOR}{_ITEM})*\s*$")
# A count of mentions ("how many times is Russia mentioned?") covers a library of at most this
# many articles; a larger one counts in the conversation's article (or the one named).
COUNT_LIBRARY = 30
# An article named by a word its text never uses ("the football article" of a match report
# that says "match", "league", "goal"): the one whose sentences' mean vector is nearest the
# word, at least SUBJECT_COSINE and SUBJECT_MARGIN ahead of the next (in a library of at most
# COUNT_LIBRARY articles, each read whole). Read off a probe's five-article library:
# "football", "soccer", "cooking", "walking", "museum", "china" 0.29-0.63 and 0.14-0.52 ahead;
# "science", "health", "travel", "politics", "tax" within 0.10 of the next, or under 0.25.
SUBJECT_COSINE, SUBJECT_MARGIN = 0.25, 0.12
# A summary's subject with one of these words is what someone said, searched as a question
# ("summarize what Putin said"), not an article named by its subject ("the walking study")
SPOKEN = frozenset("what who how why when where which said say says think thinks thought "
                   "argue argues argued wrote write writes".split())
MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b")
# Contractions typed without their apostrophe, as chat is typed ("whats on saturday", "whos
# the speaker", "dont take it"): "whats" was searched as the word "what", which no heading
# holds, and "dont" as a word the article lacks. Written out as the article writes them (not
# "its", which is a word).
BARE_CONTRACTION = re.compile(
    r"\b(what|where|who|how|when|why|that|there)s\b"
    r"|\b(do|does|did|is|are|was|were|ca|could|should|would|wo|have|has|had)nt\b", re.I)


def _apostrophe(match: re.Match) -> str:
    if match.group(1):
        return f"{match.group(1)}'s"
    return f"{match.group(2)}n't"
# Markdown a question may be written in (Discord shows it as formatting): the markup is not
# searched, the words are. Each pattern needs its closing mark, so a question without markup
# ("C#", "5*3", "snake_case", "a < b") is left byte for byte as it was.
MARKDOWN = [
    (re.compile(r"```(?:[\w+-]*\n)?(.*?)```", re.S), r" \1 "),  # a code block: its text
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # `code`
    # [words](https://…): the words
    (re.compile(r"\[([^\]\n]+)\]\((?:<[^>\n]*>|[^)\s]+)(?:\s+\"[^\"\n]*\")?\)"), r"\1"),
    (re.compile(r"<(?:https?|ftp|mailto):[^>\s]*>", re.I), " "),  # <https://…>: no words
    (re.compile(r"<a?:\w+:\d+>|<t:-?\d+(?::[tTdDfFR])?>"), " "),  # custom emoji, time stamps
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])"), r"\1"),  # \* : *
    (re.compile(r"^[ \t]*(?:>>> |> |#{1,3} |-# )", re.M), ""),  # quotes, headings, subtext
]
# **bold**, *italic*, __underline__, _italic_, ~~struck~~, ||spoiler||: the words; nested ones
# ("***both***") a pair at a time
EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|~~|\|\||\*|_)(?=\S)(.+?)(?<=\S)\1(?!\w)")


def strip_markdown(text: str) -> str:
    """``text`` without Markdown markup (see ``MARKDOWN``), its words kept: "What did
    **Putin** say about `Hong Kong`?" is "What did Putin say about Hong Kong?"."""
    for pattern, replacement in MARKDOWN:
        if pattern.search(text):
            text = pattern.sub(replacement, text)
    while (plain := EMPHASIS.sub(r"\2", text)) != text:
        text = plain
    return text


def cite_paragraphs(numbers: list[int]) -> str:
    """``[2, 3, 4, 7]`` as "¶2–4, ¶7"."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"¶{r[0]}–{r[-1]}" if len(r) > 1 else f"¶{r[0]}" for r in runs)


class Engine:
    """Opens the store once; answers questions, summaries and paragraph look-ups."""

    RANGE = PARAGRAPHS_PATTERN  # what a summary's paragraphs may be written as

    def __init__(self, settings: Settings, store: ArticleStore) -> None:
        # A question's products (its vector against at most 20,000 sentence vectors) gain
        # nothing from BLAS threads and lose up to 20x when the cores are busy, e.g. with a
        # second question or an article being indexed (6,740 x 384: 4.1 ms on two OpenBLAS
        # threads against 0.23 ms on one, measured under load). Process-wide, once.
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")
        self.settings = settings
        self.store = store
        self.embed_model = store.embed_model
        from bot.scorer import load

        self.scorer = load()
        if settings.min_confidence is not None:
            self.scorer = dataclasses.replace(self.scorer, min_confidence=settings.min_confidence)
        self.searcher = Searcher(store)
        self._infos_cache: tuple[int | None, list[ArticleInfo] | None] = (None, None)
        self._infos_checked = float("-inf")  # when the record count was last compared
        self._visible: dict = {}  # guild -> (the article list, its visible part)
        self._visible_lock = threading.Lock()
        self._by_id: tuple = (None, {})  # a visible list -> its articles by id
        self._llm = None
        if settings.llm != "none":
            from bot.llm import LLMAnswerer

            self._llm = LLMAnswerer(settings)

    @classmethod
    def open(cls, settings: Settings | None = None, *, ensure_bundled: bool = True) -> "Engine":
        """Open (or create) the store; index the bundled article the first time it is needed.

        Raises ``StoreError`` when the store is corrupt or the Chroma server is unreachable.
        """
        settings = settings or Settings()
        engine = cls(settings, open_store(settings))
        if ensure_bundled:
            engine.ensure_bundled()
        wanted = settings.default_article
        if wanted and wanted not in {i.id for i in engine.articles()}:
            log.warning("QUOTEBOT_DEFAULT_ARTICLE=%s names no global article; questions without "
                        "an article go to the first one listed", wanted)
        return engine

    def ensure_bundled(self) -> ArticleInfo:
        """Index the bundled article unless the store already has it."""
        article_id = self.settings.bundled_article_id
        for info in self.store.infos():
            if info.id == article_id:
                return info
        log.info("indexing the bundled article %s (first run)", article_id)
        return self.add_article(str(self.settings.bundled_article))[0]

    def warm(self, article: str | None = None) -> None:
        """Load the embedding model and the default article's retriever ahead of the first
        question, so that it is answered at full speed."""
        self.embed_model.embed(["warm up"])
        self.searcher.warm([self.article(article)])
        if self._llm is not None:
            self._llm.warm()  # imports and builds the client; no network

    def warm_library(self, guild: str | None = None) -> None:
        """Make ahead of the first library question (a chat question in Discord) what it
        needs over the articles visible in ``guild`` (the global ones when None); nothing for
        a library of one article, which :meth:`warm` covers."""
        infos = self.articles(guild)
        if len(infos) > 1:
            self.searcher.warm(infos)

    def warm_library_in_background(self) -> threading.Thread:
        """:meth:`warm_library` for the global articles in a daemon thread, so that a
        long-running edge (the Discord bot, the terminal chat) starts at once; a question that
        comes meanwhile waits for what it is making instead of making it again. A failure is
        logged: the first question then makes what it needs, as it would have."""
        def warm() -> None:
            try:
                started = time.perf_counter()
                self.warm_library()
                log.info("library warmed in %.1f s", time.perf_counter() - started)
            except Exception as error:  # noqa: BLE001 - warming is an optimisation
                log.warning("could not warm the library: %s", error)

        thread = threading.Thread(target=warm, name="warm-library", daemon=True)
        thread.start()
        return thread

    # -- articles ---------------------------------------------------------------------------

    # The library's version is compared at most this often (seconds): a burst of questions
    # shares one read (~0.3 ms embedded, one request to a Chroma server).
    LIBRARY_CHECK = 0.5

    def _infos(self) -> list[ArticleInfo]:
        """The article list, read again whenever the store's version has changed (any process
        adding, replacing, re-scoping or deleting an article changes it), so processes sharing
        a Chroma server see each other's changes without a full read per question: within
        ``LIBRARY_CHECK`` seconds (this process's own writes at once)."""
        cached_version, infos = self._infos_cache
        now = time.monotonic()
        if infos is not None and now - self._infos_checked < self.LIBRARY_CHECK:
            return infos
        version = self.store.version()
        if cached_version != version or infos is None:
            infos = self.store.infos()
            self._infos_cache = (version, infos)
        self._infos_checked = now
        return infos

    def _forget_infos(self) -> None:
        self._infos_cache = (None, None)

    def _fresh(self, work):
        """Run ``work``; if an article it read was re-indexed meanwhile, once more afresh."""
        try:
            return work()
        except StaleIndex:
            self._forget_infos()
            return work()

    VISIBLE_CACHED = 64  # guilds whose visible article lists are kept

    def articles(self, guild: str | None = None) -> list[ArticleInfo]:
        """Articles visible in ``guild``: the global ones plus those the guild added. The
        same list object is returned while the article list is unchanged (the searcher keeps
        what it derives from it: ~4 ms a library question at 2,501 articles); do not change
        it."""
        infos = self._infos()
        cached = self._visible.get(guild)
        if cached is not None and cached[0] is infos:
            return cached[1]
        visible = [i for i in infos
                   if i.scope == "global" or (guild is not None and i.scope == str(guild))]
        with self._visible_lock:  # questions run in worker threads
            self._visible.pop(guild, None)
            while len(self._visible) >= self.VISIBLE_CACHED:
                self._visible.pop(next(iter(self._visible)))
            self._visible[guild] = (infos, visible)
        return visible

    def default_article_id(self) -> str:
        return self.settings.default_article or self.settings.bundled_article_id

    def article(self, article: str | None = None, *, guild: str | None = None) -> ArticleInfo:
        """One article by id (default: the bundled/default article). ``UnknownArticle`` if not
        visible in ``guild``."""
        return self._find(article, self.articles(guild))

    def _find(self, article: str | None, visible: list[ArticleInfo]) -> ArticleInfo:
        wanted = (article or self.default_article_id()).strip()
        for info in visible:
            if info.id == wanted:
                return info
        lowered = wanted.lower()
        matches = [i for i in visible if lowered in i.title.lower() or lowered in i.id]
        if len(matches) == 1:
            return matches[0]
        if article is None and visible:
            return visible[0]
        if len(matches) > 1:
            raise UnknownArticle(wanted, [i.id for i in matches], ambiguous=True)
        raise UnknownArticle(wanted, [i.id for i in visible])

    def paragraph(self, number: int, article: str | None = None, *,
                  guild: str | None = None) -> str:
        """The text of paragraph ``number`` (1-based). ``UnknownParagraph`` when out of range."""
        return self._fresh(lambda: self.searcher.state(self.article(article, guild=guild))
                           .stored.article.paragraph(number).text)

    # -- questions --------------------------------------------------------------------------

    def check_question(self, question: str) -> str:
        """The question cleaned up, or ``BadQuestion`` (empty, or over ``max_question_chars``).

        Discord mentions and ``@everyone``/``@here`` are removed from what is searched; they are
        never echoed with pings (every edge sends with mentions disabled). Markdown markup is
        removed, its words kept (:func:`strip_markdown`)."""
        limit = self.settings.max_question_chars
        if question is not None and len(question) > limit:
            raise BadQuestion(f"That question is {len(question):,} characters long; please keep "
                              f"it to {limit:,} at most.")
        cleaned = strip_markdown(MENTION.sub(" ", normalise(question or "")))
        cleaned = re.sub(r"[*_`~|>#]+", " ", cleaned)
        cleaned = BARE_CONTRACTION.sub(_apostrophe, cleaned)
        cleaned = re.sub(r"\s+", " ", cleaned).strip()
        if not re.search(r"\w", cleaned):
            # (no example from the bundled article: it may not be the one asked about)
            raise BadQuestion("Please ask a question in words: who said something, what "
                              "happened, why, when, how many…")
        if len(re.findall(r"[A-Z]{2,}", cleaned)) >= 3 and cleaned == cleaned.upper():
            # Shouted: every word would read as an initialism or a name the article lacks.
            # The embedding model is uncased, and the article's "SCO" also indexes "sco".
            cleaned = cleaned.lower()
        return cleaned

    def ask(self, question: str, article: str | None = None, *, guild: str | None = None,
            history: list[str] | None = None, max_quotes: int | None = None,
            library: bool = False, focus: str | None = None) -> Answer:
        """Answer ``question`` with verbatim quotes (see ``_ask``)."""
        return self._fresh(lambda: self._ask(question, article, guild=guild, history=history,
                                             max_quotes=max_quotes, library=library,
                                             focus=focus))

    def _ask(self, question: str, article: str | None = None, *, guild: str | None = None,
             history: list[str] | None = None, max_quotes: int | None = None,
             library: bool = False, focus: str | None = None) -> Answer:
        """Answer with verbatim quotes, best first; ``answered`` is False when the article does
        not cover the question. ``history``: earlier questions of the same conversation (oldest
        first), used to resolve follow-ups like "and what about Russia?".

        ``library`` without ``article``: search every article visible in ``guild`` (the global
        ones plus the guild's own; only the global ones when ``guild`` is None). With ``article``
        (or a library of one article) one article is answered, exactly as without ``library``.
        A library question about the article itself ("Who wrote it?", "What does the conclusion
        say?") is about ``focus`` (the conversation's article), else the default article.

        Three kinds of message are not searched as questions (each recognised only as a whole
        message, see :mod:`bot.answer`): a request for a summary ("tl;dr", "summary of ¶2-4")
        gets the summary of the conversation's article; "more" gets the further quotes of the
        last question in ``history``; a greeting, thanks or "help" gets a short reply."""
        cleaned = self.check_question(question)
        visible = self.articles(guild)
        # as the question is: "@everyone more" is "more", not a question to page on later
        history = [h for h in (MENTION.sub(" ", h or "").strip() for h in history or []) if h]
        max_quotes = max_quotes or self.settings.max_quotes
        focused = discussed = None
        if library and article is None and len(visible) > 1:
            infos = visible
            focused = self._focus(focus, visible)
            discussed = focused if focused is not None and focused.id == focus else None
        else:
            infos = [self._find(article, visible)]
        chat = extractive.small_talk(cleaned)
        if chat is not None:  # "hi", "thanks!", "help": not a question to search for
            titles = [i.title for i in (visible if chat == "articles" else infos)]
            return Answer(question=question.strip(), answered=False, quotes=[],
                          message=extractive.small_talk_reply(chat, titles),
                          article=infos[0].id if len(infos) == 1 else "", confidence=0.0)
        cleaned, infos, focused = self._narrowed(cleaned, infos, focused)
        infos = self._follow_up_scope(cleaned, history, infos, discussed)
        wanted = extractive.summary_subject(cleaned)
        if wanted is not None:  # "summarize the article", "tl;dr", "summary of ¶2-4"
            where, words = wanted
            # "summary of the Normans article": that one, if its title says so (else the
            # words are a subject: "summarize what Putin said" is a question)
            about = extractive.titled(words, infos) if words else focused or infos[0]
            kinds = extractive.SUMMARY_KINDS
            if about is None and (extractive.BY_SUBJECT.search(cleaned) or words[-1] in kinds):
                # "summary of the bees article", "summarize the match report", "the recipe":
                # the article the best passage on its subject comes from, else the article
                # alone, or the one the conversation is about (an article searched alone was
                # refused for "summarize the match report": the words were searched)
                subject = [w for w in words if w not in kinds]
                if len(infos) == 1:  # its summary's header says which article it is
                    about = infos[0]
                elif subject:
                    about = self._by_subject(subject, infos) or discussed
                else:  # "the recipe": the conversation's, else the one about recipes
                    about = discussed or self._by_subject(words, infos)
                if about is None:  # in a library, and nothing tells which: ask
                    return Answer(question=question.strip(), answered=False, quotes=[],
                                  message=extractive.which_article_reply(
                                      " ".join(words), [i.title for i in infos]),
                                  confidence=0.0)
            if about is None and len(infos) > 1 and len(words) <= 4 and not (
                    set(words) & SPOKEN):
                # "summarize the walking study", "summarize the tickets": what the article
                # about it says about it (its words were searched as a question, and in a
                # library found passages of any article, hedged)
                about = self._by_subject(words, infos)
                if about is not None:
                    return self._summary_answer(question, about, guild=guild, paragraphs="",
                                                topic=" ".join(words))
            if about is not None:
                return self._summary_answer(question, about, guild=guild, paragraphs=where,
                                            brief=bool(extractive.BRIEF_CUE.search(cleaned)))
            # "summarize the game", "summarize what the coach said": the subject is searched,
            # without the word "summarize", which no article holds (refused at 0.01–0.02)
            cleaned = extractive.SUMMARY_CUE.sub(" ", cleaned).strip() or cleaned
        words = extractive.article_subject(cleaned)
        named = extractive.titled(words, infos) if words else None
        if named is None and words and set(words) <= set(extractive.ARTICLE_KINDS):
            named = discussed  # "who wrote the recipe?" (alone, the article itself: answer)
        if named is None and words and extractive.BY_SUBJECT.search(cleaned):
            # "Who wrote the article about bees?" of *Why honeybees dance*
            named = self._by_subject(words, infos)
        if named is not None:  # "Who wrote the coffee article?": that one, by its title
            about = extractive.about_the_article(strip_markdown(question.strip()),
                                                 self.searcher.state(named).stored)
            if about is not None and about.message:  # a refusal too ("does not say who…")
                about = dataclasses.replace(about, question=question.strip())
                return self._cited(about, visible, named=False)
        if extractive.more_request(cleaned, extractive.last_question(history)):  # "more"
            return self._cited(self._more(question, infos, history=history, max_quotes=max_quotes,
                                          focus=focused), visible)
        if extractive.next_request(cleaned):  # "and then?", "what happened next?"
            return self._cited(self._next(question, cleaned, infos, history=history,
                                          max_quotes=max_quotes, focus=focused), visible)
        what = extractive.counted(cleaned)
        if what is not None:  # "how many times is Russia mentioned?": counted, not searched
            # over a library of up to COUNT_LIBRARY articles (each is read whole), else in
            # the conversation's article
            counted = infos if 1 < len(infos) <= COUNT_LIBRARY else [focused or infos[0]]
            stored = [self.searcher.state(info).stored for info in counted]
            return self._cited(extractive.mentions(question.strip(), what, stored,
                                                   self.searcher.terms), visible)
        asked = [h for h in history if extractive.is_question(h)]  # not "thanks", "more"
        request = extractive.quote_request(cleaned)
        if request is not None:  # "give me 2 quotes about covid": "about covid" is searched
            search, count = request
            result = self._answer(search, search, infos, history=asked,
                                  max_quotes=count or max_quotes, focus=focused)
            return self._cited(dataclasses.replace(result, question=question.strip()), visible)
        result = self._answer(question, cleaned, infos, history=asked, max_quotes=max_quotes,
                              focus=focused, sections=discussed)
        return self._cited(result, visible)

    def _narrowed(self, cleaned: str, infos: list[ArticleInfo], focus: ArticleInfo | None
                  ) -> tuple[str, list[ArticleInfo], ArticleInfo | None]:
        """``(question, articles, focus)`` narrowed to the article a question names ("what
        does the bike lane article say about parking?": that one, and "the article" in place of
        its name, see :func:`bot.answer.named_article`), or whose author it asks to quote ("what
        does Lindqvist say about offices?": "the author" in place of the name, see
        :func:`bot.answer.author_named`); else as they are."""
        named = extractive.named_article(cleaned, infos) or self._author_named(cleaned, infos)
        if named is None and len(infos) > 1:  # "¶4 of the football article": by its subject
            named = extractive.named_article(cleaned, infos,
                                             lambda words: self._by_subject(words, infos))
        if named is None and len(infos) > 1 and extractive.KIND_NAMED.search(cleaned):
            # "what does the faq say about refunds?": by its kind, else the rest is searched
            named = extractive.named_by_kind(
                cleaned, infos, self.searcher.lexical(infos).vocabulary, self.searcher.terms,
                lambda words: self._by_subject(words, infos))
            if named is not None and named[0] is None:
                # (a summary of an article no title or subject tells: the bot asks which)
                if extractive.summary_subject(cleaned) is not None:
                    return cleaned, infos, focus
                return named[1], infos, focus
        if named is None:
            return cleaned, infos, focus
        return named[1], [named[0]], named[0]

    def _author_named(self, cleaned: str, infos: list[ArticleInfo]
                      ) -> tuple[ArticleInfo, str] | None:
        """:func:`bot.answer.author_named`, unless the article's text names the author too: a
        paper quotes its co-author ("…said co-author Daniel Osei"), and "what did Daniel Osei
        say?" asked the body as "what did the author say?" and got "What would you like to
        know…?"."""
        named = extractive.author_named(cleaned, infos)
        if named is None:
            return None
        name = set(self.searcher.terms(cleaned)) - set(self.searcher.terms(named[1]))
        if name and any(name <= held for held in self.searcher.state(named[0]).paragraph_terms):
            return None
        return named

    def _more(self, question: str, infos: list[ArticleInfo], *, history: list[str],
              max_quotes: int, focus: ArticleInfo | None) -> Answer:
        """Further quotes on the conversation's last question: the ones its "More quotes"
        button shows, the next ones after each "more" in a row."""
        asked = list(history)
        shown = 0
        while asked and (extractive.next_request(asked[-1])  # "and then?": read on
                         or extractive.more_request(asked[-1],
                                                    extractive.last_question(asked[:-1]))):
            shown += not extractive.next_request(asked.pop())
        if not asked or not extractive.is_question(asked[-1]):  # nothing, or "tl;dr", "thanks"
            return Answer(question=question.strip(), answered=False, quotes=[],
                          message="Ask me a question first; “more” then shows further quotes "
                                  "on it.", confidence=0.0)
        previous = asked.pop()
        cleaned = self.check_question(previous)
        named = cleaned if len(cleaned) <= 80 else cleaned[:79].rstrip() + "…"
        earlier = [h for h in asked if extractive.is_question(h)]  # as ``_ask`` answered it
        cleaned, infos, focus = self._narrowed(cleaned, infos, focus)
        request = extractive.quote_request(cleaned)  # "give me quotes about covid": its subject
        if request is not None:
            previous = cleaned = request[0]
        result = self._answer(previous, cleaned, infos, history=earlier, max_quotes=max_quotes,
                              focus=focus)
        if not result.answered:  # not "that is all": there was nothing in the first place
            where = "the article covers" if len(infos) == 1 else "the articles here cover"
            return Answer(question=question.strip(), answered=False, quotes=[],
                          article=result.article, confidence=result.confidence,
                          message=f"I found nothing on “{named}”, so there are no more quotes: "
                                  f"ask a question {where} first.")
        further = result.more[shown * max_quotes:]
        if not further:
            return Answer(question=question.strip(), answered=False, quotes=[],
                          article=result.article, confidence=result.confidence,
                          message=f"That is all I found on “{named}”.")
        quotes = further[:max_quotes]
        return Answer(question=question.strip(), answered=True, quotes=quotes,
                      message=render_quotes(quotes, header=f"More on “{named}”:"),
                      article=quotes[0].article, more=further[max_quotes:],
                      confidence=result.confidence)

    NEXT_LOOKBACK = 3  # questions "and then?" looks back over for one that quoted something

    def _next(self, question: str, cleaned: str, infos: list[ArticleInfo], *,
              history: list[str], max_quotes: int, focus: ArticleInfo | None) -> Answer:
        """What the article says after the last answer's first quote ("and then?"), and after
        that at each "and then?" in a row. Searched again, "and then?" leaned on the previous
        question and quoted the same passage again."""
        asked = list(history)
        steps = 1
        while asked and extractive.next_request(asked[-1]):
            asked.pop()
            steps += 1
        while asked and not extractive.is_question(asked[-1]):  # "thanks", "more"
            asked.pop()
        if not asked:
            # nothing to go on from: "what happens next?" may still be a section an article
            # heads so (a storm explainer's "What happens next?")
            section = self._answer(question, cleaned, infos, history=[],
                                   max_quotes=max_quotes, focus=focus, sections=focus)
            if extractive.is_section(section):
                return section
            return Answer(question=question.strip(), answered=False, quotes=[],
                          message="Ask me a question first; “and then?” then quotes what the "
                                  "article says next.", confidence=0.0)
        searched, focused = infos, focus
        for _ in range(self.NEXT_LOOKBACK):  # the last question that quoted something ("and
            # then?" after "what temp?", which found nothing, goes on from the bake time)
            previous = asked.pop()
            cleaned, infos, focus = self._narrowed(self.check_question(previous), searched,
                                                   focused)
            earlier = [h for h in asked if extractive.is_question(h)]
            result = self._answer(previous, cleaned, infos, history=earlier, max_quotes=1,
                                  focus=focus, phrase=False)  # where it quoted, no LLM call
            while asked and not extractive.is_question(asked[-1]):
                asked.pop()
            if result.quotes or not asked:
                break
        if not result.quotes:
            return Answer(question=question.strip(), answered=False, quotes=[],
                          article=result.article, confidence=result.confidence,
                          message="I quoted nothing there to go on from: ask a question the "
                                  "article covers first.")
        quote = result.quotes[0]
        stored = self.searcher.state(self._find(quote.article, infos)).stored
        for _ in range(steps):
            quote = extractive.next_passage(stored, quote)
            if quote is None:
                return Answer(question=question.strip(), answered=False, quotes=[],
                              article=stored.info.id, confidence=result.confidence,
                              message=f"That is where *{stored.info.title}* ends.")
        return Answer(question=question.strip(), answered=True, quotes=[quote],
                      message=render_quotes([quote]), article=quote.article,
                      confidence=result.confidence)

    def _summary_answer(self, question: str, info: ArticleInfo, *, guild: str | None,
                        paragraphs: str, brief: bool = False, topic: str | None = None
                        ) -> Answer:
        """A summary asked for in words, as an answer (the same shape as any answer)."""
        summary = self._summary(info.id, guild=guild, paragraphs=paragraphs or None,
                                brief=brief, topic=topic)
        return Answer(question=question.strip(), answered=bool(summary.quotes),
                      quotes=summary.quotes, message=summary.message, article=info.id,
                      mode=summary.mode, answer=summary.answer, note=summary.note,
                      confidence=1.0 if summary.quotes else 0.0, named=summary.named)

    def _focus(self, focus: str | None, visible: list[ArticleInfo]) -> ArticleInfo | None:
        """The article "the article" means in a library question: ``focus`` if still visible,
        else the default article (as :meth:`article` finds it: the first listed when the
        configured default names none), else none (the question is searched as any)."""
        for info in visible:
            if focus and info.id == focus:
                return info
        try:
            return self._find(None, visible)
        except UnknownArticle:
            return None

    def _search_text(self, cleaned: str, history: list[str], focus: ArticleInfo | None = None
                     ) -> tuple[str, list[str]]:
        """The text to search for, and the history still to lean on (none after an LLM
        rewrite, which stands alone). ``focus``: the conversation's article, whose names
        a question typed in lower case may use ("who is dr osei?", then "what did she say?")."""
        if self._llm and history:
            return self._llm.rewrite_followup(cleaned, history), []
        resolved = extractive.resolve_person(cleaned, history)
        if (resolved is None and focus is not None and history
                and extractive.PERSON.search(cleaned)):
            # "who is the PTA chair?" just before: the name its answer gave; else a name
            # typed in lower case ("who is dr osei?")
            name = self._person_answered(extractive.last_question(history), focus)
            if name is not None:
                resolved = extractive.resolve_person(cleaned, [name])
            else:
                text = "\n".join(p.text for p in
                                 self.searcher.state(focus).stored.article.paragraphs)
                resolved = extractive.resolve_person(
                    cleaned, [extractive.names_capitalised(h, text) for h in history])
        if (resolved is None and focus is not None and not history
                and extractive.PERSON.search(cleaned) and not self._own_terms(cleaned)
                and extractive.PERSON_NAME.fullmatch(focus.title.strip())):
            # "who was she?" with nothing asked before, of a life titled by its subject's name
            # (*Margarethe Lindqvist*): her ("What would you like to know…?" before; a
            # question with words of its own, "where did she work?", is searched as it is)
            resolved = extractive.resolve_person(cleaned, [focus.title.strip()])
        if resolved is not None:
            return resolved, []  # it stands alone now
        if self._bare_follow_up(cleaned, history):
            # "why?", "and then?", "how long?": no word of its own to search for (or only the
            # question word's: "long"), so the latest earlier
            # question's words are searched with it. (Its vector alone leaned on them, so its
            # confidence rested on the embedding's likeness with no word matched: "why?" after
            # "What did Putin say about Hong Kong?" sat at the threshold, 0.06, and at 0.58 with
            # them, measured with the scorer of 1 Dec 2026.)
            earlier = next((h for h in reversed(history) if self._own_terms(h)), None)
            if earlier is not None:
                return f"{earlier} {cleaned}", []
        return cleaned, history

    def _person_answered(self, question: str, focus: ArticleInfo) -> str | None:
        """The name of the person "who is the PTA chair?" was answered with (the name next to
        the role's words in its first quote: "…said PTA chair Sunita Rao"), for the "she" of
        the next question: "what did she say?" was searched as "what did PTA say?" and quoted
        the PTA's disco. None for any other question, or when no name is that near."""
        role = extractive.ROLE_ASKED.fullmatch(question)
        if role is None or extractive.named_in(question) is not None:
            return None
        found = self._answer(question, self.check_question(question), [focus], history=[],
                             max_quotes=1, phrase=False)
        if not found.quotes:
            return None
        text, terms = found.quotes[0].text, self.searcher.terms
        # (a title as the quote writes it: "the ceo" of "Chief executive Linda Marsh")
        role = as_written([t for t in terms(role.group("role")) if t not in QUERY_PRONOUNS],
                          set(terms(text)), terms)  # ("her husband": "her" is everywhere)
        return extractive.name_beside(text, set(role), terms)

    def _bare_follow_up(self, cleaned: str, history: list[str]) -> bool:
        """A follow-up with no word of its own to search for ("why?", "and then?", "what did
        he say?": its pronoun is no word to look for), or only its question word's ("how
        long?": "long"), or one word besides a pronoun for what the last question asked about
        ("what's its name?" after "does she have a dog?": refused on "name" alone)."""
        if not extractive.is_follow_up(cleaned, history):
            return False
        own = self._own_terms(cleaned)
        # ... or none but the measure it asks ("how long is that?", "how many were there?":
        # searched across a library for "long", the first quoted another article's "The long
        # answer is this post")
        measure = set(self._measure_terms(cleaned))
        # (not "who wrote it?", "how does it end?": about the article itself)
        return (not own or bool(extractive.BARE_ASK.match(cleaned))
                or not set(own) - measure and extractive.THING.search(cleaned) is not None
                or len(own) == 1 and extractive.THING.search(cleaned) is not None
                and own[0] not in extractive.meta_terms(self.searcher))

    def _measure_terms(self, text: str) -> list[str]:
        """The search terms of what a "how …?" question measures ("how long": "long")."""
        return self.searcher.terms(" ".join(extractive.HOW_KIND.findall(text)))

    def _own_terms(self, text: str) -> list[str]:
        """The search terms of ``text`` but its pronouns ("he", "her": left out of a search
        too, :data:`index.retrieval.QUERY_PRONOUNS`; and "its", stemmed "it")."""
        return [t for t in self.searcher.terms(text) if t not in QUERY_PRONOUNS and t != "it"]

    def _follow_up_scope(self, cleaned: str, history: list[str], infos: list[ArticleInfo],
                         discussed: ArticleInfo | None) -> list[ArticleInfo]:
        """The articles a question is searched in: ``discussed`` alone for a bare follow-up
        ("why?", "how much?", "what did he say?" ask about what the last answer quoted, in
        the article it quoted: searched across the library, "why?" after a question on a
        baker's interview put a biography's "after she lost much of her savings" among its
        quotes, and "what did he say?" after an answer quoting an analyst quoted a club's
        minutes: "David said he was worried"); so is a follow-up whose words that article all
        holds ("how long does it take?" after questions on a Porto guide quoted a vacuum
        review's "Setup took about ten minutes", "and last year?" after an earnings answer
        another article's); else ``infos``."""
        if discussed is None or len(infos) < 2:
            return infos
        if self._bare_follow_up(cleaned, history):
            return [discussed]
        if extractive.is_follow_up(cleaned, history):
            # (the measure of "how long …?" is no word the answer holds: "takes 30 minutes")
            own = set(self._own_terms(cleaned)) - set(self._measure_terms(cleaned))
            if own and own <= self.searcher.state(discussed).vocabulary:
                return [discussed]
        return infos

    def _by_subject(self, words: list[str], infos: list[ArticleInfo]) -> ArticleInfo | None:
        """The article a question names by what it is about rather than by its title ("Who
        wrote the article about bees?" of *Why honeybees dance*): the one the best passage on
        those words comes from, when the scorer would answer with it; else None."""
        subject = " ".join(words)
        vector = self.embed_model.embed([subject])[0]
        found = extractive.answer(subject, self.searcher, infos, vector, subject, self.scorer, 1)
        if found.answered and found.quotes:
            return self._find(found.article, infos)
        if not 1 < len(infos) <= COUNT_LIBRARY:
            return None
        means = np.stack([self.searcher.state(i).stored.whole_paragraph_vectors.mean(axis=0)
                          for i in infos])
        near = means @ vector / np.maximum(np.linalg.norm(means, axis=1), 1e-12)
        first, second = np.sort(near)[::-1][:2]
        return (infos[int(np.argmax(near))]
                if first >= SUBJECT_COSINE and first - second >= SUBJECT_MARGIN else None)

    def _answer(self, question: str, cleaned: str, infos: list[ArticleInfo], *,
                history: list[str], max_quotes: int,
                focus: ArticleInfo | None = None,
                sections: ArticleInfo | None = None, phrase: bool = True) -> Answer:
        """Answer from the article versions ``infos``: one article, or a library searched at
        once (one dense search, one lexical index, one scorer; see :mod:`index.retrieval`).
        The LLM layer, when configured, phrases the answer from the first quote's article
        (unless ``phrase`` is False: only the quotes are wanted).
        ``focus`` and ``sections``: see :func:`bot.answer.answer`."""
        search_text, history = self._search_text(
            cleaned, history, focus or (infos[0] if len(infos) == 1 else None))
        vector = extractive.query_vector(self.embed_model.embed, search_text, history)
        # What it asks for in words ("paragraph 3", "what did Biden say") is read without its
        # markup too: "what did `Biden` say" names Biden as well. (The same text, byte for byte,
        # when there is no markup.)
        plain = strip_markdown(question.strip())
        result = extractive.answer(plain, self.searcher, infos, vector, search_text,
                                   self.scorer, max_quotes, focus=focus,
                                   follow_up=extractive.is_follow_up(search_text, history),
                                   sections=sections)
        if plain != question.strip():
            result = dataclasses.replace(result, question=question.strip())
        if phrase and self._llm and result.answered and result.quotes:  # not "The article is…"
            top = [q for q in [*result.quotes, *result.more] if q.article == result.article]
            article = self.searcher.state(self._find(result.article, infos)).stored.article
            result = _with_note(self._llm.answer(search_text, article, top, result))
        return result

    def _articles_by_id(self, visible: list[ArticleInfo]) -> dict[str, ArticleInfo]:
        source, by_id = self._by_id
        if source is not visible or len(by_id) > len(visible):
            by_id = {info.id: info for info in visible}
            self._by_id = (visible, by_id)
        return by_id

    def _citations(self, visible: list[ArticleInfo]):
        """How quotes are cited where ``visible`` is the library: ``fill`` gives a quote its
        article's title and, for an article read from a web page, a link to the passage (in a
        PDF, at its page); ``named``: citations name the article (the library holds more than
        one)."""
        infos = self._articles_by_id(visible)
        titles = Counter(i.title.casefold() for i in infos.values())

        def fill(quote: Quote) -> Quote:
            info = infos.get(quote.article)
            if info is None:
                return quote
            url = (passage_url(info.source, quote.text, info.page(quote.paragraph))
                   if is_url(info.source) else None)
            # two articles of one title are told apart by their ids
            title = info.title if titles[info.title.casefold()] == 1 else info.id
            return dataclasses.replace(quote, title=title, url=url)

        return fill, len(infos) > 1

    def _cited(self, result, visible: list[ArticleInfo], *, named: bool | None = None):
        """The result with every quote filled in and the message's citations as the library
        needs them (see ``_citations``); ``named`` False keeps them short (``(¶3)``)."""
        fill, in_library = self._citations(visible)
        named = in_library if named is None else named
        quotes = [fill(q) for q in result.quotes]
        message = recite(result.message, result.quotes, quotes, named=named)
        if message != result.message:  # a quote the longer citations pushed out is not kept
            quotes = [q for q in quotes if format_quote(q, named=named) in message]
        changes = {"quotes": quotes, "named": named, "message": message}
        if hasattr(result, "more"):
            changes["more"] = [fill(q) for q in result.more]
        return dataclasses.replace(result, **changes)

    def summary(self, article: str | None = None, *, guild: str | None = None,
                paragraphs: str | None = None, topic: str | None = None,
                brief: bool = False) -> Summary:
        """A quoted summary (see ``_summary``)."""
        return self._fresh(lambda: self._summary(article, guild=guild, paragraphs=paragraphs,
                                                 topic=topic, brief=brief))

    def _summary(self, article: str | None = None, *, guild: str | None = None,
                 paragraphs: str | None = None, topic: str | None = None,
                 brief: bool = False) -> Summary:
        """Quoted summary of the whole article, a paragraph range like ``"2-4"`` or a topic;
        ``brief`` ("tl;dr"): of the whole article or a range, in at most
        :data:`bot.summarize.BRIEF_QUOTES` quotes."""
        most = summaries.BRIEF_QUOTES if brief else None
        visible = self.articles(guild)
        info = self._find(article, visible)
        stored = self.searcher.state(info).stored
        fill, _ = self._citations(visible)

        # One article, named in the header: its citations need no title, whatever the library
        # holds, so the budget goes to quotes (about 27 characters a quote otherwise).
        def shown(quote: Quote) -> str:  # as the reader will see it, for the message budget
            return format_quote(fill(quote), named=False)

        if topic and topic.strip():
            topic = self.check_question(topic)
            vector = self.embed_model.embed([topic])[0]
            result = summaries.summarize_topic(self.searcher, info, self.scorer, topic, vector,
                                               shown=shown)
        elif paragraphs and paragraphs.strip():
            numbers = self.parse_paragraphs(paragraphs, info.paragraphs, info.title)
            # author notes and footnotes are left out as from a whole-article summary (a
            # range of notes only is summarised as it is)
            result = summaries.summarize(stored, numbers, where=f" ({cite_paragraphs(numbers)})",
                                         embed=self.embed_model.embed, shown=shown,
                                         max_quotes=most)
        else:
            result = summaries.summarize(stored, list(range(1, info.paragraphs + 1)),
                                         embed=self.embed_model.embed, shown=shown,
                                         max_quotes=most)
        if self._llm and result.quotes:
            result = _with_note(self._llm.summarize(stored.article, result.quotes, result))
        return self._cited(result, visible, named=False)

    @classmethod
    def parse_paragraphs(cls, text: str, count: int, title: str | None = None) -> list[int]:
        """The paragraph numbers ``text`` lists ("2-4", "3, 5", "2, 4 and 6"), in order, of an
        article of ``count`` paragraphs (named ``title`` in errors: a library holds many);
        as words too ("two to four", "paragraphs 3 and 5": :func:`bot.answer.as_range`)."""
        written = extractive.as_range(text or "")
        if not PARAGRAPHS_PATTERN.match(written):
            raise BadRange(f"“{text}” is not a paragraph range; write it like 2-4, 3 or 2, 5.")
        numbers: set[int] = set()
        for part in LIST_SEPARATOR.split(written):
            first, last = cls.parse_range(part, count, title)
            numbers.update(range(first, last + 1))
        return sorted(numbers)

    @staticmethod
    def parse_range(text: str, count: int, title: str | None = None) -> tuple[int, int]:
        match = RANGE_PATTERN.match(text or "")
        if not match:
            raise BadRange(f"“{text}” is not a paragraph range; write it like 2-4 (or 3).")
        # a number of more than 9 digits is out of range anyway (and int() refuses 4,300)
        first, last = (int(d) if len(d) <= 9 else 10 ** 9
                       for d in (match.group(1), match.group(2) or match.group(1)))
        if first > last:
            first, last = last, first
        if first < 1 or last > count:
            shown = text.strip() if len(text.strip()) <= 20 else text.strip()[:20] + "…"
            has = (f"“{title}” has paragraphs 1 to {count}" if title
                   else f"The article's paragraphs are numbered 1 to {count}")
            raise BadRange(f"{has}; {shown} is outside that.")
        return first, last

    # -- indexing ---------------------------------------------------------------------------

    def add_article(self, source: str, *, scope: str = "global", text: str | bytes | None = None,
                    article_id: str | None = None, progress=None,
                    public_only: bool = False) -> tuple[ArticleInfo, bool]:
        """Index a file path or URL (or ``text`` with ``source`` as its file name). Returns the
        article and whether anything changed (re-adding the same content changes nothing).
        ``public_only``: only a URL on the public internet (what a Discord member may add)."""
        try:
            return add_article(self.store, source, scope=scope, text=text,
                               article_id=article_id, progress=progress,
                               public_only=public_only)
        finally:
            self._forget_infos()

    def remove_article(self, article: str, *, guild: str | None = None) -> ArticleInfo:
        """Delete an article from the store. With ``guild``, only one that guild added
        (``NotAllowed`` for a global one; another guild's is unknown there)."""
        try:
            info = remove_article(self.store, (article or "").strip(), scope=guild)
        finally:
            self._forget_infos()
        self.searcher.forget({info.id})
        return info

    def forget_guild(self, guild: str) -> list[ArticleInfo]:
        """Delete every article ``guild`` added (the bot was removed from that server)."""
        try:
            removed = remove_scope(self.store, str(guild))
        finally:
            self._forget_infos()
        self.searcher.forget({info.id for info in removed})
        return removed

    def reindex(self, article: str | None = None, *, guild: str | None = None,
                progress=None) -> list[ArticleInfo]:
        """Rebuild the index of one article (or all of them) from its stored text. For a
        ``guild``, only the articles it added: the shared ones are the operator's (rebuilding
        them re-embeds every server's default article, or a whole global library), so naming
        one, or asking with nothing of its own, is ``NotAllowed``. ``progress(done, total)``:
        sentences embedded so far, over all the articles rebuilt."""
        targets = [self.article(article, guild=guild)] if article else self.articles(guild)
        if guild is not None:
            if article and targets[0].scope != str(guild):
                raise NotAllowed(f"“{targets[0].title}” is shared by every server; only the "
                                 f"bot's operator can rebuild it (`python -m index build --force`).")
            targets = [t for t in targets if t.scope == str(guild)]
            if not targets:
                raise NotAllowed("This server has not added any article, so there is nothing "
                                 "of its own to rebuild (the shared articles are the "
                                 "operator's). Add one with `/article-add`.")
        articles = []
        for info in targets:
            article = self.store.load(info.id).article
            source = Path(info.source) if info.source else None
            if source is not None and source.is_file():  # pick up edits to the file
                from index.loaders import load_article

                article = dataclasses.replace(load_article(str(source), scope=info.scope),
                                              id=info.id)
            articles.append(article)
        total, before, rebuilt = sum(len(a.sentences) for a in articles), 0, []
        for article in articles:
            step = None if progress is None else (
                lambda done, _, before=before: progress(before + done, total))
            rebuilt.append(self.store.save(article, step, force=True)[0])
            before += len(article.sentences)
        self.searcher.forget({i.id for i in targets})
        self._forget_infos()
        return rebuilt


def _with_note(result):
    """Show why a language model's answer was replaced by quotes (every edge shows
    ``message``), when the note fits in the same message."""
    if result.note and result.mode != "llm":
        noted = f"*{result.note}*\n\n{result.message}"
        if len(noted) <= DISCORD_LIMIT:
            return dataclasses.replace(result, message=noted)
    return result
