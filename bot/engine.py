"""The answering core's facade: every edge (CLI, terminal chat, Discord) calls only this.

It knows nothing of Discord. Its methods are synchronous and CPU-bound (embedding, search);
async callers run them with ``asyncio.to_thread``. Errors are :mod:`index.errors` subclasses
whose ``str()`` is a friendly message.
"""

from __future__ import annotations

from bot.models import Answer, ArticleInfo, Summary
from bot.settings import Settings


class Engine:
    """Opens the store once; answers questions, summaries and paragraph look-ups."""

    @classmethod
    def open(cls, settings: Settings | None = None, *, ensure_bundled: bool = True) -> "Engine":
        """Open (or create) the store; index the bundled article the first time it is needed.

        Raises ``StoreError`` when the store is corrupt or the Chroma server is unreachable.
        """
        raise NotImplementedError

    def articles(self, guild: str | None = None) -> list[ArticleInfo]:
        """Articles visible in ``guild``: the global ones plus those the guild added."""
        raise NotImplementedError

    def article(self, article: str | None = None, *, guild: str | None = None) -> ArticleInfo:
        """One article by id (default: the bundled/default article). ``UnknownArticle`` if not
        visible in ``guild``."""
        raise NotImplementedError

    def paragraph(self, number: int, article: str | None = None, *,
                  guild: str | None = None) -> str:
        """The text of paragraph ``number`` (1-based). ``UnknownParagraph`` when out of range."""
        raise NotImplementedError

    def check_question(self, question: str) -> str:
        """The question stripped, or ``BadQuestion`` (empty, or over ``max_question_chars``)."""
        raise NotImplementedError

    def ask(self, question: str, article: str | None = None, *, guild: str | None = None,
            history: list[str] | None = None, max_quotes: int | None = None) -> Answer:
        """Answer with verbatim quotes, best first; ``answered`` is False when the article does
        not cover the question. ``history``: earlier questions of the same conversation (oldest
        first), used to resolve follow-ups like "and what about Russia?"."""
        raise NotImplementedError

    def summary(self, article: str | None = None, *, guild: str | None = None,
                paragraphs: str | None = None, topic: str | None = None) -> Summary:
        """Quoted summary of the whole article, a paragraph range like ``"2-4"`` or a topic."""
        raise NotImplementedError

    def add_article(self, source: str, *, scope: str = "global", text: str | None = None,
                    article_id: str | None = None) -> tuple[ArticleInfo, bool]:
        """Index a file path or URL (or ``text`` with ``source`` as its file name). Returns the
        article and whether anything changed (re-adding the same content changes nothing)."""
        raise NotImplementedError

    def reindex(self, article: str | None = None, *, guild: str | None = None) -> list[ArticleInfo]:
        """Rebuild the index of one article (or all visible ones) from its stored text."""
        raise NotImplementedError
