"""Start-up and memory: process start to first answer against a bare import of the stack.

Alternates, ``--runs`` times: ``python -c "import llama_index.core, chromadb"`` (the issue's
reference: the stack's import; a process that only answers imports Chroma but not LlamaIndex,
which only writes) and ``python -m bot ask QUESTION`` on an index built beforehand.
Two clocks for each: until the process has exited (what a shell user waits for), and until its
first line of output (the bare import prints one when done; the bot, the answer), which leaves
out the interpreter's teardown. Prints the medians, their ratios (the issue's bar: ≤ 1.2) and
the answering process's peak RSS (the bar: ≤ 400 MB serving the bundled article).

Usage: python benchmarks/startup.py [--runs 7] [--data-dir DIR]
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
QUESTION = "What did Putin say about Hong Kong?"


def run(cmd: list[str]) -> tuple[float, float, float]:
    """Seconds to exit, seconds to the first output line, peak RSS (MB) of one process."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    proc.stdout.readline()
    first = time.perf_counter() - started
    proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{cmd} exited with {proc.returncode}")
    return seconds, first, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    data = args.data_dir or Path(tempfile.mkdtemp(prefix="quotebot-startup-"))
    ask = [sys.executable, "-m", "bot", "ask", "--data-dir", str(data), QUESTION]
    bare = [sys.executable, "-c", "import llama_index.core, chromadb; print('imported')"]
    run(ask)  # builds the index if needed
    bares, asks, rss = [], [], []
    for _ in range(args.runs):
        bares.append(run(bare)[:2])
        seconds, first, peak = run(ask)
        asks.append((seconds, first))
        rss.append(peak)
    for clock, i in (("to exit", 0), ("to first output", 1)):
        b = statistics.median(x[i] for x in bares)
        a = statistics.median(x[i] for x in asks)
        print(f"{clock}: bare import llama_index.core, chromadb {b:.2f} s, "
              f"python -m bot ask {a:.2f} s, ratio {a / b:.2f} (medians of {args.runs})")
    print(f"peak RSS answering: median {statistics.median(rss):.0f} MB "
          f"(max {max(rss):.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
