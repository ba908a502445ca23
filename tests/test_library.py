"""Article ids when adding: the same source updates its article, another source never
silently replaces one, and ids given by hand are checked."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from index.errors import IngestError, NotAllowed
from index.library import check_article_id
from tests.conftest import BUNDLED

BUNDLED_ID = "china-russia-solidarity"


def impostor(tmp_path, folder="elsewhere", text="Impostor\n\nThis is not the bundled article.\n"):
    path = tmp_path / folder / "CHINA-RUSSIA-SOLIDARITY.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


def test_a_file_named_like_another_article_gets_a_free_id(fresh_settings, tmp_path):
    engine = Engine.open(fresh_settings)
    bundled = engine.article(BUNDLED_ID)
    notices = []
    from index.library import add_article

    path = impostor(tmp_path)
    info, changed = add_article(engine.store, str(path), notice=notices.append)
    assert changed and info.id == f"{BUNDLED_ID}-2" and info.title == "Impostor"
    assert "china-russia-solidarity-2" in notices[0] and bundled.title in notices[0]
    assert engine.store.info(BUNDLED_ID).version == bundled.version  # untouched
    # the same file again, even edited, updates its own article, wherever it is run from
    path.write_text("Impostor\n\nThis is still not the bundled article.\n")
    info, changed = engine.add_article(str(path))
    assert changed and info.id == f"{BUNDLED_ID}-2"
    assert engine.paragraph(1, info.id) == "This is still not the bundled article."
    assert not engine.add_article(str(path))[1]
    # a third source takes the next free id; the bundled one is still itself
    third = impostor(tmp_path, "third", "Another\n\nA third text.\n")
    assert engine.add_article(str(third))[0].id == f"{BUNDLED_ID}-3"
    assert engine.add_article(str(BUNDLED)) == (engine.store.info(BUNDLED_ID), False)
    assert [i.id for i in engine.articles()] == [BUNDLED_ID, f"{BUNDLED_ID}-2",
                                                 f"{BUNDLED_ID}-3"]


def test_guild_uploads_of_one_name_update_and_other_sources_get_a_suffix(fresh_settings):
    engine = Engine.open(fresh_settings)
    first, _ = engine.add_article("tea.md", scope="42", text="# Tea\n\nBlack tea is oxidised.\n")
    again, changed = engine.add_article("tea.md", scope="42", text="# Tea\n\nGreen is not.\n")
    assert again.id == first.id == "42-tea" and changed  # an upload of the same name: updated
    other, _ = engine.add_article("tea.txt", scope="42", text="Tea\n\nOolong is half way.\n")
    assert other.id == "42-tea-2"  # another file of the same stem
    assert engine.paragraph(1, "42-tea", guild="42") == "Green is not."


def test_a_chosen_id_of_another_source_is_refused_unless_replacing(fresh_settings, tmp_path):
    from index.library import add_article

    engine = Engine.open(fresh_settings)
    path = impostor(tmp_path)
    with pytest.raises(IngestError, match="--replace") as error:
        add_article(engine.store, str(path), article_id=BUNDLED_ID)
    assert "The Solidarity of China and Russia" in str(error.value)
    assert engine.store.info(BUNDLED_ID).title != "Impostor"
    info, changed = add_article(engine.store, str(path), article_id=BUNDLED_ID, replace=True)
    assert changed and info.id == BUNDLED_ID and info.title == "Impostor"
    # the same source under its chosen id is its own update path
    path.write_text("Impostor\n\nEdited.\n")
    info, changed = add_article(engine.store, str(path), article_id=BUNDLED_ID)
    assert changed and engine.store.load(BUNDLED_ID).article.paragraphs[0].text == "Edited."


def test_a_chosen_id_of_a_servers_article_says_how_to_free_it(fresh_settings, tmp_path):
    """The operator's --id (even with --replace) never takes a server's own article into the
    shared ones; the refusal says whose it is and how to free the id (it said "already exists
    elsewhere"). A server is never told about another server's article."""
    from index.library import add_article

    engine = Engine.open(fresh_settings)
    engine.add_article("fruit.md", text="# Fruit\n\nApples are red.\n", scope="123")
    path = impostor(tmp_path)
    for replace in (False, True):
        with pytest.raises(IngestError) as error:
            add_article(engine.store, str(path), article_id="123-fruit", replace=replace)
        assert "“Fruit”, an article server 123 added" in str(error.value)
        assert "python -m index remove 123-fruit" in str(error.value)
    assert engine.store.info("123-fruit").scope == "123"  # untouched
    with pytest.raises(IngestError) as error:
        add_article(engine.store, str(path), article_id="123-fruit", scope="456", replace=True)
    assert str(error.value) == ("An article with the id “123-fruit” already exists elsewhere; "
                                "choose another id.")


def test_sources_recorded_before_they_were_absolute_still_match(fresh_settings, tmp_path,
                                                                monkeypatch):
    import dataclasses

    from index.loaders import load_article

    engine = Engine.open(fresh_settings)
    (tmp_path / "notes.txt").write_text("Notes\n\nOne.\n")
    monkeypatch.chdir(tmp_path)
    old = dataclasses.replace(load_article("notes.txt"), source="notes.txt")
    engine.store.save(old)  # as an older version wrote it
    (tmp_path / "notes.txt").write_text("Notes\n\nTwo.\n")
    info, changed = engine.add_article("notes.txt")
    assert changed and info.id == "notes" and info.source == str(tmp_path.resolve() / "notes.txt")


@pytest.mark.parametrize("good", [BUNDLED_ID, "a", "notes_2024.v2", "x" * 80, "123-tea"])
def test_ids_like_the_ones_made_from_names_are_accepted(good):
    assert check_article_id(good) == good


@pytest.mark.parametrize("bad", ["../../etc", "A B", "x" * 81, "", ".hidden", "-opt",
                                 "odd::id", "a/b", "Tea"])
def test_other_ids_are_refused_with_what_is_allowed(bad):
    with pytest.raises(IngestError, match="lower-case letters, digits"):
        check_article_id(bad)


def test_a_server_rebuilds_only_its_own_articles(fresh_settings):
    engine = Engine.open(fresh_settings)
    shared = engine.article().id
    with pytest.raises(NotAllowed, match="has not added any article"):
        engine.reindex(guild="42")  # nothing of its own: never the shared ones instead
    with pytest.raises(NotAllowed, match="shared by every server"):
        engine.reindex(shared, guild="42")
    own, _ = engine.add_article("bees.md", scope="42", text="# Bees\n\nBees make honey.\n")
    engine.add_article("wasps.md", scope="7", text="# Wasps\n\nWasps sting.\n")
    assert [i.id for i in engine.reindex(guild="42")] == [own.id]
    assert {i.id for i in engine.reindex()} >= {shared}  # the operator's: every shared one


def test_rebuilding_several_articles_reports_progress_over_all_of_them(fresh_settings):
    engine = Engine.open(fresh_settings)
    bees, _ = engine.add_article("bees.md", scope="42",
                                 text="# Bees\n\nBees make honey. They live in hives.\n")
    ants, _ = engine.add_article("ants.md", scope="42",
                                 text="# Ants\n\nAnts farm aphids. They carry leaves. "
                                      "Colonies can be huge.\n")
    reported = []
    rebuilt = engine.reindex(guild="42", progress=lambda done, total: reported.append(
        (done, total)))
    assert {i.id for i in rebuilt} == {bees.id, ants.id}
    total = sum(len(engine.searcher.state(i).stored.sentences) for i in rebuilt)
    assert total == 5 and {t for _, t in reported} == {total}
    assert [d for d, _ in reported] == sorted(d for d, _ in reported)  # across both articles
    assert reported[-1] == (total, total)


def test_a_stopped_build_stops_embedding_ahead_within_a_batch(fresh_settings, tmp_path):
    """Ctrl-C during ``index build``: the article being embedded ahead stops after its current
    batch of sentences instead of running to its end, and nothing of it is taken."""
    import threading

    from index.library import EmbedAhead, open_store

    long = tmp_path / "long.txt"
    long.write_text("A long one\n\n" + "\n\n".join(
        f"Paragraph {k} says one thing. It then adds another point {k}." for k in range(600)))
    store = open_store(fresh_settings)
    ahead = EmbedAhead(store, [str(long)])
    taken = []
    waiting = threading.Thread(target=lambda: taken.append(ahead.take(0)))
    waiting.start()
    while 0 not in ahead._progress and waiting.is_alive():  # a first batch is embedded
        waiting.join(0.05)
    ahead.close()
    waiting.join()
    assert ahead._progress[0][0] < 600 and ahead._progress[0][1] == 1200
    assert taken == [(None, None)]  # add_article would read it again (a build stops instead)


def test_warming_the_library_makes_what_its_first_question_needs(fresh_settings, monkeypatch):
    import index.retrieval

    engine = Engine.open(fresh_settings)
    engine.add_article("bees.md", text="# Bees\n\nA honey bee colony has one queen.\n")
    engine.add_article("tea.md", text="# Tea\n\nBlack tea is fully oxidised before drying.\n")
    engine.warm_library()
    built = []
    for name in ("LexicalIndex", "_Stacked"):
        real = getattr(index.retrieval, name)
        monkeypatch.setattr(index.retrieval, name, lambda *a, real=real, name=name, **k: (
            built.append(name), real(*a, **k))[1])
    answer = engine.ask("How many queens does a colony have?", library=True)
    assert answer.answered and answer.quotes[0].article == "bees"
    assert built == []  # the lexical index and the stacked vectors were made by the warm-up


def test_warming_a_library_of_one_article_does_nothing(fresh_settings, monkeypatch):
    engine = Engine.open(fresh_settings)
    monkeypatch.setattr(engine.searcher, "warm", lambda infos: pytest.fail("warmed"))
    engine.warm_library()
