"""The public SQuAD 2.0 figures: index the articles, ask every question, score the answers.

- paragraph_hit@1: the top quote cites the question's own paragraph (answerable questions);
- quote_hit@1: the top quote contains one of the gold answers;
- false_abstentions: answerable questions declined; abstained: unanswerable ones declined.

Usage: python benchmarks/squad_eval.py [--data-dir DIR] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.squad import DEFAULT_SQUAD, questions, write_articles  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--data-dir", type=Path, help="reuse (or build) the index here")
    parser.add_argument("--limit", type=int, help="every k-th question so that N are asked")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    folder = Path(tempfile.mkdtemp(prefix="quotebot-squad-"))
    data = args.data_dir or folder / "data"
    files = write_articles(args.squad, folder / "articles")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "index", "build", *map(str, files), "--data-dir",
                    str(data), "--quiet"], cwd=ROOT, check=True)
    index_seconds = time.perf_counter() - started

    from bot.engine import Engine
    from bot.settings import Settings

    engine = Engine.open(Settings(data_dir=data, _env_file=None), ensure_bundled=False)
    items = questions(args.squad)
    if args.limit and args.limit < len(items):
        step = len(items) / args.limit
        items = [items[int(i * step)] for i in range(args.limit)]
    counts = dict(answerable=0, unanswerable=0, hit1=0, quote1=0, false_abstentions=0,
                  abstained=0)
    for item in items:
        result = engine.ask(item["question"], item["article"])
        if not item["answerable"]:
            counts["unanswerable"] += 1
            counts["abstained"] += not result.answered
            continue
        counts["answerable"] += 1
        if not result.answered or not result.quotes:
            counts["false_abstentions"] += 1
            continue
        top = result.quotes[0]
        counts["hit1"] += top.paragraph == item["paragraph"]
        counts["quote1"] += any(a in top.text for a in item["answers"])
    n = max(counts["answerable"], 1)
    figures = {"questions": len(items), "paragraph_hit@1": round(counts["hit1"] / n, 3),
               "quote_hit@1": round(counts["quote1"] / n, 3),
               "false_abstentions": round(counts["false_abstentions"] / n, 3),
               "abstained": round(counts["abstained"] / max(counts["unanswerable"], 1), 3),
               "index_seconds": round(index_seconds, 1)}
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:<18} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
