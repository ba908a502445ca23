"""Timings that matter to a user, measured end to end on this machine.

1. Process start to first answer: ``python -m bot ask "..."`` as a fresh process, with the index
   already built (median of --runs runs), plus the one-off cost of the very first run, which
   builds the bundled index.
2. Median time per question when many questions are piped through one process
   (``python -m bot ask --json -``), from the JSON lines' arrival times.

Usage: python benchmarks/bench.py [--runs 5] [--questions FILE ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUESTIONS = [ROOT.parent / "shared" / "eval" / "dev_questions.json",
                     ROOT / "tests" / "data" / "tuning_questions.json"]
QUESTION = "What did Putin say about Hong Kong?"


def timed(cmd: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, **kwargs)
    return time.perf_counter() - started, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the question files")
    parser.add_argument("--questions", nargs="*", type=Path, default=DEFAULT_QUESTIONS)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="quotebot-bench-"))
    # options after the sub-command: bot/cli.py drops those given before it
    ask = [sys.executable, "-m", "bot", "ask", "--data-dir", str(data)]

    first, _ = timed([*ask, QUESTION], cwd=ROOT)
    starts = [timed([*ask, QUESTION], cwd=ROOT)[0] for _ in range(args.runs)]

    questions = [q["q"] for path in args.questions if path.exists()
                 for q in json.loads(path.read_text())["questions"]] * args.repeat
    proc = subprocess.Popen([*ask, "--json", "-"], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, bufsize=1)
    # Wait for the process to be ready (first answer), then time each question in turn.
    gaps = []
    for i, question in enumerate(questions):
        sent = time.perf_counter()
        proc.stdin.write(question + "\n")
        proc.stdin.flush()
        json.loads(proc.stdout.readline())
        if i:  # the first one includes start-up
            gaps.append(time.perf_counter() - sent)
    proc.stdin.close()
    proc.wait(timeout=60)

    print(f"first run (builds the bundled index): {first:.2f} s")
    print(f"process start to first answer: median {statistics.median(starts):.2f} s "
          f"(min {min(starts):.2f}, max {max(starts):.2f}, {len(starts)} runs)")
    print(f"per question in one process: median {1000 * statistics.median(gaps):.1f} ms, "
          f"p90 {1000 * sorted(gaps)[int(len(gaps) * 0.9)]:.1f} ms ({len(gaps)} questions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
