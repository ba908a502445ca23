"""Opening the store and adding articles to it: what ``python -m index`` and the bot's engine
share, so the article id rules live in one place below ``bot``."""

from __future__ import annotations

import dataclasses

from index.article import ArticleInfo
from index.errors import IngestError, NotAllowed, UnknownArticle
from index.settings import IndexSettings
from index.store import ArticleStore


def open_store(settings: IndexSettings, *, embed_model=None, create: bool = True) -> ArticleStore:
    """The store the settings point at (embedded or a Chroma server), with the shipped embedder
    (the plain :class:`~index.minilm.MiniLM`: no LlamaIndex import on the answering path)
    unless ``embed_model`` is given. ``StoreError`` when it cannot be opened."""
    if embed_model is None:
        from index.minilm import MiniLM

        embed_model = MiniLM()
    return ArticleStore.open(path=settings.chroma_path, url=settings.chroma_url,
                             name=settings.collection, embed_model=embed_model, create=create)


def add_article(store: ArticleStore, source: str, *, scope: str = "global",
                text: str | None = None, article_id: str | None = None,
                progress=None, public_only: bool = False) -> tuple[ArticleInfo, bool]:
    """Index a file path or URL (or ``text`` with ``source`` as its file name) in ``scope``.

    An article a guild adds without a chosen id is named ``<guild>-<id>``, so guilds never
    collide with each other or with global articles; an id already used in another scope is
    refused. Returns the article and whether anything changed (the same text twice changes
    nothing). ``public_only``: a URL must lead to the public internet (see
    :func:`index.loaders.load_article`)."""
    from index.loaders import load_article

    article = load_article(source, text=text, article_id=article_id, scope=scope,
                           public_only=public_only)
    if scope != "global" and article_id is None:
        article = dataclasses.replace(article, id=f"{scope}-{article.id}")
    for info in store.infos():
        if info.id == article.id and info.scope != scope:
            raise IngestError(f"An article with the id “{article.id}” already exists "
                              "elsewhere; choose another id.")
    return store.save(article, progress=progress)


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
