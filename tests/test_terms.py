"""Search terms: irregular forms meet their base forms (``index.lemmas``); numbers are kept
whole."""

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


@pytest.mark.parametrize("text, number", [
    ("What changed in 2.9.4?", "2.9.4"), ("a $4.2 million expansion", "4.2"),
    ("about 1,200 cases", "1200"), ("about 1200 cases", "1200"), ("What is step 3?", "3"),
    ("In 1973, 5 of 12 members", "5"),
])
def test_numbers_are_terms_whole(text, number):
    """A version, a decimal, a thousands-separated or a one-digit number was split or dropped
    ("2.9.4" gave no term at all, "1,200" gave "200"), so "what changed in 2.9.4?" searched for
    "changed" alone."""
    assert number in Terms()(text)
    assert "2.9.3" not in Terms()("What changed in 2.9.4?")


def test_a_title_is_searched_as_the_article_writes_it():
    """"CEO" in a question of an article that says "chief executive" (and the other way round)
    is searched as the article writes it; where the article holds the title as typed, or
    neither way, the terms stay as they are."""
    from index.terms import Terms, as_written, title_known

    terms = Terms()
    spelt_out = set(terms("Chief executive Linda Marsh said sales fell."))
    short = set(terms("The CEO, Linda Marsh, said sales fell."))
    asked = terms("what did the CEO say?")
    assert sorted(as_written(asked, spelt_out, terms)) == ["chief", "execut"]
    assert as_written(asked, short, terms) == asked
    assert as_written(asked, {"sale"}, terms) == asked
    assert title_known(terms("CEO"), asked, spelt_out, terms)
    assert not title_known(terms("CEO"), asked, {"sale"}, terms)
    long = terms("who is the chief executive?")
    assert as_written(long, short, terms) == [*long, "ceo"]
    assert title_known(terms("executive"), long, short, terms)
    assert as_written(long, spelt_out, terms) == long


@pytest.mark.parametrize("question, text, searched", [
    ("who was the ref", "The referee, Anna Kowalska, sent two players off.", "refere"),
    ("what temp do i bake it at", "Bake at a temperature of 180C.", "temperatur"),
    ("how many grandkids did she have", "She had seven grandchildren.", "grandchild"),
    ("how many kids", "They raised three children.", "child"),
])
def test_a_short_or_everyday_word_is_searched_as_the_article_writes_it(question, text,
                                                                        searched):
    """"who was the ref?" of a match report was refused ("none of them mentions ref"), and so
    were "what temp?" of a recipe and "how many grandkids?" of an obituary."""
    from index.terms import as_written, title_known

    terms = Terms()
    asked = terms(question)
    assert searched in as_written(asked, set(terms(text)), terms)
    short = next(w for w in question.split() if w in ("ref", "temp", "grandkids", "kids"))
    assert title_known(terms(short), asked, set(terms(text)), terms)


@pytest.mark.parametrize("question, plain", [
    ("who would i report to", "who do i report to"),
    ("am i on call", "on call"),
    ("can we park at the museum", "park at the museum"),
    ("what should you bring", "what bring"),
    ("would my deposit be returned", "deposit returned"),
])
def test_the_askers_voice_is_no_search_term(question, plain):
    """"who would i report to" searched for "would" too, which a job ad never writes: the
    question looked off its topic and was refused, where "who do i report to" was answered."""
    assert Terms()(question) == Terms()(plain)


def test_a_month_and_an_initialism_are_still_searched():
    terms = Terms()
    assert "may" in terms("what happened in may")
    assert "acr_us" in terms("what did the US say")
