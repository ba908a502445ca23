"""Errors the core raises. Each edge (CLI, Discord) turns them into a short, friendly message."""

from __future__ import annotations


class QuotebotError(Exception):
    """Base class: ``str(error)`` is a message fit to show a user."""


class BadQuestion(QuotebotError):
    """The question is empty or too long; nothing was searched."""


class UnknownArticle(QuotebotError):
    SHOWN = 10  # ids listed at most (a large library's list would drown the message)

    def __init__(self, article_id: str, known: list[str] | None = None, *,
                 ambiguous: bool = False):
        self.article_id = article_id
        known = known or []
        listed = ", ".join(known[:self.SHOWN]) + (
            f" and {len(known) - self.SHOWN} more" if len(known) > self.SHOWN else "")
        if ambiguous:
            super().__init__(f"“{article_id}” matches several articles: {listed}. "
                             f"Name one by its id.")
        else:
            hint = f" Known articles: {listed}." if known else ""
            super().__init__(f"There is no article called “{article_id}”.{hint}")


class UnknownParagraph(QuotebotError):
    def __init__(self, number: int, count: int, title: str | None = None):
        self.number, self.count = number, count
        named = f"“{title}”" if title else "The article"  # which one, in a library
        super().__init__(
            f"{named} has no paragraph {number}: its paragraphs are numbered 1 to {count}."
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
