"""Citations are data: the small typed records the core returns to every edge."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.article import ArticleInfo  # noqa: F401 - re-exported: it lives in the lower layer


@dataclass(frozen=True)
class Quote:
    """A verbatim span ``[start, end)`` of one paragraph of one article.

    ``title`` and ``url`` are filled by the engine from the article's record: its title, and for
    an article read from a web page, a link to the quoted passage there (a text fragment)."""

    article: str
    paragraph: int
    text: str
    start: int = 0
    end: int = 0
    score: float = 0.0
    title: str = ""
    url: str | None = None

    def as_json(self) -> dict:
        data = {"article": self.article, "paragraph": self.paragraph, "text": self.text}
        if self.url:
            data["url"] = self.url
        return data


@dataclass
class Answer:
    """What the bot says to a question. ``message`` is ready to post (at most 2,000 characters)."""

    question: str
    answered: bool
    quotes: list[Quote]
    message: str
    article: str = ""
    mode: str = "extractive"  # "extractive" or "llm"
    answer: str | None = None  # the LLM's short answer in its own words, when there is one
    note: str | None = None  # e.g. why the LLM answer fell back to the extractive one
    more: list[Quote] = field(default_factory=list)  # further quotes, for a "more" button
    confidence: float | None = None  # that the searched articles answer it, in [0, 1]
    named: bool = False  # citations name the article (the library holds more than one)

    def as_json(self) -> dict:
        data = {
            "question": self.question,
            "answered": self.answered,
            "quotes": [q.as_json() for q in self.quotes],
            "message": self.message,
            "mode": self.mode,
        }
        if self.confidence is not None:
            data["confidence"] = self.confidence
        if self.answer:
            data["answer"] = self.answer
        if self.note:
            data["note"] = self.note
        return data


@dataclass
class Summary:
    quotes: list[Quote]
    message: str
    article: str = ""
    mode: str = "extractive"
    answer: str | None = None  # the LLM's overview, when there is one
    note: str | None = None
    named: bool = False  # citations name the article (the library holds more than one)

    def as_json(self) -> dict:
        data = {"quotes": [q.as_json() for q in self.quotes], "message": self.message,
                "mode": self.mode}
        if self.answer:
            data["answer"] = self.answer
        if self.note:
            data["note"] = self.note
        return data
