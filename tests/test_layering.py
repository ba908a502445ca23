"""``index/`` stands alone below ``bot/``: it never imports ``bot``, statically or at run time."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

from tests.conftest import ROOT


def test_no_module_under_index_imports_bot():
    offenders = []
    for path in sorted((ROOT / "index").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names
                          if n == "bot" or n.startswith("bot.")]
    assert not offenders


def test_index_build_and_list_run_with_bot_unimportable(tmp_path):
    """``python -m index build`` and ``list --json`` with ``bot`` blocked in ``sys.modules``."""
    article = tmp_path / "kites.md"
    article.write_text("# Kites\n\nA kite needs wind.\n\nThe tail keeps it steady.\n")
    script = ("import sys; sys.modules['bot'] = None\n"
              "from index.cli import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUOTEBOT_")}
    env.update(HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")

    def run(*args):
        done = subprocess.run([sys.executable, "-c", script, *args, "--data-dir",
                               str(tmp_path / "data")], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "indexed" in run("build", str(article))
    assert "unchanged" in run("build", str(article))
    [kites] = json.loads(run("list", "--json"))
    assert kites["id"] == "kites" and kites["paragraphs"] == 2 and kites["scope"] == "global"
