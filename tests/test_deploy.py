"""compose.yaml and the Dockerfile, checked without a Docker engine: parsed, cross-checked with
the project, and the Chroma service's command and health check run for real."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.chromaserver import free_port
from tests.conftest import ROOT

COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def instructions(name: str) -> list[str]:
    return re.findall(rf"^{name}\s+(.+)$", DOCKERFILE, re.MULTILINE)


def test_compose_has_the_bot_and_a_chroma_server():
    chroma, bot = COMPOSE["services"]["chroma"], COMPOSE["services"]["bot"]
    assert chroma["build"] == "." and chroma["image"] == bot["image"]  # one image, both roles
    # a named volume holds the index
    volume, _, mount = chroma["volumes"][0].partition(":")
    assert volume in COMPOSE["volumes"] and mount == chroma["command"][-1]
    assert {"healthcheck"} <= set(chroma) and chroma["healthcheck"]["test"][0] == "CMD"
    assert chroma["restart"] == bot["restart"] == "unless-stopped"
    assert bot["depends_on"]["chroma"]["condition"] == "service_healthy"
    port = chroma["command"][chroma["command"].index("--port") + 1]
    assert bot["environment"]["QUOTEBOT_CHROMA_URL"] == f"http://chroma:{port}"
    assert "DISCORD_TOKEN" in bot["environment"]


def test_dockerfile_builds_the_bot_image():
    [base] = instructions("FROM")
    assert base.startswith("python:3.11")
    for copied in instructions("COPY"):
        for source in copied.split()[:-1]:
            assert (ROOT / source).exists(), source
    assert instructions("USER") == ["quotebot"]
    assert "/chroma" in DOCKERFILE and "chown quotebot:quotebot /data /chroma" in DOCKERFILE
    assert instructions("CMD") == ['["python", "-m", "bot"]']


def test_the_chroma_service_command_and_health_check_work(tmp_path):
    """Run the service's command (its path and port made local) and then its health check."""
    chroma = COMPOSE["services"]["chroma"]
    command = list(chroma["command"])
    port = str(free_port())
    command[command.index("--port") + 1] = port
    command[command.index("--path") + 1] = str(tmp_path / "chroma")
    command[command.index("--host") + 1] = "127.0.0.1"
    command[0] = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    check = [sys.executable if part == "python" else part.replace(":8000", f":{port}")
             for part in chroma["healthcheck"]["test"][1:]]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(150):
            if subprocess.run(check, capture_output=True).returncode == 0:
                break
            assert server.poll() is None, "chroma run exited"
        else:
            raise AssertionError("the health check never passed")
    finally:
        server.terminate()
        server.wait(timeout=10)
    # and it fails when nothing listens
    assert subprocess.run(check, capture_output=True).returncode != 0
