"""The quality bar: the development set through the real CLI (issue: the cited-answer engine)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import DEV_QUESTIONS, ROOT, TUNING_QUESTIONS


def run_eval(path, tmp_path) -> dict:
    env = {**os.environ, "QUOTEBOT_DATA_DIR": str(tmp_path / "data"), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "bot", "eval", str(path), "--json"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def check(figures: dict) -> None:
    abstained, unanswerable = map(int, figures["abstentions"].split("/"))
    assert figures["paragraph_hit@1"] >= 0.85, figures
    assert figures["paragraph_hit@3"] >= 0.97, figures
    assert figures["quote_hit@1"] >= 0.75, figures
    assert abstained >= min(2, unanswerable), figures
    assert figures["false_abstentions"] <= 1, figures
    assert figures["verbatim"] == 1.0, figures


@pytest.mark.skipif(not DEV_QUESTIONS.exists(), reason="shared/eval is not beside the repo")
def test_development_set_meets_the_bar(tmp_path):
    figures = run_eval(DEV_QUESTIONS, tmp_path)
    print("dev set:", figures)
    check(figures)


def test_our_tuning_set_meets_the_bar(tmp_path):
    figures = run_eval(TUNING_QUESTIONS, tmp_path)
    print("tuning set:", figures)
    check(figures)
