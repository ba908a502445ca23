"""Start-up and memory: process start to first answer against a bare import of the stack.

Alternates, ``--runs`` times: ``python -c "import llama_index.core, chromadb"`` (the floor any
process of this stack pays) and ``python -m bot ask QUESTION`` on an index built beforehand.
Prints the medians, their ratio (the issue's bar: ≤ 1.2) and the answering process's peak RSS
(the bar: ≤ 400 MB serving the bundled article).

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


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{cmd} exited with {proc.returncode}")
    return seconds, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    data = args.data_dir or Path(tempfile.mkdtemp(prefix="quotebot-startup-"))
    ask = [sys.executable, "-m", "bot", "--data-dir", str(data), "ask", QUESTION]
    bare = [sys.executable, "-c", "import llama_index.core, chromadb"]
    run(ask)  # builds the index if needed
    bares, asks, rss = [], [], []
    for _ in range(args.runs):
        bares.append(run(bare)[0])
        seconds, peak = run(ask)
        asks.append(seconds)
        rss.append(peak)
    b, a = statistics.median(bares), statistics.median(asks)
    print(f"bare import llama_index.core, chromadb: median {b:.2f} s ({args.runs} runs)")
    print(f"python -m bot ask (first answer): median {a:.2f} s")
    print(f"ratio: {a / b:.2f}")
    print(f"peak RSS answering: median {statistics.median(rss):.0f} MB "
          f"(max {max(rss):.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
