"""What ``bot.answer.OTHER_ARTICLE_PROB`` trades: further quotes from another article.

In a library, an answer's second and third quotes may come from another article than its
first. This asks every question of a SQuAD file in library mode (its articles and the bundled
one in one scratch store) once per threshold and counts, per threshold: the answers that quote
a second article, those among answerable questions, and the answerable questions whose gold
paragraph is not the first quote's but is a further quote's (from the first quote's article or
from another: what ¶ hit@3 gains over hit@1).

Usage: python benchmarks/other_article_quotes.py [--squad FILE] [--prob 0.01 0.05 0.1 0.2]
       [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.squad import DEFAULT_SQUAD  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--prob", type=float, nargs="+", default=[0.01, 0.05, 0.1, 0.2, 1.01])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

    import bot.answer as extractive
    from bot.engine import Engine
    from bot.evaluate import prepare, read_questions
    from bot.settings import Settings

    scratch = tempfile.TemporaryDirectory(prefix="quotebot-other-")
    engine = Engine.open(Settings(data_dir=scratch.name, _env_file=None))
    items = prepare(engine, args.squad, read=read_questions(args.squad))
    saved = extractive.OTHER_ARTICLE_PROB
    try:
        for prob in args.prob:
            extractive.OTHER_ARTICLE_PROB = prob
            row = dict(prob=prob, answers_quoting_two_articles=0, of_answerable=0,
                       hit3_not_hit1_same_article=0, hit3_not_hit1_other_article=0)
            for item in items:
                result = engine.ask(item.question, library=True)
                if not result.answered or not result.quotes:
                    continue
                first, further = result.quotes[0], result.quotes[1:3]
                other = any(q.article != first.article for q in further)
                row["answers_quoting_two_articles"] += other
                if not item.answerable:
                    continue
                row["of_answerable"] += other

                def right(q) -> bool:
                    return q.article == item.article and q.paragraph == item.paragraph

                if not right(first):
                    row["hit3_not_hit1_same_article"] += any(
                        right(q) for q in further if q.article == first.article)
                    row["hit3_not_hit1_other_article"] += any(
                        right(q) for q in further if q.article != first.article)
            print(json.dumps(row) if args.json else
                  "  ".join(f"{k} {v}" for k, v in row.items()), flush=True)
    finally:
        extractive.OTHER_ARTICLE_PROB = saved
        scratch.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
