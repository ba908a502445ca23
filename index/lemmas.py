"""Irregular word forms and their base forms ("began" → "begin", "children" → "child"), for
:class:`index.terms.Terms`: the stemmer cannot join them, so "When did the war begin?" never
met "The war began in 1754" on the lexical side (4.6 % of the answerable public SQuAD
questions hold a word whose other form, not its stem, is in the sentence with the answer).

The table (``model/lemmas.txt``, ``form lemma`` per line) is made from LemmInflect's English
lexicon by ``python -m index.lemmas`` and shipped as data: looking words up in LemmInflect at
run time costs 0.55 s of loading and a call per word, the table a dictionary. A form is listed
only when every one of its readings (verb, noun) has the same base form, which the stemmer
does not give it (so "lives", a noun of "life" and a verb of "live", and "left", "saw",
"thought" or "born", which are words of their own, are not listed, nor "programmed", which
the stemmer joins with "program" already), and only for verbs and nouns: a comparative
("largest") says more than its adjective. ``tests/test_terms.py`` checks that the shipped
table is what this module makes.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "model" / "lemmas.txt"
HEADER = "# form lemma: made by `python -m index.lemmas` from LemmInflect's lexicon"
WORD = re.compile(r"[a-z]+")
READINGS = ("VERB", "NOUN", "ADJ", "ADV")  # each reading a form may have
KINDS = {"VERB", "NOUN"}  # the readings whose base form is used


@lru_cache(maxsize=1)
def lemmas() -> dict[str, str]:
    """The shipped table: irregular form → base form."""
    pairs = (line.split() for line in TABLE.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#"))
    return {form: lemma for form, lemma in pairs}


def make() -> dict[str, str]:
    """The table from LemmInflect's lexicon (a build-time tool: ``pip install lemminflect``)."""
    import gzip

    import lemminflect
    import Stemmer

    stem = Stemmer.Stemmer("english").stemWord
    lexicon = Path(lemminflect.__file__).parent / "resources" / "lemma_lu.csv.gz"
    with gzip.open(lexicon, "rt", encoding="utf-8") as rows:
        forms = sorted({row.split(",", 1)[0] for row in rows} - {""})
    readings = {form: lemminflect.getAllLemmas(form) for form in forms}
    based: dict[str, set[str]] = {}  # stem → the base forms that have it
    for found in readings.values():
        for lemmas in found.values():
            for lemma in lemmas:
                based.setdefault(stem(lemma), set()).add(lemma)
    table: dict[str, str] = {}
    for form in forms:
        if not WORD.fullmatch(form):
            continue
        found = {kind: lemmas for kind, lemmas in readings[form].items()
                 if kind in READINGS and lemmas}
        bases = {lemmas[0] for lemmas in found.values()}
        if (len(bases) != 1 or form in bases or not found.keys() <= KINDS
                or not WORD.fullmatch(base := bases.pop())
                or based.get(stem(form), set()) - {form}):
            continue  # ambiguous, a word of its own, or joined by the stemmer already
        table[form] = base
    return table


def write(table: dict[str, str], path: Path = TABLE) -> None:
    lines = [HEADER, *(f"{form} {lemma}" for form, lemma in sorted(table.items()))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    made = make()
    write(made)
    print(f"{len(made)} forms written to {TABLE}", file=sys.stderr)
