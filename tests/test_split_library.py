"""The cut library of benchmarks/split_library.py: every paragraph once, in order, and each
part a SQuAD article of its own that ``python -m bot eval`` scores unchanged."""

from __future__ import annotations

from benchmarks.split_library import split


def squad(*sizes: int) -> dict:
    return {"version": "v2.0", "data": [
        {"title": f"A{n}", "paragraphs": [{"context": f"A{n} p{i}.", "qas": []}
                                          for i in range(size)]}
        for n, size in enumerate(sizes)]}


def test_parts_keep_every_paragraph_once_in_order():
    original = squad(5, 1, 4)
    cut = split(original, 2)
    assert [a["title"] for a in cut["data"]] == [
        "A0 (part 1)", "A0 (part 2)", "A1 (part 1)", "A2 (part 1)", "A2 (part 2)"]
    assert [p["context"] for a in cut["data"] for p in a["paragraphs"]] == [
        p["context"] for a in original["data"] for p in a["paragraphs"]]
    assert [len(a["paragraphs"]) for a in cut["data"]] == [2, 3, 1, 2, 2]
    assert cut["version"] == "v2.0" and original["data"][0]["title"] == "A0"  # not modified


def test_one_part_is_the_original_retitled():
    cut = split(squad(3), 1)
    assert [(a["title"], len(a["paragraphs"])) for a in cut["data"]] == [("A0 (part 1)", 3)]
