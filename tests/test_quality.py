"""The quality bar: the development set through the real CLI (issue: the cited-answer engine)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import DEV_QUESTIONS, ROOT, SHARED, TUNING_QUESTIONS


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


# -- the fitted scorer on articles it never saw (issue: answers that hold on any article) -------

SQUAD = SHARED / "eval" / "squad2-public.json"
FIT = ROOT / "benchmarks" / "fit_scorer.py"
SHIPPED = ROOT / "bot" / "scorer.json"


@pytest.fixture(scope="module")
def refit(tmp_path_factory):
    """The documented command, run afresh into a scratch folder: leave-one-article-out figures
    and the parameters fitted on every article."""
    out = tmp_path_factory.mktemp("fit")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, str(FIT), "--seed", "0", "--store", str(out / "store"),
                           "--out", str(out / "scorer.json")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((out / "scorer.json").read_text())


@pytest.mark.skipif(not SQUAD.exists(), reason="shared/eval is not beside the repo")
def test_held_out_articles_meet_the_bar(refit):
    """Every figure here comes from models fitted without the article it scores."""
    held_out = refit["figures"]["leave_one_article_out"]
    squad, bundled = held_out["squad_public_overall"], held_out["per_article"][
        "china-russia-solidarity"]
    print("held-out SQuAD:", squad, "\nheld-out bundled article:", bundled)
    # hit@3: never worse than plain hybrid retrieval (BM25 + MiniLM, RRF): 0.908 on these.
    # The floors sit under what the shipped scorer reaches (0.861 / 0.940 / 0.800, 98.3 % of
    # answerable questions answered, 11.2 % of unanswerable ones declined; the bundled article
    # 0.979 / 1.0 / 0.958, 13 of 13 declined, no false abstention), so a change that loses
    # ground fails here. (Before the questions whose passage is missing: 0.860 / 0.938 /
    # 0.799, 98.5 %, 11.8 %, 10 of 13; before the negation cue: 3.3 % declined, 11 of 13;
    # before the confidence was also fitted on off-topic questions: 0.861 / 0.939 / 0.800,
    # 98.5 %, 2.4 %, and one false abstention; docs/scorer.md.)
    assert squad["paragraph_hit@1"] >= 0.852 and squad["paragraph_hit@3"] >= 0.930, squad
    assert squad["quote_hit@1"] >= 0.788 and squad["answered"] >= 0.98, squad
    assert squad["abstained"] >= 0.10, squad
    assert squad["verbatim"] == 1.0 and bundled["verbatim"] == 1.0
    assert bundled["paragraph_hit@1"] >= 0.90 and bundled["paragraph_hit@3"] >= 0.95, bundled
    assert bundled["quote_hit@1"] >= 0.85 and bundled["answered"] >= 0.97, bundled
    assert bundled["abstained"] >= 0.80, bundled


@pytest.mark.skipif(not SQUAD.exists(), reason="shared/eval is not beside the repo")
def test_off_topic_questions_are_declined_held_out(refit):
    """Each article's answerable questions asked of another article, where the answer is not,
    judged by models fitted without either (shipped: 93.3 % declined over the SQuAD articles,
    89.0 % at least, 96.4 % for the bundled one; 91.3 % and 96.4 % before the questions whose
    passage is missing, 92.8 % and 96.8 % before the negation cue, 91.3 % and 96.8 % before
    the confidence was fitted on such questions), and of the library without their article
    (shipped: 65.8 %; 58.5 % fitted without such rows)."""
    off_topic = refit["figures"]["off_topic_abstained"]
    bundled = off_topic.pop("china-russia-solidarity")
    assert sum(off_topic.values()) / len(off_topic) >= 0.91, off_topic
    assert min(off_topic.values()) >= 0.85 and bundled >= 0.95, (off_topic, bundled)
    library = refit["figures"]["off_topic_abstained_library"]
    library.pop("china-russia-solidarity")
    assert sum(library.values()) / len(library) >= 0.62, library


@pytest.mark.skipif(not SQUAD.exists(), reason="shared/eval is not beside the repo")
def test_questions_whose_passage_is_missing_are_declined_held_out(refit):
    """Answerable questions asked of their own article without the paragraphs that answer
    them, judged by models fitted without the article (shipped: 31.0 % declined over the nine
    articles; 24.6 % when the confidence is not fitted on such questions)."""
    missing = refit["figures"]["missing_passage_abstained"]
    assert sum(missing.values()) / len(missing) >= 0.28, missing


@pytest.mark.skipif(not SQUAD.exists(), reason="shared/eval is not beside the repo")
def test_the_shipped_scorer_is_what_the_command_fits(refit):
    """A stale bot/scorer.json (features, data or code changed since it was fitted) fails."""
    shipped = json.loads(SHIPPED.read_text())
    assert shipped["ranking"]["features"] == refit["ranking"]["features"]
    assert shipped["confidence"]["features"] == refit["confidence"]["features"]
    for part in ("ranking", "confidence"):
        for key in ("coef", "mean", "scale"):
            assert shipped[part][key] == pytest.approx(refit[part][key], rel=1e-3, abs=1e-3)
    assert shipped["min_confidence"] == pytest.approx(refit["min_confidence"], abs=5e-3)
    assert shipped["quotes"] == refit["quotes"]
    reported = shipped["figures"]["leave_one_article_out"]["per_article"]
    for name, figures in refit["figures"]["leave_one_article_out"]["per_article"].items():
        for key in ("paragraph_hit@1", "paragraph_hit@3", "quote_hit@1", "answered"):
            assert figures[key] == pytest.approx(reported[name][key], abs=0.01), (name, key)


@pytest.mark.skipif(not SQUAD.exists(), reason="shared/eval is not beside the repo")
def test_held_out_articles_hold_in_a_library(refit):
    """The same questions asked of the whole library (all nine articles): a quote counts only
    in the question's own article; the bundled article loses at most 0.03 against asking it
    alone."""
    single = refit["figures"]["leave_one_article_out"]
    library = refit["figures"]["leave_one_article_out_library"]
    squad = library["squad_public_overall"]
    print("held-out SQuAD, library mode:", squad)
    # shipped: 0.858 / 0.933, 99.2 % answered (0.844 / 0.918 and 98.1 % with the threshold at
    # 2 % of the fitted answerable questions before the questions whose passage is missing;
    # 0.851 / 0.928 and 98.6 % at 1.25 %)
    assert squad["paragraph_hit@1"] >= 0.850 and squad["paragraph_hit@3"] >= 0.922, squad
    assert squad["answered"] >= 0.985, squad
    assert squad["verbatim"] == 1.0, squad
    alone, among = (single["per_article"]["china-russia-solidarity"],
                    library["per_article"]["china-russia-solidarity"])
    # Issue 8's figure is article+¶ hit@1; the quote may lose a little more: alone 0.958 and
    # in the library 0.917 (2 of 48: "Which US secretary of state is mentioned?" is the 1973
    # oil crisis article's Kissinger when every article is searched)
    for key in ("paragraph_hit@1", "paragraph_hit@3"):
        assert among[key] >= alone[key] - 0.03, (key, alone, among)
    assert among["quote_hit@1"] >= alone["quote_hit@1"] - 0.05, (alone, among)
