"""Errors the core raises. Each edge (CLI, Discord) turns them into a short, friendly message."""

from __future__ import annotations


class QuotebotError(Exception):
    """Base class: ``str(error)`` is a message fit to show a user."""


class BadQuestion(QuotebotError):
    """The question is empty or too long; nothing was searched."""


class UnknownArticle(QuotebotError):
    def __init__(self, article_id: str, known: list[str] | None = None):
        self.article_id = article_id
        hint = f" Known articles: {', '.join(known)}." if known else ""
        super().__init__(f"There is no article called “{article_id}”.{hint}")


class UnknownParagraph(QuotebotError):
    def __init__(self, number: int, count: int):
        self.number, self.count = number, count
        super().__init__(
            f"The article has no paragraph {number}: its paragraphs are numbered 1 to {count}."
        )


class BadRange(QuotebotError):
    """A paragraph range like ``2-4`` that cannot be read or lies outside the article."""


class IndexMissing(QuotebotError):
    """The store has no index for what was asked (build it with ``python -m index build``)."""


class StaleIndex(QuotebotError):
    """An article version named by a cached article list has been replaced meanwhile (by this
    or another process); read the list again."""


class StoreError(QuotebotError):
    """The vector store cannot be opened or read: it is corrupt, locked, or the server is down."""


class IngestError(QuotebotError):
    """An article could not be read: missing file, unsupported type, unreachable URL, no text."""


class NotAllowed(QuotebotError):
    """Not this user's to change (e.g. removing an article every server shares)."""
