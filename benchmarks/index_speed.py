"""Indexing throughput against its floor, measured in one run on the same machine.

1. ``python -m index build`` of the public SQuAD articles (a fresh store each run), wall time of
   the whole process, as a user waits for it;
2. the floor: embedding every sentence of those articles once with the same model in this
   process (model loading excluded), which any sentence-level index has to pay.

Usage: python benchmarks/index_speed.py [--runs 3] [--squad FILE]
Prints both medians and their ratio (the issue's bar: ratio ≤ 1.5).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.squad import DEFAULT_SQUAD, write_articles  # noqa: E402


def build_seconds(files: list[Path], data: Path) -> float:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "index", "build", *map(str, files), "--data-dir",
                    str(data), "--quiet"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def floor_seconds(files: list[Path]) -> tuple[float, int, int]:
    """Seconds to embed every sentence once (the model already loaded), sentences, paragraphs."""
    from index.embedding import MiniLMEmbedding
    from index.loaders import load_article

    articles = [load_article(str(f)) for f in files]
    sentences = [s.text for a in articles for s in a.sentences]
    model = MiniLMEmbedding()
    model.embed(["warm up"])
    started = time.perf_counter()
    model.embed(sentences)
    return (time.perf_counter() - started, len(sentences),
            sum(len(a.paragraphs) for a in articles))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="quotebot-index-speed-"))
    files = write_articles(args.squad, folder / "articles")
    builds, floors = [], []
    for run in range(args.runs):  # interleaved, so that a change in machine load hits both
        builds.append(build_seconds(files, folder / f"data{run}"))
        seconds, n_sentences, n_paragraphs = floor_seconds(files)
        floors.append(seconds)
        print(f"run {run + 1}: build {builds[-1]:.1f} s, floor {floors[-1]:.1f} s", flush=True)
    build, floor = statistics.median(builds), statistics.median(floors)
    again = build_seconds(files, folder / "data0")
    print(f"{len(files)} articles, {n_paragraphs} paragraphs, {n_sentences} sentences")
    print(f"python -m index build: median {build:.1f} s ({n_paragraphs / build:.1f} paragraphs/s)")
    print(f"floor (embed each sentence once): median {floor:.1f} s")
    print(f"ratio: {build / floor:.2f}")
    print(f"re-index unchanged: {again:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
