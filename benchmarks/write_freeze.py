"""How long writing an article stalls the rest of the process, per Chroma write size.

Chroma's ``add`` holds the GIL for its whole call, so while an article is written every other
thread waits: in the Discord bot, the event loop and the questions being answered. This writes
one article (the public SQuAD paragraphs, repeated to ``--paragraphs``) through the product's
``ArticleStore.save`` into a fresh embedded store, with vectors given (the model is not what is
measured), while a thread that sleeps 1 ms at a time records the longest gap between two of its
wake-ups. Per ``index.store.WRITE_BATCH`` size: the write's time and that longest stall.

Usage: python benchmarks/write_freeze.py [--paragraphs 1300] [--batches 4096 512 256] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.squad import DEFAULT_SQUAD  # noqa: E402


def article_text(squad: Path, paragraphs: int) -> str:
    contexts = [" ".join(p["context"].split()) for a in json.loads(squad.read_text())["data"]
                for p in a["paragraphs"]]
    body = [contexts[k % len(contexts)] for k in range(paragraphs)]
    return "A long report\n\n" + "\n\n".join(body) + "\n"


def write_once(text: str, batch: int) -> tuple[float, float]:
    """Seconds to save the article, and the longest stall of another thread meanwhile."""
    import numpy as np

    import index.store
    from index.article import parse_text
    from index.store import DIMENSION, ArticleStore

    article = parse_text(text, article_id="long-report")
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((len(article.sentences), DIMENSION)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    title = vectors[0]
    index.store.WRITE_BATCH = batch
    with tempfile.TemporaryDirectory(prefix="quotebot-freeze-") as folder:
        store = ArticleStore.open(path=Path(folder), url=None, name="quotebot",
                                  embed_model=None, create=True, preload=False)
        gaps: list[float] = []
        done = threading.Event()

        def ticker() -> None:
            while not done.is_set():
                started = time.perf_counter()
                time.sleep(0.001)
                gaps.append(time.perf_counter() - started)

        thread = threading.Thread(target=ticker, daemon=True)
        thread.start()
        time.sleep(0.05)
        started = time.perf_counter()
        store.save(article, embedded=(vectors, title))
        seconds = time.perf_counter() - started
        done.set()
        thread.join()
    return seconds, max(gaps)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=1300)
    parser.add_argument("--batches", type=int, nargs="+", default=[4096, 512, 256])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    text = article_text(args.squad, args.paragraphs)
    results: dict[int, list[tuple[float, float]]] = {b: [] for b in args.batches}
    for _ in range(args.runs):  # interleaved, so that drift hits every size alike
        for batch in args.batches:
            results[batch].append(write_once(text, batch))
    print(f"one article of {args.paragraphs} paragraphs, medians of {args.runs} runs:")
    for batch, rows in results.items():
        print(f"  {batch:>5} records a write: save {statistics.median(r[0] for r in rows):.2f} s, "
              f"longest stall of another thread {statistics.median(r[1] for r in rows):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
