"""End to end through the CLI: ``python -m bot ask --json -`` and ``summary --json`` in a
subprocess, with ``--llm openai|ollama --llm-url ... --llm-model ...``, against the scripted
server. One run per provider asks one question per scripted case (the server picks the case by
the question), so the model and the index load once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from llm_fake_server import ScriptedLLM, planted_text

ROOT = Path(__file__).resolve().parents[2]
SECRET = "sk-cli-DO-NOT-LOG-777"

# question -> scripted case. Each question is one the extractive engine answers, so the model is
# asked; the scripted reply need not match it for the check to mean something.
CASES = {
    "When were diplomatic ties between China and the US established?": "correct",
    "What did Putin say about Hong Kong?": "fenced",
    "What did Wang Yi say about relations with the United States?": "fabricated",
    "What kind of actions does Russia oppose?": "mixed",
    "What did Xi and Putin vow to do?": "wrong_paragraph",
    "What have China and Russia forged together, according to Wang?": "frankenquote",
    "Under which organization will they strengthen strategic consultation?": "injection",
    "Which domestic issues has the U.S. criticized China about?": "injection_quoted",
    "Does China want to replace the United States?": "links",
    "Will China copy other countries' models?": "inline_fabricated",
    "How many people does China have?": "malformed",
    "Which initiatives are being connected?": "slow",
    "What does Russia contribute to the partnership?": "error500",
    # issue 10: what the model writes in its own sentences
    "Does Russia support China on Hong Kong?": "inline_single",
    "What does Moscow oppose?": "inline_miscited",
    "Who criticized China's domestic issues?": "inline_styles",
    "Is China a developing country?": "number_changed",
    "What did both leaders vow?": "name_added",
    "What did Russia say about China's sovereignty?": "paraphrase",
}
LLM_CASES = {"correct", "fenced", "mixed", "wrong_paragraph", "links", "inline_miscited",
             "name_added", "paraphrase"}
INVENTED = ("permanent alliance", "troops", "retired", "evil.example", "news.example",
            "img.example", "belongs to Russia", "oppose any hegemony and unilateral acts\" (¶1)",
            "will never allow foreign forces", "1.5 billion", "Trump")


@pytest.fixture(scope="module")
def script():
    server = ScriptedLLM(slow_seconds=3.0).start()
    for question, case in CASES.items():
        server.route(question, case)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A working directory (no stray .env) with the bundled article plus a planted instruction,
    under the bundled article's name so that its id is unchanged."""
    work = tmp_path_factory.mktemp("cli")
    (work / "china-russia-solidarity.txt").write_text(planted_text(), encoding="utf-8")
    return work


def run_cli(workdir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("QUOTEBOT_") and k not in ("OPENAI_API_KEY", "DISCORD_TOKEN")}
    env.update(HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
               QUOTEBOT_DATA_DIR=str(workdir / "data"),
               QUOTEBOT_BUNDLED_ARTICLE=str(workdir / "china-russia-solidarity.txt"),
               QUOTEBOT_LLM_TIMEOUT="1", QUOTEBOT_LLM_API_KEY=SECRET)
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, text=True,
                          capture_output=True, cwd=workdir, env=env, timeout=300)


def article_paragraphs() -> list[str]:
    from index.article import parse_text

    return [p.text for p in parse_text(planted_text(), article_id="a").paragraphs]


def assert_verbatim(data: dict, paragraphs: list[str]) -> None:
    for quote in data["quotes"]:
        assert quote["text"] in paragraphs[quote["paragraph"] - 1], quote
        assert quote["text"] in data["message"]


@pytest.fixture(scope="module", params=["openai", "ollama"])
def asked(request, script, workdir):
    provider = request.param
    url = script.openai_url if provider == "openai" else script.ollama_url
    before = len(script.requests)
    done = run_cli(workdir, "ask", "--json", "-v", "--llm", provider, "--llm-url", url,
                   "--llm-model", "unused", "-", stdin="\n".join(CASES) + "\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    by_case = {CASES[d["question"]]: d for d in lines}
    return provider, by_case, done.stderr, script.requests[before:]


def test_every_case_went_through_the_model(asked):
    provider, by_case, _, requests = asked
    assert set(by_case) == set(CASES.values())
    assert all(d["answered"] for d in by_case.values())
    assert {r.scenario for r in requests} == set(CASES.values())
    assert all(r.path == ("/v1/chat/completions" if provider == "openai" else "/api/chat")
               for r in requests)


def test_verified_answers_are_llm_mode_and_bad_ones_fall_back(asked):
    _, by_case, _, _ = asked
    for case, data in by_case.items():
        expected = "llm" if case in LLM_CASES else "extractive"
        assert data["mode"] == expected, case
        assert ("answer" in data) == (expected == "llm"), case
        if expected == "llm":
            assert data["message"].startswith(data["answer"])


def test_every_quote_shown_is_verbatim_and_correctly_cited(asked):
    _, by_case, _, _ = asked
    paragraphs = article_paragraphs()
    for data in by_case.values():
        assert_verbatim(data, paragraphs)
        for invented in INVENTED:
            assert invented not in data["message"], (data["question"], invented)
        assert "@everyone" not in data["message"]


def test_specific_outcomes(asked):
    _, by_case, _, _ = asked
    assert [q["paragraph"] for q in by_case["wrong_paragraph"]["quotes"]] == [2]  # re-cited
    assert by_case["correct"]["quotes"][1]["text"].endswith("“political virus”")
    assert by_case["mixed"]["answer"] == "Putin supported China on Hong Kong."
    # issue 10: a quotation in a sentence re-cited, a wrong bare citation corrected, an added
    # name dropped; the rest fell back with the note
    assert "sovereignty\" (¶3)." in by_case["inline_miscited"]["answer"]
    assert "(¶5)" not in by_case["inline_miscited"]["answer"]
    assert by_case["paraphrase"]["answer"] == "Russia backs China on Hong Kong (paragraph 3)."
    assert by_case["name_added"]["answer"].startswith("Both leaders vowed")
    for case in ("inline_single", "inline_styles", "number_changed"):
        assert "could not be verified" in by_case[case]["note"], case
        assert by_case[case]["message"].startswith(f"*{by_case[case]['note']}*")


def test_counters_logged_and_key_never(asked):
    _, _, stderr, _ = asked
    assert "verified=2 re-cited=0 dropped=0" in stderr  # correct
    assert "verified=0 re-cited=1 dropped=0" in stderr  # wrong paragraph
    assert "timed out" in stderr.lower() or "timeout" in stderr.lower()
    assert SECRET not in stderr and "DO-NOT-LOG" not in stderr


def test_note_for_the_fallback_in_plain_output(script, workdir):
    done = run_cli(workdir, "ask", "--llm", "openai", "--llm-url", script.openai_url,
                   "--llm-model", "fabricated",
                   "What did Putin say about the constitution amendments?")
    assert done.returncode == 0, done.stderr
    note, _, quotes = done.stdout.partition("\n\n")
    assert note.startswith("*") and "could not be verified" in note  # shown first, in italics
    assert "permanent alliance" not in done.stdout and "(¶3)" in quotes


@pytest.mark.parametrize("provider", ["openai", "ollama"])
def test_summary_through_the_cli(script, workdir, provider):
    url = script.openai_url if provider == "openai" else script.ollama_url
    done = run_cli(workdir, "summary", "--json", "--llm", provider, "--llm-url", url,
                   "--llm-model", "correct")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["mode"] == "llm" and data["answer"].startswith("The article argues")
    assert "NATO" not in data["message"]
    assert_verbatim(data, article_paragraphs())


def test_summary_falls_back_on_a_server_error(script, workdir):
    done = run_cli(workdir, "summary", "--json", "--llm", "openai", "--llm-url",
                   script.openai_url, "--llm-model", "error500")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["mode"] == "extractive" and data["quotes"]
    assert SECRET not in done.stderr


def test_provider_none_never_calls_the_model(script, workdir):
    before = len(script.requests)
    done = run_cli(workdir, "ask", "--json", "--llm", "none", "--llm-url", script.openai_url,
                   "What did Xi and Putin vow to do?")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["mode"] == "extractive" and "answer" not in data
    assert len(script.requests) == before
