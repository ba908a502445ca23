"""The scale benchmark runs end to end on a tiny library and reports what it promises."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import DEV_QUESTIONS, ROOT

SQUAD = DEV_QUESTIONS.parent / "squad2-public.json"
KEYS = {"paragraphs": int, "build_s": float, "p50_ms": float, "p95_ms": float,
        "library_p50_ms": float, "library_p95_ms": float, "rss_mb": float, "disk_mb": float,
        "bundled_unchanged": bool}


@pytest.mark.skipif(not SQUAD.exists() or not DEV_QUESTIONS.exists(),
                    reason="the shared SQuAD and development questions are not here")
def test_scale_benchmark_on_200_paragraphs(tmp_path):
    done = subprocess.run(
        [sys.executable, "benchmarks/scale.py", "--paragraphs", "200", "--json",
         "--questions", "8", "--warm-passes", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(rows) == 1
    row = rows[0]
    for key, kind in KEYS.items():
        assert isinstance(row[key], kind), (key, row[key])
    assert row["paragraphs"] == 200
    assert row["bundled_unchanged"] is True
    assert 0 < row["p50_ms"] <= row["p95_ms"]
    assert 0 < row["library_p50_ms"] <= row["library_p95_ms"]
    assert row["rss_mb"] > 0 and row["disk_mb"] > 0
