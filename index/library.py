"""Opening the store and adding articles to it: what ``python -m index`` and the bot's engine
share, so the article id rules live in one place below ``bot``."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from index.article import Article, ArticleInfo, slugify
from index.errors import IngestError, NotAllowed, UnknownArticle
from index.settings import BUNDLED_ARTICLE, IndexSettings
from index.store import ArticleStore, import_writer_in_background

MAX_ID = 80
# What an id given by hand may hold: ids made from file names are lower-case slugs of at most
# 60 characters; '.' and '_' are allowed too. Never '/', ':' (record ids are joined with '::')
# or white space, and never a leading '-' or '.' (an option, a hidden file).
_ID = re.compile(rf"[a-z0-9][a-z0-9._-]{{0,{MAX_ID - 1}}}")


def open_store(settings: IndexSettings, *, embed_model=None, create: bool = True,
               preload: bool = True) -> ArticleStore:
    """The store the settings point at (embedded or a Chroma server), with the shipped embedder
    (the plain :class:`~index.minilm.MiniLM`: no LlamaIndex import on the answering path)
    unless ``embed_model`` is given. ``StoreError`` when it cannot be opened."""
    if embed_model is None:
        from index.minilm import MiniLM

        embed_model = MiniLM()
    return ArticleStore.open(path=settings.chroma_path, url=settings.chroma_url,
                             name=settings.collection, embed_model=embed_model, create=create,
                             preload=preload)


def check_article_id(article_id: str) -> str:
    """``article_id`` if it is fit to be an id given by hand (``--id``), else an
    ``IngestError`` saying what is allowed. Ids made from names are always fit; the store
    itself accepts any id, so articles indexed before this rule still work."""
    if _ID.fullmatch(article_id):
        return article_id
    hint = slugify(article_id, fallback="")
    hint = f"; for example “{hint}”" if hint else ""
    raise IngestError(f"“{article_id[:100]}” cannot be an article id: use lower-case letters, "
                      f"digits, '-', '_' and '.' (not first), at most {MAX_ID} characters{hint}.")


def add_article(store: ArticleStore, source: str, *, scope: str = "global",
                text: str | bytes | None = None, article_id: str | None = None,
                progress=None, public_only: bool = False, replace: bool = False,
                notice=None, force: bool = False,
                prepared: tuple[Article | None, tuple | None] = (None, None)
                ) -> tuple[ArticleInfo, bool]:
    """Index a file path or URL (or ``text`` with ``source`` as its file name) in ``scope``.

    An article a guild adds without a chosen id is named ``<guild>-<id>``, so guilds never
    collide with each other or with global articles. Adding the same source again (a file
    path, URL or upload name) replaces its article: that is how an edited article is updated,
    and the same text twice changes nothing. A derived id that another source already holds
    gets a free suffix (``notes-2``), told to ``notice(message)``, so a file that happens to
    share a name never replaces another article; a chosen id held by another source is
    refused. ``replace`` replaces that other article instead, in either case; an id already
    used in another scope is always refused.
    Returns the article and whether anything changed. ``public_only``: a URL must lead to the
    public internet (see :func:`index.loaders.load_article`). ``force``: rebuild the index even
    when the text is unchanged (after a change to how articles are split or embedded).
    ``prepared``: this source already read (with the same options) and embedded, by
    :class:`EmbedAhead`."""
    from index.loaders import load_article

    article, embedded = prepared
    if article is None:
        article = load_article(source, text=text, article_id=article_id, scope=scope,
                               public_only=public_only)
    if scope != "global" and article_id is None:
        article = dataclasses.replace(article, id=f"{scope}-{article.id}")
    infos = {info.id: info for info in store.infos()}
    if article_id is None and not replace:
        free = _own_or_free_id(article, infos)
        if free != article.id:
            if notice is not None:
                taken = infos[article.id]
                notice(f"“{article.id}” is already “{taken.title}” from "
                       f"{taken.source or 'elsewhere'}; this one is “{free}”.")
            article = dataclasses.replace(article, id=free)
    else:
        _check_chosen_id(article, infos.get(article.id), replace)
    return store.save(article, progress=progress, force=force, embedded=embedded)


def _same_source(stored: str, new: str) -> bool:
    """Whether an article stored from ``stored`` comes from the same place as ``new``. Sources
    recorded before they were absolute are read against the current folder, and a copy of the
    bundled article in another checkout (or image) is the bundled article."""
    if stored == new:
        return True
    if not stored or stored.startswith(("http://", "https://", "upload:")):
        return False
    if Path(stored).parts[-3:] == BUNDLED_ARTICLE.parts[-3:] and new == str(BUNDLED_ARTICLE):
        return True
    return not Path(stored).is_absolute() and str(Path(stored).resolve()) == new


def _same_article(info: ArticleInfo, article: Article) -> bool:
    """``article`` is a new version of the stored one: same scope, and the same source or the
    same text (replacing an identical text loses nothing)."""
    return info.scope == article.scope and (_same_source(info.source, article.source)
                                            or info.checksum == article.checksum)


def _own_or_free_id(article: Article, infos: dict[str, ArticleInfo]) -> str:
    """The id this article already has (its derived id, or ``id-N`` given earlier because the
    derived one was taken), else the first free one of ``id``, ``id-2``, ``id-3``, ..."""
    suffixed = re.compile(rf"{re.escape(article.id)}(-[2-9]|-[1-9][0-9]+)?")
    own = [i for i in infos.values() if suffixed.fullmatch(i.id) and _same_article(i, article)]
    if own:
        return min(own, key=lambda i: (len(i.id), i.id)).id
    n = 1
    while (candidate := article.id if n == 1 else f"{article.id}-{n}") in infos:
        n += 1
    return candidate


def _check_chosen_id(article: Article, info: ArticleInfo | None, replace: bool) -> None:
    """Refuse a chosen id held in another scope, or by another source unless ``replace``."""
    if info is None or _same_article(info, article):
        return
    if info.scope != article.scope:
        if article.scope == "global" and info.scope != "global":
            # the operator (`python -m index build --id`), who may know whose article it is
            raise IngestError(f"“{article.id}” is “{info.title}”, an article server "
                              f"{info.scope} added for itself; --replace never moves an article "
                              "between a server and the shared ones. Choose another id, or "
                              f"remove it first: python -m index remove {article.id}")
        raise IngestError(f"An article with the id “{article.id}” already exists "
                          "elsewhere; choose another id.")
    if not replace:
        raise IngestError(f"“{article.id}” is already the id of “{info.title}” (from "
                          f"{info.source or 'an unknown source'}). Choose another id, or add "
                          "--replace to replace that article with this one.")


def remove_article(store: ArticleStore, article_id: str, *,
                   scope: str | None = None) -> ArticleInfo:
    """Delete every record of article ``article_id``. With ``scope`` (a guild), only an article
    of that scope: another guild's is unknown there, a global one is refused."""
    infos = store.infos()
    visible = [i for i in infos if scope is None or i.scope in ("global", scope)]
    info = next((i for i in visible if i.id == article_id), None)
    if info is None:
        raise UnknownArticle(article_id, [i.id for i in visible
                                          if scope is None or i.scope == scope])
    if scope is not None and info.scope != scope:
        raise NotAllowed(f"“{info.title}” is shared by every server; only the bot's operator "
                         f"can remove it (`python -m index remove {info.id}`).")
    store.delete(info.id)
    return info


def remove_scope(store: ArticleStore, scope: str) -> list[ArticleInfo]:
    """Delete every article of ``scope`` (a guild that removed the bot); never a global one."""
    if scope == "global":
        raise NotAllowed("The shared articles are removed one by one, by id.")
    removed = [info for info in store.infos() if info.scope == scope]
    for info in removed:
        store.delete(info.id)
    return removed


class EmbedAhead:
    """Reads and embeds a build's next articles in background threads while the main thread
    writes the current one, so that the model never waits for Chroma's writes (about 1 ms a
    record), the Python that builds the records, or the reading and sentence splitting of the
    next file: one thread reads up to ``DEPTH`` sources ahead, one embeds them in order.

    Only an article whose content the store does not hold yet is embedded, so re-indexing
    unchanged articles stays free. A source that fails to load here is loaded again by
    :func:`add_article`, which reports the error as usual. The model's own threads use the
    cores; these only keep them busy."""

    DEPTH = 2

    def __init__(self, store: ArticleStore, sources: list[str],
                 article_id: str | None = None, force: bool = False) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._store = store
        self._sources = sources
        self._article_id = article_id
        self._force = force  # a rebuild embeds every article, held or not
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="read-ahead")
        self._embedder = ThreadPoolExecutor(1, thread_name_prefix="embed-ahead")
        self._pending: dict[int, object] = {}
        self._progress: dict[int, tuple[int, int]] = {}
        self._started = 0
        self._closed = False

    def _read(self, source: str) -> tuple[Article, bool]:
        from index.loaders import load_article

        article = load_article(source, article_id=self._article_id)
        article.sentences  # noqa: B018 - split here, not in the writing thread
        return article, not self._force and self._store.holds(article.checksum)

    def _embed(self, number: int, read) -> tuple[Article, tuple | None]:
        article, held = read.result()
        if held:
            return article, None
        import_writer_in_background()  # what the first write needs, meanwhile

        def progress(done: int, total: int) -> None:
            if self._closed:  # stopped (Ctrl-C): end within a batch, not after the article
                raise RuntimeError("the build stopped")
            self._progress[number] = (done, total)

        return article, self._store.embed(article, progress)

    def take(self, number: int, progress=None) -> tuple[Article | None, tuple | None]:
        """Source ``number``'s article and its vectors (None when the store holds its content)
        once ready, reporting the embedding's progress meanwhile, after starting the next
        ``DEPTH`` sources; ``(None, None)`` when it failed to load."""
        from concurrent.futures import TimeoutError as Waiting

        while self._started <= min(number + self.DEPTH, len(self._sources) - 1):
            read = self._reader.submit(self._read, self._sources[self._started])
            self._pending[self._started] = self._embedder.submit(self._embed, self._started,
                                                                 read)
            self._started += 1
        future = self._pending.pop(number)
        while True:
            try:
                article, embedded = future.result(timeout=0.25)
            except Waiting:
                if progress is not None and number in self._progress:
                    progress(*self._progress[number])
            except Exception:  # noqa: BLE001 - add_article loads it again and says what failed
                return None, None
            else:
                if progress is not None and embedded is not None:
                    progress(len(embedded[0]), len(embedded[0]))
                return article, embedded

    def close(self) -> None:
        """Stop: what was started and not taken is dropped; an embedding under way ends after
        its current batch of sentences."""
        self._closed = True
        for pool in (self._reader, self._embedder):
            pool.shutdown(wait=True, cancel_futures=True)
