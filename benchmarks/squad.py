"""The public SQuAD 2.0 articles as quotebot articles, and their questions.

Each SQuAD article becomes ``<title>.txt`` (title line, blank line, paragraphs separated by blank
lines), so ``python -m index build DIR/*.txt`` indexes them as a user would.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

DEFAULT_SQUAD = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / (
    "squad2-public.json")


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def write_articles(squad: Path, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for article in json.loads(Path(squad).read_text(encoding="utf-8"))["data"]:
        path = folder / f"{_slug(article['title'])}.txt"
        paragraphs = [re.sub(r"\s*\n\s*", " ", p["context"]).strip()
                      for p in article["paragraphs"]]
        path.write_text(article["title"].replace("_", " ") + "\n\n" + "\n\n".join(paragraphs)
                        + "\n", encoding="utf-8")
        files.append(path)
    return files


def questions(squad: Path) -> list[dict]:
    """``{"article", "paragraph", "question", "answers", "answerable"}`` for every question."""
    out = []
    for article in json.loads(Path(squad).read_text(encoding="utf-8"))["data"]:
        for number, paragraph in enumerate(article["paragraphs"], start=1):
            for qa in paragraph["qas"]:
                out.append({"article": _slug(article["title"]), "paragraph": number,
                            "question": qa["question"],
                            "answers": sorted({a["text"] for a in qa["answers"]}),
                            "answerable": not qa.get("is_impossible", False)})
    return out
