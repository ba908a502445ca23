"""How library answers hold up as a library grows: the public SQuAD articles each cut into
``--parts`` consecutive articles (with the bundled article: 8 × 2 + 1 = 17, the size of issue 8's
independent check), asked in library mode beside the uncut nine-article library.

A part competes with its sibling parts, which share its subject, names and words, so this is
harder than a library of unrelated articles. Each part keeps its paragraphs in order (SQuAD
paragraph i of a part is its ¶i+1), so ``python -m bot eval --all`` scores it unchanged: a quote
counts only when both its article and its paragraph are right.

Usage: python benchmarks/split_library.py [--parts 2] [--squad FILE] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.squad import DEFAULT_SQUAD  # noqa: E402

FIGURES = ("paragraph_hit@1", "paragraph_hit@3", "quote_hit@1", "answered", "abstained",
           "median_ms")


def split(squad: dict, parts: int) -> dict:
    """Each article cut into ``parts`` runs of consecutive paragraphs, titled "T (part k)"."""
    data = []
    for article in squad["data"]:
        paragraphs = article["paragraphs"]
        count = min(parts, len(paragraphs))
        bounds = [len(paragraphs) * k // count for k in range(count + 1)]
        for k in range(count):
            data.append({"title": f"{article['title']} (part {k + 1})",
                         "paragraphs": paragraphs[bounds[k]:bounds[k + 1]]})
    return {**squad, "data": data}


def library_eval(path: Path) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    done = subprocess.run([sys.executable, "-m", "bot", "eval", str(path), "--all", "--json"],
                          cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=2)
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.parts < 1:
        parser.error("--parts must be at least 1")
    squad = json.loads(args.squad.read_text(encoding="utf-8"))
    cut = split(squad, args.parts)
    with tempfile.TemporaryDirectory(prefix="quotebot-split-") as folder:
        path = Path(folder) / "split.json"
        path.write_text(json.dumps(cut), encoding="utf-8")
        rows = {f"{len(squad['data']) + 1} articles": library_eval(args.squad),
                f"{len(cut['data']) + 1} articles (cut)": library_eval(path)}
    if args.json:
        print(json.dumps({name: {k: row[k] for k in FIGURES} for name, row in rows.items()}))
        return 0
    print(f"{'library':<24}" + "".join(f"{k:>17}" for k in FIGURES))
    for name, row in rows.items():
        print(f"{name:<24}" + "".join(f"{row[k]:>17}" for k in FIGURES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
