"""The Chroma-backed article store.

One Chroma collection holds every article as LlamaIndex ``TextNode`` records of three levels,
each with plain metadata (``article``, ``checksum``, ``level``, ``paragraph``, ``sentence``,
``start``, ``end``):

- ``article``: one per article version, carrying title, byline, scope and paragraph count;
- ``paragraph``: the full text of each numbered paragraph (for look-ups and context), with the
  normalised mean of its first sentences' vectors (a paragraph is not embedded whole), and its
  sentences' search terms (``terms``: one line per sentence, terms separated by spaces;
  ``sentences``: how many; ``tokenizer``: :func:`index.terms.fingerprint`), so that a library's
  BM25 index is built from one small read per paragraph instead of every sentence's text,
  and without tokenising again (:meth:`ArticleStore.stored_terms`);
- ``sentence``: each sentence span, the unit that is embedded, retrieved and quoted.

Records of one article version share a ``version`` (the content checksum, plus a time stamp
when an older version exists), so indexing the same text twice adds nothing, and a changed
text (or a forced rebuild) is written beside the old version; the old records are deleted only
after the new ones (the ``article`` record last, in a write of its own) are in. Readers only
trust a version whose ``article`` record exists, so an interrupted write is never served.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from index.article import Article, ArticleInfo, Paragraph, Sentence, clean_authors
from index.errors import IndexMissing, StoreError, UnknownArticle

log = logging.getLogger(__name__)

BATCH = 128  # sentences embedded between two progress reports
# Records per Chroma write. Chroma's ``add`` holds the GIL for its whole call, so every other
# thread of the process (the Discord bot's event loop, questions being answered) waits for it.
# Saving an article of 1,300 paragraphs (benchmarks/write_freeze.py): 4,096 records a write
# stalled them up to 2.5 s, 512 records 0.47 s, for 9 % more time (5.5 s against 6.0 s). An
# article of up to ~80 paragraphs is one write either way.
WRITE_BATCH = 512
# Records per Chroma read of a whole article: Chroma's SQLite backend binds one variable per
# record it returns metadata for, and SQLite refuses more than 32,766, so an article of more
# than ~10,000 paragraphs (a 5 MB text file: ~93,000 records) could not be read in one go.
# Each page costs a scan of the filter (~0.5 s at 48,000 records): 10,000 read them in 5.7 s,
# 5,000 in 8.3 s, 30,000 in 6.8 s.
READ_PAGE = 10_000
# The collection-metadata key whose value changes with every write (``ArticleStore.version``).
LIBRARY_VERSION = "quotebot_library_version"
DIMENSION = 384


_writes = 0  # writes made by this process (bot/__main__.py skips teardown when there were none)


def writes_in_this_process() -> int:
    return _writes


_writer_imports: threading.Thread | None = None


def _import_writer() -> None:
    """What writing records needs: LlamaIndex's nodes and its Chroma vector store. An error
    here is left to the writer's own import after the join, which raises it again; so is an
    import cut short because the process is ending (Ctrl-C during a build: Python then refuses
    the atexit hook ``concurrent.futures`` registers on import, and the thread printed that
    traceback under the build's one-line message)."""
    try:
        import llama_index.core.schema  # noqa: F401
        import llama_index.vector_stores.chroma  # noqa: F401
    except Exception:  # noqa: BLE001
        pass


def import_writer_in_background() -> threading.Thread:
    """Start importing LlamaIndex (about 1.4 s of pure Python here) in a thread, once per
    process; :meth:`ArticleStore.save` (and a build's :class:`~index.library.EmbedAhead`)
    starts it before embedding an article, and ``save`` joins it before writing, so the import
    runs while ONNX Runtime embeds without the GIL instead of before it. Re-indexing an
    unchanged article never reaches it. An import error is raised again by the writer's own
    import after the join."""
    global _writer_imports
    if _writer_imports is None:
        _writer_imports = threading.Thread(target=_import_writer, name="llama-index-import",
                                           daemon=True)
        _writer_imports.start()
    return _writer_imports


def _wrote() -> None:
    global _writes
    _writes += 1


LEAD = 3  # a paragraph's vector comes from its first LEAD sentences


def paragraph_vectors(paragraphs, sentences, vectors: np.ndarray) -> np.ndarray:
    """Each paragraph's vector: the normalised mean of its first ``LEAD`` sentences' vectors.

    A paragraph is not embedded whole: that cost as much as embedding all its sentences again
    (and MiniLM reads only its first 256 tokens). On the public SQuAD questions the lead's mean
    does as well as the whole-paragraph vector it replaces (paragraph hit@1 0.784 vs 0.783,
    quote hit@1 0.699 vs 0.697), the mean of all sentences slightly worse (0.778, 0.691); see
    docs/deploy.md."""
    dim = vectors.shape[1] if len(vectors) else DIMENSION
    out = np.zeros((len(paragraphs), dim), dtype=np.float32)
    position = {p.number: i for i, p in enumerate(paragraphs)}
    for s, vector in zip(sentences, vectors):
        if s.index < LEAD:
            out[position[s.paragraph]] += vector
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.clip(norms, 1e-12, None)


@dataclass
class StoredArticle:
    """An article version loaded from the store with its vectors, ready for retrieval."""

    info: ArticleInfo
    article: Article
    sentences: list[Sentence]
    sentence_ids: list[str]
    sentence_vectors: np.ndarray  # (n_sentences, dim), unit rows
    paragraph_vectors: np.ndarray  # (n_paragraphs, dim), unit rows: the stored lead vectors
    title_vector: np.ndarray | None = None

    @cached_property
    def whole_paragraph_vectors(self) -> np.ndarray:
        """Each paragraph as a whole: the normalised mean of all its sentences' vectors (what
        "close to the paragraph" means for scoring and summaries; the stored lead vectors
        stand in for a paragraph without sentences)."""
        out = np.zeros_like(self.paragraph_vectors)
        for s, vector in zip(self.sentences, self.sentence_vectors):
            out[s.paragraph - 1] += vector
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.where(norms > 0, out / np.maximum(norms, 1e-12),
                        self.paragraph_vectors).astype(np.float32)


_tokenizer = None


def _terms():
    """The search tokenizer (:class:`index.terms.Terms`), made once per process."""
    global _tokenizer
    if _tokenizer is None:
        from index.terms import Terms

        _tokenizer = Terms()
    return _tokenizer


def fingerprint() -> str:
    from index.terms import fingerprint as current

    return current()


def _term_fields(numbers, sentences) -> dict[int, dict]:
    """The search-term fields of paragraph records ``numbers``, from their ``sentences``
    (``(paragraph, text)`` in reading order): ``terms``, one line of terms per sentence,
    ``sentences``, how many, and ``tokenizer``, the :func:`fingerprint` that wrote them (what
    :meth:`ArticleStore.stored_terms` reads back)."""
    tokenizer, current = _terms(), fingerprint()
    lines: dict[int, list[str]] = {n: [] for n in numbers}
    for paragraph, text in sentences:
        lines[paragraph].append(" ".join(tokenizer(text)))
    return {n: {"terms": "\n".join(mine), "sentences": len(mine), "tokenizer": current}
            for n, mine in lines.items()}


def _latest(metas) -> dict[str, dict]:
    """Each article's newest ``article`` record metadata (by ``indexed_at``)."""
    latest: dict[str, dict] = {}
    for meta in metas:
        current = latest.get(meta["article"])
        if current is None or meta.get("indexed_at", 0) >= current.get("indexed_at", 0):
            latest[meta["article"]] = meta
    return latest


def _info(m: dict) -> ArticleInfo:
    # (an article indexed before bylines lost their footnote marks shows its names without them)
    return ArticleInfo(id=m["article"], title=m["title"], authors=clean_authors(m.get("authors")),
                       paragraphs=int(m["paragraphs"]), scope=m.get("scope", "global"),
                       source=m.get("source", ""), checksum=m["checksum"],
                       version=m.get("version", m["checksum"]),
                       pages=tuple(map(int, m["pages"].split(","))) if m.get("pages") else (),
                       sections=tuple(m["headings"].split("\n")) if m.get("headings") else ())


def _where(**equal) -> dict:
    clauses = [{key: value} for key, value in equal.items()]
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _record_id(article: str, version: str, paragraph: int | None = None,
               sentence: int | None = None) -> str:
    parts = [article, version]
    if paragraph is not None:
        parts.append(f"p{paragraph}")
    if sentence is not None:
        parts.append(f"s{sentence}")
    return "::".join(parts)


def parse_sentence_id(record_id: str) -> tuple[str, str, int, int] | None:
    """``(article, version, paragraph, sentence)`` of a sentence record's id
    (``article::version::pN::sK``, as :func:`_record_id` writes it), None for a paragraph or
    article record. Read from the right, so an article id containing ``::`` is still split
    right (versions never contain it)."""
    parts = record_id.rsplit("::", 3)
    if len(parts) != 4:
        return None
    article, version, paragraph, sentence = parts
    if not (paragraph[:1] == "p" and paragraph[1:].isdigit()
            and sentence[:1] == "s" and sentence[1:].isdigit()):
        return None
    return article, version, int(paragraph[1:]), int(sentence[1:])


def sentence_key(record_id: str) -> tuple[str, str] | None:
    """``(article, version)`` of a sentence record's id, None for any other record."""
    parsed = parse_sentence_id(record_id)
    return None if parsed is None else parsed[:2]


MALLOC_ARENAS = 2  # glibc malloc arenas for the process (see limit_malloc_arenas)
_arenas_limited = False


def limit_malloc_arenas() -> None:
    """Cap glibc's malloc arenas at ``MALLOC_ARENAS`` (unless ``MALLOC_ARENA_MAX`` is set).

    Chroma's Rust threads, ONNX Runtime's and Python's each get an arena of their own by
    default (up to 8 per core), and memory freed in one is never reused by another: at
    100,000 paragraphs (embedded) the bot process kept ~390 MB more (2,595 MB against
    2,205 MB after the benchmark's questions, ``MALLOC_ARENA_MAX=2``), with no measurable
    change in question times. Called before Chroma starts its threads; a no-op elsewhere
    than glibc."""
    global _arenas_limited
    if _arenas_limited or "MALLOC_ARENA_MAX" in os.environ:
        return
    _arenas_limited = True
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-8, MALLOC_ARENAS)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc
        pass


def release_free_memory() -> None:
    """Give freed heap memory back to the system (glibc's ``malloc_trim``), after a build
    whose temporaries were large (a library's lexical index: ~230 MB at 100,000 paragraphs);
    a no-op elsewhere than glibc."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class ArticleStore:
    """Articles in a Chroma collection: an embedded ``PersistentClient`` or a Chroma server."""

    def __init__(self, collection, embed_model, client=None) -> None:
        self.collection = collection
        self.embed_model = embed_model
        self.client = client  # to read the collection's metadata afresh (``version``)

    @cached_property
    def vector_store(self):
        """LlamaIndex's ``ChromaVectorStore`` over the collection: what writes the records.

        Made on the first write, so reading and answering never import LlamaIndex (about a
        second of imports on this machine, more than the rest of a first answer)."""
        from llama_index.core import Settings as LlamaSettings
        from llama_index.vector_stores.chroma import ChromaVectorStore

        # Records are written here, never through LlamaIndex's ingestion pipeline, so its default
        # transformations (a SentenceSplitter, which loads a tiktoken vocabulary: 0.5 s) are
        # never needed; an index built over this store would create them.
        if getattr(LlamaSettings, "_transformations", None) is None:
            LlamaSettings.transformations = []
        return ChromaVectorStore(chroma_collection=self.collection)

    @classmethod
    def open(cls, *, path: Path | None = None, url: str | None = None, name: str = "quotebot",
             embed_model=None, create: bool = True, preload: bool = True) -> "ArticleStore":
        """Open the store at ``path`` (embedded) or ``url`` (a Chroma server).

        Raises ``IndexMissing`` when ``create`` is false and nothing is there, and ``StoreError``
        with a plain explanation when the store cannot be read; it never deletes anything.
        ``preload``: start loading the model now, in the background (false for work that never
        embeds: listing, removing; a process would wait for that load at exit).
        """
        limit_malloc_arenas()  # before the model's and Chroma's threads start
        if preload and embed_model is not None and hasattr(embed_model, "preload"):
            embed_model.preload()  # the model loads while Chroma is imported and opened
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        where = url or str(path)
        try:
            if url:
                from urllib.parse import urlparse

                parsed = urlparse(url)
                client = chromadb.HttpClient(host=parsed.hostname or "localhost",
                                             port=parsed.port or 8000,
                                             ssl=parsed.scheme == "https",
                                             settings=chroma_settings)
                client.heartbeat()
            else:
                if not create and not (Path(path) / "chroma.sqlite3").exists():
                    raise IndexMissing(f"There is no index at {path}. "
                                       "Build it with `python -m index build`.")
                Path(path).mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            if create:
                collection = client.get_or_create_collection(
                    name, metadata={"hnsw:space": "cosine"}, embedding_function=None)
            else:
                collection = client.get_collection(name, embedding_function=None)
            collection.count()  # touch the data so a corrupt store fails here, not mid-answer
        except IndexMissing:
            raise
        except Exception as error:  # chromadb raises many types; all mean "cannot use the store"
            if not create and "does not exist" in str(error):
                raise IndexMissing(f"The store at {where} has no index yet. "
                                   "Build it with `python -m index build`.") from error
            raise StoreError(
                f"The article index at {where} cannot be opened ({type(error).__name__}: "
                f"{str(error)[:200]}). Nothing was changed. If it is a local store, move the "
                "folder aside and rebuild it with `python -m index build`; if it is a Chroma "
                "server, check that it is running.") from error
        store = cls(collection, embed_model, client)
        if create and not (collection.metadata or {}).get(LIBRARY_VERSION):
            store._changed()  # a store written before the version existed: mark it once
        return store

    # -- reading ------------------------------------------------------------------------------

    def _get(self, **kwargs) -> dict:
        try:
            return self.collection.get(**kwargs)
        except Exception as error:
            raise StoreError(f"The article index cannot be read ({type(error).__name__}: "
                             f"{str(error)[:200]}).") from error

    def _get_all(self, **kwargs) -> dict:
        """Every record a ``where`` read matches, read ``READ_PAGE`` at a time (see there) and
        joined into one answer shaped like Chroma's."""
        out: dict[str, list] = {"ids": []}
        offset = 0
        while True:
            got = self._get(limit=READ_PAGE, offset=offset, **kwargs)
            for key in ("ids", *kwargs.get("include", ())):
                out.setdefault(key, []).extend(got[key])
            if len(got["ids"]) < READ_PAGE:
                return out
            offset += READ_PAGE

    def count(self) -> int:
        """How many records the collection holds: changes whenever an article is added,
        replaced or deleted (by any process), so a cached article list can be checked cheaply."""
        try:
            return self.collection.count()
        except Exception as error:
            raise StoreError(f"The article index cannot be read ({type(error).__name__}: "
                             f"{str(error)[:200]}).") from error

    def version(self) -> str:
        """A token that changes whenever any process adds, replaces, re-scopes or deletes an
        article: a nonce in the collection's metadata, which every write sets last (~0.3 ms to
        read embedded, one small request to a server). Counting the records, which this
        replaces, took ~41 ms at 666k records and missed a change of scope. A store no writer
        has marked yet falls back to the count."""
        try:
            if self.client is not None:
                metadata = self.client.get_collection(self.collection.name,
                                                      embedding_function=None).metadata
                if metadata and metadata.get(LIBRARY_VERSION):
                    return str(metadata[LIBRARY_VERSION])
        except Exception as error:
            raise StoreError(f"The article index cannot be read ({type(error).__name__}: "
                             f"{str(error)[:200]}).") from error
        return f"count:{self.count()}"

    def _changed(self) -> None:
        """Mark the library as changed (after a write has landed), for :meth:`version`."""
        try:
            # ``modify`` replaces the whole metadata: keep what else is there, except the
            # creation-time ``hnsw:*`` settings, which Chroma refuses to be given again (they
            # live on in the collection's configuration).
            kept = {k: v for k, v in (self.collection.metadata or {}).items()
                    if not k.startswith("hnsw:")}
            self.collection.modify(metadata={**kept, LIBRARY_VERSION: uuid.uuid4().hex})
        except Exception as error:  # the write itself succeeded; others notice it later
            log.warning("could not mark the library as changed (%s: %s); other processes "
                        "may not see this change until the next write marks it",
                        type(error).__name__, str(error)[:200])

    def infos(self) -> list[ArticleInfo]:
        """The current version of every article, oldest first."""
        got = self._get(where={"level": "article"}, include=["metadatas"])
        metas = sorted(_latest(got["metadatas"]).values(),
                       key=lambda m: (m.get("first_indexed_at", 0), m["article"]))
        return [_info(m) for m in metas]

    def info(self, article_id: str) -> ArticleInfo:
        """The current version of one article: a read of that article's ``article`` records
        only (reading every article's, as :meth:`infos` does, made each load and each write
        cost a scan of the whole library)."""
        got = self._get(where={"$and": [{"article": article_id}, {"level": "article"}]},
                        include=["metadatas"])
        latest = _latest(got["metadatas"])
        if article_id in latest:
            return _info(latest[article_id])
        raise UnknownArticle(article_id, [i.id for i in self.infos()])

    def load(self, article_id: str) -> StoredArticle:
        """The article's current version with its sentence and paragraph vectors."""
        info = self.info(article_id)
        got = self._get_all(where=_where(article=article_id, version=info.version),
                            include=["documents", "metadatas", "embeddings"])
        paragraphs: dict[int, tuple[str, np.ndarray]] = {}
        headings: dict[int, str] = {}
        sentences: list[tuple[Sentence, str, np.ndarray]] = []
        title_vector = None
        for rid, text, meta, vector in zip(got["ids"], got["documents"], got["metadatas"],
                                           got["embeddings"]):
            if meta["level"] == "paragraph":
                paragraphs[int(meta["paragraph"])] = (text, np.asarray(vector, dtype=np.float32))
                headings[int(meta["paragraph"])] = meta.get("heading", "")
            elif meta["level"] == "sentence":
                sentence = Sentence(int(meta["paragraph"]), int(meta["sentence"]),
                                    int(meta["start"]), int(meta["end"]), text)
                sentences.append((sentence, rid, np.asarray(vector, dtype=np.float32)))
            elif meta["level"] == "article":
                title_vector = np.asarray(vector, dtype=np.float32)
        if sorted(paragraphs) != list(range(1, info.paragraphs + 1)):
            raise StoreError(f"The index of “{article_id}” is incomplete; rebuild it with "
                             f"`python -m index build`.")
        sentences.sort(key=lambda item: (item[0].paragraph, item[0].index))
        article = Article(id=info.id, title=info.title, authors=info.authors,
                          paragraphs=tuple(Paragraph(n, paragraphs[n][0])
                                           for n in sorted(paragraphs)),
                          source=info.source, scope=info.scope,
                          headings=(tuple(headings[n] for n in sorted(paragraphs))
                                    if any(headings.values()) else ()))
        dim = len(next(iter(paragraphs.values()))[1])
        return StoredArticle(
            info=info, article=article,
            sentences=[s for s, _, _ in sentences],
            sentence_ids=[rid for _, rid, _ in sentences],
            sentence_vectors=(np.stack([v for _, _, v in sentences]) if sentences
                              else np.zeros((0, dim), dtype=np.float32)),
            paragraph_vectors=np.stack([paragraphs[n][1] for n in sorted(paragraphs)]),
            title_vector=title_vector,
        )

    def sentence_texts(self, infos, batch: int = 50, page: int = 5000
                       ) -> dict[tuple[str, str], list[tuple[int, str]]]:
        """``(paragraph, text)`` of every sentence of the article versions ``infos``, in reading
        order, without their vectors (what a lexical index needs), keyed by ``(id, version)``.
        Read in pages of ``page`` records (Chroma's SQLite backend refuses reads that bind
        more than 32,766 variables)."""
        out: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
        infos = list(infos)
        for begin in range(0, len(infos), batch):
            part = infos[begin:begin + batch]
            versions = [i.version for i in part]
            where = {"$and": [{"level": "sentence"},
                              {"version": {"$in": versions}} if len(versions) > 1
                              else {"version": versions[0]}]}
            wanted = {(i.id, i.version) for i in part}
            offset = 0
            while True:
                got = self._get(where=where, include=["documents", "metadatas"], limit=page,
                                offset=offset)
                for text, meta in zip(got["documents"], got["metadatas"]):
                    key = (meta["article"], meta["version"])
                    if key in wanted:
                        out.setdefault(key, []).append((int(meta["paragraph"]),
                                                        int(meta["sentence"]), text))
                if len(got["ids"]) < page:
                    break
                offset += page
        return {key: [(p, t) for p, _, t in sorted(rows)] for key, rows in out.items()}

    def stored_terms(self, infos, page: int = 2000
                     ) -> dict[tuple[str, str], list[tuple[int, list[str]]]]:
        """The search terms written at indexing time for the sentences of the article versions
        ``infos``: ``(paragraph, terms)`` per sentence in reading order, keyed by ``(id,
        version)``. Read by record id from the paragraph records (one per paragraph, no
        ``where``: a filter makes Chroma scan the metadata of the whole collection). An
        article version written before terms were stored (or by another tokenizer) is left
        out: the caller tokenises its texts (:meth:`sentence_texts`)."""
        from index.terms import fingerprint

        ids = [_record_id(i.id, i.version, n) for i in infos for n in range(1, i.paragraphs + 1)]
        rows: dict[tuple[str, str], dict[int, list[list[str]]]] = {}
        stale: set[tuple[str, str]] = set()
        current = fingerprint()
        for begin in range(0, len(ids), page):
            got = self._get(ids=ids[begin:begin + page], include=["metadatas"])
            for meta in got["metadatas"]:
                key = (meta["article"], meta["version"])
                if "terms" not in meta or meta.get("tokenizer") != current:
                    stale.add(key)
                    continue
                count = int(meta["sentences"])
                lines = meta["terms"].split("\n") if count else []
                if len(lines) != count:
                    stale.add(key)
                    continue
                rows.setdefault(key, {})[int(meta["paragraph"])] = [
                    line.split() for line in lines]
        out = {}
        for info in infos:
            key = (info.id, info.version)
            paragraphs = rows.get(key, {})
            if key in stale or len(paragraphs) != info.paragraphs:
                continue
            out[key] = [(n, terms) for n in sorted(paragraphs) for terms in paragraphs[n]]
        return out

    # -- writing ------------------------------------------------------------------------------

    def refresh_terms(self, info: ArticleInfo) -> int:
        """Rewrite the search terms stored with ``info``'s paragraph records when another
        tokenizer wrote them (an upgrade changed how text becomes terms): until then every
        lexical index over a library holding it reads and tokenises its sentences again
        (:meth:`stored_terms` leaves it out) each time the library changes: 0.05 s of
        tokenising for the 1,700 sentences of the public SQuAD articles, so ~17 s for the
        566,000 of 100,000 paragraphs, besides reading their texts. The terms come from the
        stored sentences themselves, so they match the sentence records whatever the sentence
        splitter does today; only metadata is written, nothing is embedded and the version
        stays. Returns how many records changed.
        """
        import json

        numbers = range(1, info.paragraphs + 1)
        got = self._get(ids=[_record_id(info.id, info.version, n) for n in numbers],
                        include=["metadatas"])
        current = fingerprint()
        old = [(rid, meta) for rid, meta in zip(got["ids"], got["metadatas"])
               if meta.get("tokenizer") != current]
        if not old:
            return 0
        fields = _term_fields(numbers, self.sentence_texts([info]).get((info.id, info.version),
                                                                        []))
        metadatas = []
        for _, meta in old:
            fresh = {**meta, **fields[int(meta["paragraph"])]}
            if "_node_content" in meta:  # LlamaIndex's copy of the node, metadata included
                node = json.loads(meta["_node_content"])
                node.setdefault("metadata", {}).update(fields[int(meta["paragraph"])])
                fresh["_node_content"] = json.dumps(node)
            metadatas.append(fresh)
        _wrote()
        self.collection.update(ids=[rid for rid, _ in old], metadatas=metadatas)
        log.info("refreshed the search terms of %s (%d paragraphs)", info.id, len(old))
        return len(old)

    def holds(self, checksum: str) -> bool:
        """Whether some article version with this content checksum is stored."""
        got = self._get(where={"$and": [{"checksum": checksum}, {"level": "article"}]},
                        include=[], limit=1)
        return bool(got["ids"])

    def embed(self, article: Article, progress: Callable[[int, int], None] | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
        """What :meth:`save` writes for ``article``: its sentences' vectors and its title's."""
        vectors = self._embed_sentences([s.text for s in article.sentences] + [article.title],
                                        progress, len(article.sentences))
        return vectors[:-1], vectors[-1]

    def save(self, article: Article, progress: Callable[[int, int], None] | None = None, *,
             force: bool = False, embedded: tuple[np.ndarray, np.ndarray] | None = None
             ) -> tuple[ArticleInfo, bool]:
        """Index ``article``; returns its info and whether anything was written.

        The same text is not written twice unless ``force`` (a rebuild), which writes a fresh
        version beside the old one and then deletes the old one. ``embedded``: what
        :meth:`embed` gave for this article, when it was embedded ahead (a build embeds the next
        article while this one is written); else it is embedded here."""
        if not article.paragraphs:
            raise StoreError(f"“{article.title}” has no paragraphs to index.")
        checksum = article.checksum
        previous = self._get_all(where={"article": article.id}, include=["metadatas"])
        same = [(rid, meta) for rid, meta in zip(previous["ids"], previous["metadatas"])
                if meta.get("level") == "article" and meta.get("checksum") == checksum]
        if same and not force:
            rid, meta = same[-1]
            version, current = meta.get("version", meta.get("checksum")), fingerprint()
            if any(m.get("level") == "paragraph" and m.get("tokenizer") != current
                   and m.get("version", m.get("checksum")) == version
                   for m in previous["metadatas"]):  # read above: no second read when current
                try:
                    self.refresh_terms(_info(meta))
                except Exception as error:  # an optimisation: else the texts are tokenised
                    log.warning("could not refresh the search terms of %s (%s: %s)",
                                article.id, type(error).__name__, str(error)[:200])
            if meta.get("scope") == article.scope and meta.get("source") == article.source:
                return self.info(article.id), False
            # Same text, new scope or source: only the article record changes.
            _wrote()
            self.collection.update(ids=[rid], metadatas=[
                {**meta, "scope": article.scope, "source": article.source}])
            self._changed()
            return self.info(article.id), True
        version = checksum if not previous["ids"] else f"{checksum}.{time.time_ns():x}"
        first = min((m.get("first_indexed_at", m.get("indexed_at", 0))
                     for m in previous["metadatas"] if m.get("level") == "article"),
                    default=time.time())

        base = {"article": article.id, "checksum": checksum, "version": version}
        sentences = article.sentences
        importing = import_writer_in_background()
        try:
            vectors, title_vector = (embedded if embedded is not None
                                     else self.embed(article, progress))
        except Exception as error:
            raise StoreError(f"Indexing “{article.title}” failed ({type(error).__name__}: "
                             f"{str(error)[:200]}); the previous version is still served.") \
                from error
        importing.join()
        from llama_index.core.schema import TextNode

        nodes: list[TextNode] = []
        for s, vector in zip(sentences, vectors):
            nodes.append(TextNode(
                id_=_record_id(article.id, version, s.paragraph, s.index), text=s.text,
                embedding=vector.tolist(),
                metadata={**base, "level": "sentence", "paragraph": s.paragraph,
                          "sentence": s.index, "start": s.start, "end": s.end}))
        fields = _term_fields([p.number for p in article.paragraphs],
                              [(s.paragraph, s.text) for s in sentences])
        for paragraph, vector in zip(article.paragraphs,
                                     paragraph_vectors(article.paragraphs, sentences, vectors)):
            heading = article.heading(paragraph.number)
            nodes.append(TextNode(id_=_record_id(article.id, version, paragraph.number),
                                  text=paragraph.text, embedding=vector.tolist(),
                                  metadata={**base, "level": "paragraph",
                                            "paragraph": paragraph.number,
                                            **fields[paragraph.number],
                                            **({"heading": heading} if heading else {})}))
        now = time.time()
        record = TextNode(id_=_record_id(article.id, version), text=article.title,
                          embedding=title_vector.tolist(), metadata={
            **base, "level": "article", "title": article.title, "authors": article.authors or "",
            "scope": article.scope, "source": article.source,
            "paragraphs": len(article.paragraphs), "indexed_at": now, "first_indexed_at": first,
            **({"pages": ",".join(map(str, article.pages))} if article.pages else {}),
            **({"headings": "\n".join(dict.fromkeys(h for h in article.headings if h))}
               if any(article.headings) else {})})
        for node in (*nodes, record):
            node.excluded_embed_metadata_keys = list(node.metadata)
            node.excluded_llm_metadata_keys = list(node.metadata)
        _wrote()
        try:
            for begin in range(0, len(nodes), WRITE_BATCH):
                self.vector_store.add(nodes[begin:begin + WRITE_BATCH])
            self.vector_store.add([record])  # last: from now on readers see the new version
        except Exception as error:
            raise StoreError(f"Indexing “{article.title}” failed ({type(error).__name__}: "
                             f"{str(error)[:200]}); the previous version is still served.") \
                from error
        # Only now drop the older versions.
        stale = [rid for rid, meta in zip(previous["ids"], previous["metadatas"])
                 if meta.get("version", meta.get("checksum")) != version]
        if stale:
            self.collection.delete(ids=stale)
        self._changed()
        log.info("indexed %s (%d paragraphs, %d records)", article.id, len(article.paragraphs),
                 len(nodes) + 1)
        return self.info(article.id), True

    def _embed_sentences(self, texts: list[str],
                         progress: Callable[[int, int], None] | None,
                         sentences: int | None = None) -> np.ndarray:
        """Every text embedded once, reporting progress after each ``BATCH`` of the first
        ``sentences`` texts (all by default; the title that follows is not counted).

        The project's model (one with ``order``) takes the whole list in one call: it batches
        texts of similar length (padding is most of the cost otherwise) and runs batches side
        by side, so a call per ``BATCH`` left a core idle at the end of each (the public SQuAD
        build: a chunk's last batch ran alone 13 times). Another model is called once per
        ``BATCH``, shortest texts first."""
        total = len(texts) if sentences is None else sentences
        if hasattr(self.embed_model, "order"):
            reported = [0]

            def each(done: int) -> None:
                done = min(done, total)
                if progress and done > reported[0] and (done - reported[0] >= BATCH
                                                        or done == total):
                    reported[0] = done
                    progress(done, total)

            return np.asarray(self.embed_model.embed(texts, progress=each), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = None
        for begin in range(0, len(order), BATCH):
            chosen = order[begin:begin + BATCH]
            batch = np.asarray(self.embed_model.embed([texts[i] for i in chosen]),
                               dtype=np.float32)
            if vectors is None:
                vectors = np.zeros((len(texts), batch.shape[1]), dtype=np.float32)
            vectors[chosen] = batch
            if progress:
                progress(min(begin + BATCH, total), total)
        return vectors if vectors is not None else np.zeros((0, DIMENSION), dtype=np.float32)

    def delete(self, article_id: str) -> int:
        got = self._get_all(where={"article": article_id}, include=[])
        if got["ids"]:
            _wrote()
            self.collection.delete(ids=got["ids"])
            self._changed()
        return len(got["ids"])
