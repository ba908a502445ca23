"""Answering from an existing index imports only what answering needs (issue 9's start-up bar).

LlamaIndex is what writes articles (``ArticleStore.save``); importing it costs about a second
on this machine, more than the rest of a first answer. A process that only reads (a question,
a summary) never imports it, nor the Discord client, NLTK (sentence splitting is done at
indexing) or the HTML reader. Checked on the modules loaded, not on a clock, so the test is
deterministic; ``benchmarks/startup.py`` measures the time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

NOT_FOR_READING = ("llama_index", "discord", "nltk", "sklearn", "trafilatura", "tiktoken",
                   "torch", "sentence_transformers")

SCRIPT = """
import json, sys
from bot.cli import main
code = main(sys.argv[1:])
loaded = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"code": code, "modules": loaded}))
"""


@pytest.mark.parametrize("command", [
    ["ask", "--json", "What did Putin say about Hong Kong?"],
    ["summary", "--json"],
])
def test_a_read_only_run_imports_no_writing_or_discord_code(fresh_settings, command):
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUOTEBOT_")}
    env.update(HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    done = subprocess.run([sys.executable, "-c", SCRIPT, *command, "--data-dir",
                           str(fresh_settings.data_dir)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    answer, report = (json.loads(line) for line in done.stdout.splitlines())
    assert report["code"] == 0 and answer["quotes"], answer
    if command[0] == "ask":
        assert answer["quotes"][0]["paragraph"] == 3
    assert [m for m in NOT_FOR_READING if m in report["modules"]] == []


def test_the_plain_encoder_and_the_llamaindex_adapter_agree(engine, embed_model):
    from index.minilm import MiniLM

    assert isinstance(engine.embed_model, MiniLM)  # what the store and the engine use
    texts = ["What did Putin say about Hong Kong?", "x"]
    assert engine.embed_model.embed(texts) == pytest.approx(embed_model.embed(texts), abs=1e-6)
