"""The Chroma store: numbering metadata, idempotent indexing, safe rebuilds, bad stores."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from index.errors import IndexMissing, StoreError, UnknownArticle
from index.loaders import load_article
from index.store import ArticleStore
from tests.conftest import BUNDLED


def test_bundled_article_is_indexed_on_first_use(empty_settings):
    engine = Engine.open(empty_settings)
    [info] = engine.articles()
    assert info.id == "china-russia-solidarity"
    assert info.paragraphs == 9
    assert info.authors == "Yang Yi-zhong & Zhao Qing-tong"
    assert "Hong Kong Special Administrative Region" in engine.paragraph(3)


def test_paragraph_numbers_and_spans_are_metadata(engine):
    stored = engine.searcher.state(engine.article()).stored
    assert [p.number for p in stored.article.paragraphs] == list(range(1, 10))
    for sentence in stored.sentences:
        paragraph = stored.article.paragraph(sentence.paragraph).text
        assert paragraph[sentence.start:sentence.end] == sentence.text
    assert stored.sentence_vectors.shape == (len(stored.sentences), 384)


def test_indexing_twice_adds_nothing(fresh_settings):
    engine = Engine.open(fresh_settings)
    before = engine.store.collection.get(include=[])["ids"]
    info, changed = engine.add_article(str(BUNDLED))
    assert not changed
    assert sorted(engine.store.collection.get(include=[])["ids"]) == sorted(before)
    # and the ids are the same in another, fresh store
    other = Engine.open(fresh_settings.model_copy(
        update={"data_dir": fresh_settings.data_dir.parent / "other"}))  # built from scratch
    assert sorted(other.store.collection.get(include=[])["ids"]) == sorted(before)


def test_changed_article_replaces_old_version_after_writing(fresh_settings, tmp_path):
    engine = Engine.open(fresh_settings)
    path = tmp_path / "notes.txt"
    path.write_text("Notes\n\nThe first claim is about apples.\n\nThe second is about pears.\n")
    info, changed = engine.add_article(str(path))
    assert changed and info.paragraphs == 2
    path.write_text("Notes\n\nThe first claim is about apples.\n\nNow it is about plums.\n\n"
                    "And a third paragraph.\n")
    info2, changed = engine.add_article(str(path))
    assert changed and info2.paragraphs == 3 and info2.checksum != info.checksum
    records = engine.store.collection.get(where={"article": "notes"}, include=["metadatas"])
    assert {m["version"] for m in records["metadatas"]} == {info2.version}
    assert engine.paragraph(2, "notes") == "Now it is about plums."


def test_failed_rebuild_keeps_serving_the_old_version(fresh_settings, monkeypatch):
    engine = Engine.open(fresh_settings)
    monkeypatch.setattr("index.store.BATCH", 16)  # so that the write fails half-way
    before = engine.article()

    class Exploding:
        def __init__(self, real):
            self.real, self.calls = real, 0

        def embed(self, texts):
            self.calls += 1
            if self.calls > 1:
                raise RuntimeError("disk full")
            return self.real.embed(texts)

    article = load_article(str(BUNDLED))
    changed = article.__class__(**{**article.__dict__, "title": article.title + " (edited)"})
    store = ArticleStore(engine.store.collection, Exploding(engine.embed_model))
    with pytest.raises(StoreError, match="previous version is still served"):
        store.save(changed)
    assert engine.article() == before  # the half-written version is never read
    assert "Hong Kong" in engine.ask("What did Putin say about Hong Kong?").quotes[0].text


def test_failed_write_keeps_serving_the_old_version(fresh_settings, monkeypatch):
    """Records are written in several batches, the article record last: a write that fails
    half-way leaves only records no reader trusts."""
    engine = Engine.open(fresh_settings)
    monkeypatch.setattr("index.store.WRITE_BATCH", 16)
    before = engine.article()
    article = load_article(str(BUNDLED))
    changed = article.__class__(**{**article.__dict__, "title": article.title + " (edited)"})
    store = ArticleStore(engine.store.collection, engine.embed_model)
    vector_store_class = type(store.vector_store)
    real_add, writes = vector_store_class.add, []

    def failing_add(self, nodes, **kwargs):
        writes.append(len(nodes))
        if len(writes) == 3:
            raise RuntimeError("disk full")
        return real_add(self, nodes, **kwargs)

    monkeypatch.setattr(vector_store_class, "add", failing_add)
    with pytest.raises(StoreError, match="previous version is still served"):
        store.save(changed)
    assert writes == [16, 16, 16]
    assert engine.article() == before and engine.store.infos() == [before]
    assert "Hong Kong" in engine.ask("What did Putin say about Hong Kong?").quotes[0].text


def test_paragraph_vectors_come_from_their_first_sentences(engine):
    """Paragraphs are not embedded whole; their vector is the normalised mean of their first
    sentences' (what summaries use; the scorer's context feature averages every sentence)."""
    import numpy as np

    from index.store import LEAD

    stored = engine.searcher.state(engine.article()).stored
    for number in (1, 3, 9):
        rows = [i for i, s in enumerate(stored.sentences)
                if s.paragraph == number and s.index < LEAD]
        mean = stored.sentence_vectors[rows].mean(axis=0)
        assert np.allclose(stored.paragraph_vectors[number - 1], mean / np.linalg.norm(mean),
                           atol=1e-5)


def test_several_articles_and_guild_scope(fresh_settings, tmp_path):
    engine = Engine.open(fresh_settings)
    info, _ = engine.add_article("fruit.md", text="# Fruit\n\nApples are red and grow on trees.\n",
                                 scope="123")
    assert info.id == "123-fruit" and info.scope == "123"
    assert [a.id for a in engine.articles()] == ["china-russia-solidarity"]
    assert {a.id for a in engine.articles("123")} == {"china-russia-solidarity", "123-fruit"}
    with pytest.raises(UnknownArticle):
        engine.article("123-fruit", guild="456")
    answer = engine.ask("What colour are apples?", "123-fruit", guild="123")
    assert answer.answered and answer.quotes[0].article == "123-fruit"


def test_an_article_stored_with_a_footnote_mark_in_its_byline_reads_without_it(fresh_settings):
    """Indexed before bylines lost their footnote marks: the names are shown without them."""
    from index.article import Article, Paragraph

    engine = Engine.open(fresh_settings)
    engine.store.save(Article(id="old", title="Old", authors="Jane Doe* & John Roe†",
                              paragraphs=(Paragraph(1, "Apples are red and grow on trees."),)))
    info = next(i for i in engine.store.infos() if i.id == "old")
    assert info.authors == "Jane Doe & John Roe"
    assert engine.store.load("old").article.authors == "Jane Doe & John Roe"


def test_reindex_rebuilds_from_the_stored_text(fresh_settings):
    engine = Engine.open(fresh_settings)
    old = engine.article()
    [new] = engine.reindex(old.id)
    assert new.checksum == old.checksum and new.version != old.version
    assert engine.ask("What did Putin say about Hong Kong?").quotes[0].paragraph == 3
    ids = engine.store.collection.get(where={"article": old.id}, include=["metadatas"])
    assert {m["version"] for m in ids["metadatas"]} == {new.version}


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexMissing, match="python -m index build"):
        ArticleStore.open(path=tmp_path / "nothing", create=False)


def test_corrupt_store_is_a_clear_error_and_is_left_alone(tmp_path):
    folder = tmp_path / "chroma"
    folder.mkdir()
    garbage = b"this is not a sqlite database" * 100
    (folder / "chroma.sqlite3").write_bytes(garbage)
    with pytest.raises(StoreError, match="cannot be opened"):
        ArticleStore.open(path=folder)
    assert (folder / "chroma.sqlite3").read_bytes() == garbage  # nothing lost


def test_unreachable_chroma_server_is_a_clear_error():
    with pytest.raises(StoreError, match="server"):
        ArticleStore.open(url="http://127.0.0.1:9")


def test_another_process_sees_every_kind_of_change_through_the_library_version(fresh_settings):
    """Two engines on one store, as two bot processes sharing a Chroma server: an added
    article, a new source for the same text (the record count does not change) and a deletion
    all show in the other's article list; a write that changes nothing keeps the version."""
    from dataclasses import replace

    writer, reader = Engine.open(fresh_settings), Engine.open(fresh_settings)
    reader.LIBRARY_CHECK = 0.0
    assert [a.id for a in reader.articles()] == ["china-russia-solidarity"]
    start = reader.store.version()

    info, changed = writer.add_article("tea.md", text="# Tea\n\nBlack tea is fully oxidised.\n")
    assert changed and reader.store.version() != start
    assert "tea" in {a.id for a in reader.articles()}

    count, version = writer.store.count(), writer.store.version()
    _, changed = writer.add_article("tea.md", text="# Tea\n\nBlack tea is fully oxidised.\n")
    assert not changed and reader.store.version() == version  # nothing written, same version
    tea = load_article("tea.md", text="# Tea\n\nBlack tea is fully oxidised.\n")
    _, changed = writer.store.save(replace(tea, source="https://example.org/tea"))
    assert changed and writer.store.count() == count and reader.store.version() != version
    assert {a.id: a.source for a in reader.articles()}["tea"] == "https://example.org/tea"

    assert writer.store.delete("tea") > 0
    assert [a.id for a in reader.articles()] == ["china-russia-solidarity"]


def test_marking_a_write_keeps_the_collection_metadata_and_cosine_distance(fresh_settings):
    """The library version is written into the collection's metadata, which Chroma replaces
    whole: other keys survive it, and the distance stays cosine."""
    from index.store import LIBRARY_VERSION

    engine = Engine.open(fresh_settings)
    store = engine.store
    store.collection.modify(metadata={"owner": "reading-group"})
    first = store.version()
    _, changed = engine.add_article("tea.md", text="# Tea\n\nBlack tea is fully oxidised.\n")
    assert changed
    collection = store.client.get_collection(store.collection.name, embedding_function=None)
    assert collection.metadata["owner"] == "reading-group"
    assert collection.metadata[LIBRARY_VERSION] == store.version() != first
    assert collection.configuration["hnsw"]["space"] == "cosine"


def test_a_write_that_cannot_be_marked_still_lands(fresh_settings, monkeypatch, caplog):
    engine = Engine.open(fresh_settings)

    def refuse(**_):
        raise RuntimeError("metadata is read-only here")

    monkeypatch.setattr(engine.store.collection, "modify", refuse)
    info, changed = engine.add_article("tea.md", text="# Tea\n\nBlack tea is fully oxidised.\n")
    assert changed and "tea" in {a.id for a in engine.articles()}
    assert "could not mark the library as changed" in caplog.text


def test_a_guild_removes_only_its_own_articles(fresh_settings):
    from index.errors import NotAllowed, UnknownArticle

    engine = Engine.open(fresh_settings)
    tea, _ = engine.add_article("tea.md", scope="42", text="# Tea\n\nBlack tea is oxidised.\n")
    coffee, _ = engine.add_article("coffee.md", scope="7", text="# Coffee\n\nBeans are roasted.\n")
    with pytest.raises(NotAllowed):
        engine.remove_article(engine.article().id, guild="42")
    with pytest.raises(UnknownArticle) as unknown:  # another guild's: as if it did not exist
        engine.remove_article(coffee.id, guild="42")
    assert "Coffee" not in str(unknown.value) and coffee.id not in str(unknown.value).split(
        "Known articles:")[-1]
    assert engine.ask("How is black tea made?", article=tea.id, guild="42").answered
    assert engine.remove_article(tea.id, guild="42") == tea
    assert [a.id for a in engine.articles("42")] == [engine.article().id]
    assert {a.id for a in engine.articles("7")} == {engine.article().id, coffee.id}
    with pytest.raises(UnknownArticle):
        engine.ask("How is black tea made?", article=tea.id, guild="42")
    assert engine.store.count() > 0  # the rest of the library is untouched


def test_whole_article_reads_are_paged(fresh_settings, monkeypatch):
    """SQLite refuses a read binding more than 32,766 variables, which one read of a 5 MB
    article (~93,000 records) did; pages of 3 records stand in for that here."""
    import numpy as np

    import index.store

    engine = Engine.open(fresh_settings)
    store = engine.store
    whole = store.load("china-russia-solidarity")
    limits = []
    real_get = store.collection.get

    def spy(**kwargs):
        limits.append(kwargs.get("limit"))
        return real_get(**kwargs)

    monkeypatch.setattr(index.store, "READ_PAGE", 3)
    monkeypatch.setattr(store.collection, "get", spy)
    paged = store.load("china-russia-solidarity")
    assert paged.article == whole.article and paged.sentence_ids == whole.sentence_ids
    assert np.array_equal(paged.sentence_vectors, whole.sentence_vectors)
    assert np.array_equal(paged.paragraph_vectors, whole.paragraph_vectors)
    assert np.array_equal(paged.title_vector, whole.title_vector)
    records = len(whole.sentences) + len(whole.article.paragraphs) + 1
    assert limits.count(3) > records // 3  # the article was read 3 records at a time

    limits.clear()
    info, changed = engine.add_article(str(BUNDLED))  # the previous version is read paged too
    assert not changed and info.version == whole.info.version
    assert limits.count(3) > records // 3
    assert store.delete("china-russia-solidarity") == records
    assert store.collection.count() == 0
