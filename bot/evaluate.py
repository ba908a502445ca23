"""Score the bot on a question file: the development format or SQuAD 2.0.

Two formats are read:

- **questions** (``shared/eval/dev_questions.json``): ``{"questions": [{"q", "gold":
  [phrases], "answerable"}]}`` about an article already in the store; a cited paragraph is right
  when it contains a gold phrase;
- **SQuAD 2.0** (``{"data": [{"title", "paragraphs": [{"context", "qas"}]}]}``): every article is
  indexed into the store first (title, then its paragraphs in order, so SQuAD paragraph *i* is
  ¶\\ *i+1*); a cited paragraph is right when it is the question's own paragraph.

Figures, overall and per article (answerable questions only unless said):

- paragraph hit@1 / hit@3: the first quote's / one of the first three quotes' paragraph is right
  (with ``library``: its article too);
- quote hit@1: the first quote, at most 80 words, contains a gold answer;
- answered: share of answerable questions answered; abstained: share of unanswerable ones
  declined (``abstentions`` and ``false_abstentions`` give the counts);
- verbatim: share of all quotes shown that are exact substrings of their cited paragraph;
- errors: questions the bot refuses to take (longer than ``QUOTEBOT_MAX_QUESTION_CHARS``, or
  without a word), each listed in ``Report.errors``; scored as a user sees them, unanswered;
- median_ms: time per question (of those asked).
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine import Engine
from bot.models import Answer
from bot.render import shorten
from index.article import Article, Paragraph, slugify
from index.errors import BadQuestion, QuotebotError

QUOTE_WORDS = 80
FORMATS = ('expected {"questions": [{"q": "…", "gold": ["…"], "answerable": true}, …]} '
           '(the development format) or a SQuAD 2.0 file ({"data": [{"title", "paragraphs": '
           '[{"context", "qas"}]}]})')


class BadQuestionFile(QuotebotError):
    """A question file that cannot be read, is in neither format, or holds no questions."""


@dataclass(frozen=True)
class Item:
    question: str
    article: str | None  # None: the default article (questions format)
    answerable: bool
    gold: tuple[str, ...]  # answer texts (SQuAD) or phrases
    paragraph: int | None = None  # the gold paragraph (SQuAD)
    spans: tuple[tuple[int, int], ...] = ()  # gold character spans in that paragraph (SQuAD)


def is_squad(data: dict) -> bool:
    return isinstance(data, dict) and isinstance(data.get("data"), list)


def squad_articles(data: dict) -> list[Article]:
    """The articles of a SQuAD file, built directly (no text parsing, so nothing in a paragraph
    can be mistaken for a title, byline or heading)."""
    return [Article(id=slugify(a["title"]), title=a["title"].replace("_", " "), authors=None,
                    paragraphs=tuple(Paragraph(j + 1, p["context"])
                                     for j, p in enumerate(a["paragraphs"])),
                    source=f"squad:{a['title']}")
            for a in data["data"]]


def load_items(data: dict, article: str | None = None) -> list[Item]:
    """The questions of a file's JSON; ``BadQuestionFile`` (saying what is wrong and where)
    when it is in neither format."""
    if not is_squad(data):
        return _questions(data, article)
    items = []
    where = "data"
    try:
        for i, a in enumerate(data["data"]):
            where = f"data[{i}]"
            _text(a, "title", where)
            for j, p in enumerate(a["paragraphs"]):
                where = f"data[{i}].paragraphs[{j}]"
                _text(p, "context", where)
                for k, qa in enumerate(p["qas"]):
                    where = f"data[{i}].paragraphs[{j}].qas[{k}]"
                    _text(qa, "question", where)
                    answers = [] if qa.get("is_impossible") else qa["answers"]
                    items.append(Item(
                        qa["question"], slugify(a["title"]), bool(answers),
                        tuple(dict.fromkeys(x["text"] for x in answers)), j + 1,
                        tuple(dict.fromkeys((x["answer_start"],
                                             x["answer_start"] + len(x["text"]))
                                            for x in answers))))
    except KeyError as error:
        raise BadQuestionFile(f"{where} has no {error}; {FORMATS}") from None
    except (TypeError, AttributeError) as error:
        raise BadQuestionFile(f"{where} is not shaped as SQuAD 2.0 ({error}); {FORMATS}") from None
    return items


def _text(record, key: str, where: str) -> None:
    if not isinstance(record[key], str):
        raise BadQuestionFile(f'{where}: "{key}" is not a string; {FORMATS}')


def _questions(data, article: str | None) -> list[Item]:
    """The development format's questions."""
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a JSON {type(data).__name__}"
        raise BadQuestionFile(f"the file holds {kind}, not an object; {FORMATS}")
    questions = data.get("questions")
    if not isinstance(questions, list):
        raise BadQuestionFile(f'the file has no "questions" list (nor SQuAD\'s "data"); '
                              f"{FORMATS}")
    items = []
    for n, q in enumerate(questions, 1):
        if not isinstance(q, dict):
            raise BadQuestionFile(f"question {n} is not an object; {FORMATS}")
        if not isinstance(q.get("q"), str) or not q["q"].strip():
            keys = ", ".join(f'"{k}"' for k in q) or "nothing"
            raise BadQuestionFile(f'question {n} has no "q" (its text; it has {keys}); '
                                  f"{FORMATS}")
        gold = q.get("gold", [])
        if not isinstance(gold, list) or not all(isinstance(g, str) for g in gold):
            raise BadQuestionFile(f'question {n}: "gold" is not a list of phrases; {FORMATS}')
        answerable = q.get("answerable", True)
        if type(answerable) is int and answerable in (0, 1):  # as Python's json.dump of 0/1
            answerable = bool(answerable)  # wrote them, and as they were read before
        if not isinstance(answerable, bool):  # "false" in quotes would count as true
            raise BadQuestionFile(f'question {n}: "answerable" is {json.dumps(answerable)}, '
                                  f"not true or false; {FORMATS}")
        items.append(Item(q["q"], article, answerable, tuple(gold)))
    return items


def read_questions(path: str | Path, article: str | None = None) -> tuple[dict, list[Item]]:
    """A question file's JSON and its questions; ``BadQuestionFile`` when the file is missing
    or unreadable, not JSON, in neither format, or holds no questions."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise BadQuestionFile(f"cannot read the question file {path}: {reason}; "
                              f"{FORMATS}") from None
    except json.JSONDecodeError as error:
        raise BadQuestionFile(f"{path} is not JSON ({error.msg}, line {error.lineno} column "
                              f"{error.colno}); {FORMATS}") from None
    try:
        items = load_items(data, article)
    except BadQuestionFile as error:
        raise BadQuestionFile(f"{path}: {error}") from None
    if not items:
        raise BadQuestionFile(f"{path} has no questions, so there is nothing to score; "
                              f"{FORMATS}")
    return data, items


@dataclass
class Tally:
    answerable: int = 0
    unanswerable: int = 0
    paragraph_hit1: int = 0
    paragraph_hit3: int = 0
    quote_hit1: int = 0
    abstained: int = 0
    false_abstentions: int = 0
    quotes: int = 0
    verbatim: int = 0
    errors: int = 0
    seconds: list[float] = field(default_factory=list)

    def figures(self) -> dict:
        n = max(self.answerable, 1)
        return {
            "questions": self.answerable + self.unanswerable,
            "paragraph_hit@1": round(self.paragraph_hit1 / n, 3),
            "paragraph_hit@3": round(self.paragraph_hit3 / n, 3),
            "quote_hit@1": round(self.quote_hit1 / n, 3),
            "answered": round(1 - self.false_abstentions / n, 3),
            "abstained": round(self.abstained / self.unanswerable, 3) if self.unanswerable
            else None,
            "abstentions": f"{self.abstained}/{self.unanswerable}",
            "false_abstentions": self.false_abstentions,
            "verbatim": round(self.verbatim / self.quotes, 3) if self.quotes else 1.0,
            "errors": self.errors,
            "median_ms": (round(1000 * statistics.median(self.seconds), 1)
                          if self.seconds else None),
        }


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    articles: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "question N (…): why it was refused"

    def figures(self) -> dict:
        figures = self.overall.figures()
        if len(self.articles) > 1:
            figures["per_article"] = {k: v.figures() for k, v in self.articles.items()}
        return figures


def judge(item: Item, result, text_of) -> dict:
    """What one answer scores: ``text_of(article, paragraph)`` gives a paragraph's text."""
    quotes = result.quotes
    verbatim = [q.text in text_of(q.article, q.paragraph) for q in quotes]
    out = {"answered": result.answered, "quotes": len(quotes), "verbatim": sum(verbatim),
           "hit1": False, "hit3": False, "quote1": False}
    if not item.answerable or not result.answered or not quotes:
        return out

    def right(q) -> bool:
        if item.article is not None and q.article != item.article:
            return False
        if item.paragraph is not None:
            return q.paragraph == item.paragraph
        return any(g in text_of(q.article, q.paragraph) for g in item.gold)

    out["hit1"] = right(quotes[0])
    out["hit3"] = any(right(q) for q in quotes[:3])
    first = quotes[0]
    out["quote1"] = (out["hit1"] and len(first.text.split()) <= QUOTE_WORDS
                     and any(g in first.text for g in item.gold))
    return out


def prepare(engine: Engine, path: str | Path, article: str | None = None, *,
            read: tuple[dict, list[Item]] | None = None) -> list[Item]:
    """The file's questions; a SQuAD file's articles are indexed into the engine's store.
    ``BadQuestionFile`` when there are none to score (see ``read_questions``). ``read``: what
    ``read_questions`` already gave for the file (it is not read again)."""
    data, items = read if read is not None else read_questions(path, article)
    if is_squad(data):
        for a in squad_articles(data):
            engine.store.save(a)
    return items


def evaluate(engine: Engine, path: str | Path, article: str | None = None, *,
             library: bool = False, read: tuple[dict, list[Item]] | None = None) -> Report:
    """Score the questions of ``path`` (or of ``read``, as ``read_questions`` gave them). A
    question the bot refuses (too long, no word) is one of ``Report.errors``, not the end."""
    items = prepare(engine, path, article, read=read)
    if library:  # a quote must name the right article too
        default = engine.article(article).id
        items = [i if i.article else Item(i.question, default, i.answerable, i.gold, i.paragraph,
                                          i.spans) for i in items]
    report = Report()
    texts: dict[tuple[str, int], str] = {}

    def text_of(article_id: str, number: int) -> str:
        key = (article_id, number)
        if key not in texts:
            texts[key] = engine.paragraph(number, article_id)
        return texts[key]

    for number, item in enumerate(items, 1):
        started = time.perf_counter()
        refused = None
        try:
            if library:
                result = engine.ask(item.question, library=True)
            else:
                result = engine.ask(item.question, item.article)
        except BadQuestion as error:  # as the bot refuses it: unanswered, and said so
            refused = error
            result = Answer(question=item.question, answered=False, quotes=[],
                            message=str(error), confidence=0.0)
        elapsed = time.perf_counter() - started
        score = judge(item, result, text_of)
        name = item.article or engine.article(None).id
        for tally in (report.overall, report.articles[name]):
            if refused is not None:
                tally.errors += 1
            else:
                tally.seconds.append(elapsed)
            tally.quotes += score["quotes"]
            tally.verbatim += score["verbatim"]
            if not item.answerable:
                tally.unanswerable += 1
                tally.abstained += not result.answered
                continue
            tally.answerable += 1
            tally.false_abstentions += not result.answered
            tally.paragraph_hit1 += score["hit1"]
            tally.paragraph_hit3 += score["hit3"]
            tally.quote_hit1 += score["quote1"]
        if refused is not None:
            report.errors.append(f"question {number} (“{shorten(item.question, 60)}”): "
                                 f"{refused}")
            continue
        if not item.answerable and result.answered:
            report.misses.append(f"answered an unanswerable question: {item.question}")
        elif item.answerable and not result.answered:
            report.misses.append(f"abstained: {item.question}")
        elif item.answerable and not score["quote1"]:
            where = f"{result.quotes[0].article} ¶{result.quotes[0].paragraph}"
            report.misses.append(f"top quote ({where}) lacks the gold answer: {item.question}")
    return report
