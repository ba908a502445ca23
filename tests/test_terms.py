"""Search terms: irregular forms meet their base forms (``index.lemmas``)."""

from __future__ import annotations

import pytest

from index.lemmas import TABLE, lemmas, make
from index.terms import Terms


@pytest.mark.parametrize("question, sentence", [
    ("When did the war begin?", "The war began in 1754."),
    ("What did the ONS study find?", "The study found that rents rose."),
    ("Who did they fight?", "They fought the Mongols."),
    ("Where did the Huguenots flee to?", "The Huguenots fled to Prussia."),
    ("How many children were there?", "Each family had one child."),
    ("Who won the election?", "The party that wins the election governs."),
])
def test_an_irregular_form_meets_its_base_form(question, sentence):
    terms = Terms()
    assert set(terms(question)) & set(terms(sentence)) - {"acr_ons"}


@pytest.mark.parametrize("one, other", [
    ("lives", "life"),  # also a verb of "live": left as the stemmer has it
    ("left", "leave"),  # a word of its own (the left bank)
    ("born", "bear"),
    ("largest", "large"),  # a superlative says more than its adjective
])
def test_ambiguous_forms_and_adjectives_are_left_alone(one, other):
    terms = Terms()
    assert terms(one) != terms(other)


def test_regular_forms_stem_as_before():
    terms = Terms()
    assert terms("programmed") == terms("program")  # the stemmer joins them; no table entry
    assert terms("founded") == terms("founding")
    assert "programmed" not in lemmas() and "found" in lemmas()


def test_the_shipped_table_is_what_lemminflect_gives():
    """``python -m index.lemmas`` made ``index/model/lemmas.txt``; a change of LemmInflect or of
    the rules must be written again (and changes the tokenizer's fingerprint, so stored terms
    are refreshed)."""
    pytest.importorskip("lemminflect")
    assert make() == lemmas()
    assert TABLE.read_text(encoding="utf-8").startswith("# form lemma")
