"""Score the bot on a question file (the format of ``shared/eval/dev_questions.json``).

- paragraph hit@1 / hit@3: the paragraph of the top quote / of one of the first three quotes
  contains a gold phrase (answerable questions only);
- quote hit@1: the top quote itself contains a gold phrase;
- abstentions: unanswerable questions the bot declined; false abstentions: answerable ones it
  declined (these count as misses above);
- verbatim: the share of all quotes shown that are exact substrings of their cited paragraph.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine import Engine


@dataclass
class Report:
    answerable: int = 0
    unanswerable: int = 0
    paragraph_hit1: int = 0
    paragraph_hit3: int = 0
    quote_hit1: int = 0
    abstained: int = 0
    false_abstentions: int = 0
    quotes: int = 0
    verbatim: int = 0
    seconds: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def figures(self) -> dict:
        n = max(self.answerable, 1)
        times = sorted(self.seconds)
        return {
            "questions": self.answerable + self.unanswerable,
            "paragraph_hit@1": round(self.paragraph_hit1 / n, 3),
            "paragraph_hit@3": round(self.paragraph_hit3 / n, 3),
            "quote_hit@1": round(self.quote_hit1 / n, 3),
            "abstentions": f"{self.abstained}/{self.unanswerable}",
            "false_abstentions": self.false_abstentions,
            "verbatim": round(self.verbatim / self.quotes, 3) if self.quotes else 1.0,
            "median_ms": round(1000 * times[len(times) // 2], 1) if times else None,
        }


def evaluate(engine: Engine, path: str | Path, article: str | None = None) -> Report:
    questions = json.loads(Path(path).read_text(encoding="utf-8"))["questions"]
    report = Report()
    for item in questions:
        started = time.perf_counter()
        result = engine.ask(item["q"], article)
        report.seconds.append(time.perf_counter() - started)
        paragraphs = {}
        for quote in result.quotes:
            text = paragraphs.setdefault(quote.paragraph, engine.paragraph(quote.paragraph,
                                                                          quote.article))
            report.quotes += 1
            report.verbatim += quote.text in text
        if not item.get("answerable", True):
            report.unanswerable += 1
            report.abstained += not result.answered
            if result.answered:
                report.misses.append(f"answered an unanswerable question: {item['q']}")
            continue
        report.answerable += 1
        gold = item.get("gold", [])
        if not result.answered:
            report.false_abstentions += 1
            report.misses.append(f"abstained: {item['q']}")
            continue
        cited = [paragraphs[q.paragraph] for q in result.quotes]
        report.paragraph_hit1 += any(g in cited[0] for g in gold)
        report.paragraph_hit3 += any(g in text for text in cited[:3] for g in gold)
        hit = any(g in result.quotes[0].text for g in gold)
        report.quote_hit1 += hit
        if not hit:
            report.misses.append(f"top quote (¶{result.quotes[0].paragraph}) lacks the gold "
                                 f"phrase: {item['q']}")
    return report
