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
from pathlib import Path

from bot import answer as extractive
from bot import summarize as summaries
from bot.models import Answer, ArticleInfo, Summary
from bot.render import DISCORD_LIMIT
from bot.settings import Settings
from index.errors import BadQuestion, BadRange, IngestError, UnknownArticle
from index.retrieval import ArticleRetriever
from index.store import ArticleStore

log = logging.getLogger(__name__)

RANGE_PATTERN = re.compile(r"^\s*¶?(\d+)\s*(?:(?:-|–|—|\.\.|to)\s*¶?(\d+))?\s*$")
MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b")


class Engine:
    """Opens the store once; answers questions, summaries and paragraph look-ups."""

    RANGE = RANGE_PATTERN

    def __init__(self, settings: Settings, store: ArticleStore) -> None:
        self.settings = settings
        self.store = store
        self.embed_model = store.embed_model
        self._retrievers: dict[tuple[str, str], ArticleRetriever] = {}
        self._lock = threading.Lock()
        self._llm = None
        if settings.llm != "none":
            from bot.llm import LLMAnswerer

            self._llm = LLMAnswerer(settings)

    @classmethod
    def open(cls, settings: Settings | None = None, *, ensure_bundled: bool = True) -> "Engine":
        """Open (or create) the store; index the bundled article the first time it is needed.

        Raises ``StoreError`` when the store is corrupt or the Chroma server is unreachable.
        """
        from index.embedding import MiniLMEmbedding

        settings = settings or Settings()
        store = ArticleStore.open(path=settings.chroma_path, url=settings.chroma_url,
                                  name=settings.collection, embed_model=MiniLMEmbedding())
        engine = cls(settings, store)
        if ensure_bundled:
            engine.ensure_bundled()
        return engine

    def ensure_bundled(self) -> ArticleInfo:
        """Index the bundled article unless the store already has it."""
        from index.article import slugify

        article_id = slugify(Path(self.settings.bundled_article).stem)
        for info in self.store.infos():
            if info.id == article_id:
                return info
        log.info("indexing the bundled article %s (first run)", article_id)
        return self.add_article(str(self.settings.bundled_article))[0]

    def warm(self, article: str | None = None) -> None:
        """Load the embedding model and the default article's retriever ahead of the first
        question, so that it is answered at full speed."""
        self.embed_model.embed(["warm up"])
        self._retriever(self.article(article)).warm()
        if self._llm is not None:
            self._llm.warm()  # imports and builds the client; no network

    # -- articles ---------------------------------------------------------------------------

    def articles(self, guild: str | None = None) -> list[ArticleInfo]:
        """Articles visible in ``guild``: the global ones plus those the guild added."""
        return [i for i in self.store.infos()
                if i.scope == "global" or (guild is not None and i.scope == str(guild))]

    def default_article_id(self) -> str:
        from index.article import slugify

        return self.settings.default_article or slugify(Path(self.settings.bundled_article).stem)

    def article(self, article: str | None = None, *, guild: str | None = None) -> ArticleInfo:
        """One article by id (default: the bundled/default article). ``UnknownArticle`` if not
        visible in ``guild``."""
        visible = self.articles(guild)
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
        raise UnknownArticle(wanted, [i.id for i in visible])

    def _retriever(self, info: ArticleInfo) -> ArticleRetriever:
        """The cached retriever of the article version ``info`` (already resolved by the caller,
        so a question reads the article list from the store once)."""
        key = (info.id, info.version)
        with self._lock:
            retriever = self._retrievers.get(key)
            if retriever is None:
                retriever = ArticleRetriever(self.store, self.store.load(info.id))
                self._retrievers = {k: v for k, v in self._retrievers.items() if k[0] != info.id}
                self._retrievers[key] = retriever
        return retriever

    def paragraph(self, number: int, article: str | None = None, *,
                  guild: str | None = None) -> str:
        """The text of paragraph ``number`` (1-based). ``UnknownParagraph`` when out of range."""
        info = self.article(article, guild=guild)
        return self._retriever(info).stored.article.paragraph(number).text

    # -- questions --------------------------------------------------------------------------

    def check_question(self, question: str) -> str:
        """The question cleaned up, or ``BadQuestion`` (empty, or over ``max_question_chars``).

        Discord mentions and ``@everyone``/``@here`` are removed from what is searched; they are
        never echoed with pings (every edge sends with mentions disabled)."""
        limit = self.settings.max_question_chars
        if question is not None and len(question) > limit:
            raise BadQuestion(f"That question is {len(question):,} characters long; please keep "
                              f"it under {limit:,}.")
        cleaned = MENTION.sub(" ", question or "")
        cleaned = re.sub(r"[*_`~|>#]+", " ", cleaned)
        cleaned = re.sub(r"\s+", " ", cleaned).strip()
        if not re.search(r"\w", cleaned):
            raise BadQuestion("Please ask a question about the article, e.g. "
                              "“What did Putin say about Hong Kong?”.")
        return cleaned

    def ask(self, question: str, article: str | None = None, *, guild: str | None = None,
            history: list[str] | None = None, max_quotes: int | None = None) -> Answer:
        """Answer with verbatim quotes, best first; ``answered`` is False when the article does
        not cover the question. ``history``: earlier questions of the same conversation (oldest
        first), used to resolve follow-ups like "and what about Russia?"."""
        cleaned = self.check_question(question)
        info = self.article(article, guild=guild)
        retriever = self._retriever(info)
        history = [h for h in (history or []) if h and h.strip()]
        search_text = cleaned
        if self._llm and history:
            search_text = self._llm.rewrite_followup(cleaned, history)
            history = []  # the rewrite stands alone
        vector = extractive.query_vector(self.embed_model.embed, search_text, history)
        result = extractive.answer(question.strip(), retriever, vector, search_text,
                                   max_quotes or self.settings.max_quotes)
        if self._llm and result.answered:
            passages = [*result.quotes, *result.more]
            result = _with_note(self._llm.answer(search_text, retriever.stored.article,
                                                 passages, result))
        return result

    def summary(self, article: str | None = None, *, guild: str | None = None,
                paragraphs: str | None = None, topic: str | None = None) -> Summary:
        """Quoted summary of the whole article, a paragraph range like ``"2-4"`` or a topic."""
        info = self.article(article, guild=guild)
        retriever = self._retriever(info)
        stored = retriever.stored
        if topic and topic.strip():
            topic = self.check_question(topic)
            vector = self.embed_model.embed([topic])[0]
            result = summaries.summarize_topic(stored, retriever, topic, vector)
        elif paragraphs and paragraphs.strip():
            first, last = self.parse_range(paragraphs, info.paragraphs)
            where = f" (¶{first}–{last})" if last > first else f" (¶{first})"
            result = summaries.summarize(stored, list(range(first, last + 1)), where=where,
                                         skip_notes=False, embed=self.embed_model.embed)
        else:
            result = summaries.summarize(stored, list(range(1, info.paragraphs + 1)),
                                         embed=self.embed_model.embed)
        if self._llm and result.quotes:
            result = _with_note(self._llm.summarize(stored.article, result.quotes, result))
        return result

    @staticmethod
    def parse_range(text: str, count: int) -> tuple[int, int]:
        match = RANGE_PATTERN.match(text or "")
        if not match:
            raise BadRange(f"“{text}” is not a paragraph range; write it like 2-4 (or 3).")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first > last:
            first, last = last, first
        if first < 1 or last > count:
            raise BadRange(f"The article's paragraphs are numbered 1 to {count}; "
                           f"{text.strip()} is outside that.")
        return first, last

    # -- indexing ---------------------------------------------------------------------------

    def add_article(self, source: str, *, scope: str = "global", text: str | None = None,
                    article_id: str | None = None, progress=None) -> tuple[ArticleInfo, bool]:
        """Index a file path or URL (or ``text`` with ``source`` as its file name). Returns the
        article and whether anything changed (re-adding the same content changes nothing)."""
        from index.loaders import load_article

        article = load_article(source, text=text, article_id=article_id, scope=scope)
        if scope != "global" and article_id is None:
            article = dataclasses.replace(article, id=f"{scope}-{article.id}")
        for info in self.store.infos():
            if info.id == article.id and info.scope != scope:
                raise IngestError(f"An article with the id “{article.id}” already exists "
                                  "elsewhere; choose another id.")
        return self.store.save(article, progress=progress)

    def reindex(self, article: str | None = None, *, guild: str | None = None) -> list[ArticleInfo]:
        """Rebuild the index of one article (or all visible ones) from its stored text."""
        targets = [self.article(article, guild=guild)] if article else self.articles(guild)
        if guild is not None and not article:
            targets = [t for t in targets if t.scope == str(guild)] or targets
        rebuilt = []
        for info in targets:
            article = self.store.load(info.id).article
            source = Path(info.source) if info.source else None
            if source is not None and source.is_file():  # pick up edits to the file
                from index.loaders import load_article

                article = dataclasses.replace(load_article(str(source), scope=info.scope),
                                              id=info.id)
            rebuilt.append(self.store.save(article, force=True)[0])
        with self._lock:
            self._retrievers = {k: v for k, v in self._retrievers.items()
                                if k[0] not in {i.id for i in targets}}
        return rebuilt


def _with_note(result):
    """Show why a language model's answer was replaced by quotes (every edge shows
    ``message``), when the note fits in the same message."""
    if result.note and result.mode != "llm":
        noted = f"*{result.note}*\n\n{result.message}"
        if len(noted) <= DISCORD_LIMIT:
            return dataclasses.replace(result, message=noted)
    return result
