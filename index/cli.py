"""``python -m index build [FILES or URLs...]``, ``python -m index list`` and
``python -m index remove ID...``.

``build`` with no argument indexes the bundled article. Indexing the same text again changes
nothing; a changed file replaces its old version only once the new one is written.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading

from index.errors import QuotebotError


def _open(args, preload: bool = False, create: bool = True):
    """The settings and the store (``index`` never imports ``bot``); ``preload``: start loading
    the model at once (only ``build`` embeds); ``create``: make the store when there is none
    (only ``build`` writes: ``IndexMissing`` otherwise)."""
    from index.library import open_store
    from index.settings import IndexSettings

    overrides = {k: v for k, v in (("data_dir", args.data_dir), ("chroma_url", args.chroma_url))
                 if v is not None}
    settings = IndexSettings(**overrides)
    return settings, open_store(settings, preload=preload, create=create)


def cmd_build(args) -> int:
    from index.library import EmbedAhead, check_article_id

    if args.id is not None:
        check_article_id(args.id)  # before opening anything
    settings, store = _open(args, preload=True)
    sources = expand_sources(args.sources) or [str(settings.bundled_article)]
    if args.id and len(sources) > 1:
        print("index: --id names one article; give one source with it.", file=sys.stderr)
        return 2
    failed = 0
    out = sys.stderr if args.quiet else sys.stdout
    ahead = EmbedAhead(store, sources, args.id, force=args.force)
    with _interrupts() as interrupted:
        try:
            for number, source in enumerate(sources):
                failed += _build_one(args, store, source, out,
                                     lambda p, n=number: ahead.take(n, p))
                if interrupted:  # a Ctrl-C that a library caught and wrapped
                    raise KeyboardInterrupt
        except KeyboardInterrupt:
            print("\nindex: stopped. The articles reported above are indexed; one cut off "
                  "midway is not served, and building it again completes it.", file=sys.stderr)
            return 130
        finally:
            ahead.close()
    return 1 if failed else 0


def expand_sources(sources: list[str]) -> list[str]:
    """The sources a build was given, with each folder replaced by its article files (.txt,
    .md, .html, .pdf, .docx…, sorted; not its sub-folders) and each pattern a shell did not
    expand (``'notes/*.md'``, or any pattern on Windows) by its matches. Anything else, and a
    folder or pattern without articles, is kept as given: loading it then says what is
    wrong."""
    import glob
    from pathlib import Path

    from index.loaders import ARTICLE_EXTENSIONS, is_url

    out: list[str] = []
    for source in sources:
        path = Path(source).expanduser()
        if is_url(source):
            found = []
        elif path.is_dir():
            found = sorted(str(p) for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in ARTICLE_EXTENSIONS)
        elif not path.exists() and glob.has_magic(source):
            found = sorted(p for p in glob.glob(str(path)) if Path(p).is_file())
        else:
            found = []
        out.extend(found or [source])
    return out


@contextlib.contextmanager
def _interrupts():
    """A list that becomes non-empty on Ctrl-C (which still raises KeyboardInterrupt): a
    library may catch that exception midway (Chroma's and pydantic's serialisers wrap it in
    their own), and a build must still stop instead of going on to the next source."""
    seen: list[bool] = []
    if threading.current_thread() is not threading.main_thread():
        yield seen
        return

    def interrupted(signum, frame):
        seen.append(True)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield seen
    finally:
        signal.signal(signal.SIGINT, previous)


def _build_one(args, store, source: str, out, prepare) -> int:
    """Index one source for ``build``, printing what happened; 1 if it failed, else 0.
    ``prepare(progress)``: the source read and embedded ahead (:meth:`EmbedAhead.take`)."""
    from index.library import add_article

    shown = []  # whether a progress line is open (what follows ends it first)
    logged = [0]  # the last quarter of the way reported in a log

    def progress(done: int, total: int) -> None:
        """On a terminal, one line updated in place; in a log, a line a quarter of the way
        (a log is read afterwards: a line per batch, or one line of carriage returns,
        would bury the results)."""
        line = f"  {source}: {done}/{total} sentences embedded"
        if sys.stderr.isatty():
            shown.append(True)
            print(f"\r{line}", end="", file=sys.stderr, flush=True)
        elif total and (quarter := 4 * done // total) > logged[0]:
            logged[0] = quarter
            print(line, file=sys.stderr, flush=True)

    def end_progress() -> None:
        """Erase the progress line on a terminal (else a shorter line printed over it keeps
        its tail)."""
        if shown:
            print("\r\x1b[K", end="", file=sys.stderr, flush=True)

    notices: list[str] = []
    try:
        info, changed = add_article(store, source, article_id=args.id, progress=progress,
                                    replace=args.replace, notice=notices.append,
                                    force=args.force, prepared=prepare(progress))
    except QuotebotError as error:
        end_progress()
        print(f"  {source}: {error}", file=sys.stderr)
        return 1
    end_progress()
    state = "indexed" if changed else "unchanged"
    print(f"{state:>9}  {info.id}  “{info.title}”  {info.length}", file=out, flush=True)
    for notice in notices:
        print(f"{'':>9}  {notice}", file=out, flush=True)
    return 0


def cmd_list(args) -> int:
    from index.errors import IndexMissing

    try:
        _, store = _open(args, create=False)
    except IndexMissing as missing:  # nothing listed, and no empty store left behind
        if args.json:
            print("[]")
            print(f"index: {missing}", file=sys.stderr)
        else:
            print(missing)
        return 0
    infos = [i for i in store.infos() if args.all or i.scope == "global"]
    if args.json:
        print(json.dumps([i.as_json() for i in infos], ensure_ascii=False))
        return 0
    if not infos:
        print("No articles indexed yet: `python -m index build` indexes the bundled one.")
    for info in infos:
        scope = "" if info.scope == "global" else f"  [guild {info.scope}]"
        by = f" by {info.authors}" if info.authors else ""
        print(f"{info.id}  “{info.title}”{by}  {info.length}{scope}")
    return 0


def cmd_remove(args) -> int:
    from index.library import remove_article

    settings, store = _open(args, create=False)
    failed = 0
    for article_id in args.ids:  # one unknown id does not stop the others
        try:
            info = remove_article(store, article_id)
        except QuotebotError as error:
            print(f"index: {error}", file=sys.stderr)
            failed += 1
            continue
        print(f"  removed  {info.id}  “{info.title}”")
        if info.id == settings.bundled_article_id:  # `python -m bot` indexes it again
            print(f"index: {info.id} is the bundled default article: the bot indexes it again "
                  f"when it starts, unless QUOTEBOT_BUNDLED_ARTICLE names another file",
                  file=sys.stderr)
    return 2 if failed else 0


def setup_logging() -> None:
    import logging

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("chromadb", "httpx", "urllib3", "onnxruntime", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def build_parser() -> argparse.ArgumentParser:
    # Options valid before or after the sub-command; SUPPRESS keeps a sub-command's parser from
    # resetting a value given before it (the actions are shared with the sub-parsers, so they
    # must keep that default: parse_args gives the missing ones None afterwards).
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--data-dir", help="where the index lives (QUOTEBOT_DATA_DIR)")
    common.add_argument("--chroma-url", help="a Chroma server, http://host:port "
                        "(QUOTEBOT_CHROMA_URL)")
    parser = argparse.ArgumentParser(prog="python -m index", parents=[common],
                                     description="Build and list quotebot's article index.")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", parents=[common], help="index articles (.txt, .md, .html, "
                           ".pdf, .docx, URL); none given: the bundled article")
    build.add_argument("sources", nargs="*", metavar="FILE or URL",
                       help=".txt, .md, .html, .pdf or .docx files (a folder: the ones in "
                            "it), or web pages")
    build.add_argument("--id", help="the article id (default: from the file name); "
                       "lower-case letters, digits, '-', '_' and '.'")
    build.add_argument("--replace", action="store_true",
                       help="replace an article of the same id indexed from another "
                       "source (else a file's id gets a -2 suffix and an --id is refused)")
    build.add_argument("--force", action="store_true",
                       help="rebuild the index even of an unchanged article (after an upgrade "
                       "that changes how articles are split or embedded)")
    build.add_argument("-q", "--quiet", action="store_true",
                       help="nothing on stdout (the results go to stderr)")
    build.set_defaults(func=cmd_build)
    listing = sub.add_parser("list", parents=[common], help="list indexed articles")
    listing.add_argument("--json", action="store_true", help="one JSON list of the articles")
    listing.add_argument("--all", action="store_true", help="include guild-only articles")
    listing.set_defaults(func=cmd_list)
    remove = sub.add_parser("remove", parents=[common], help="remove indexed articles by id")
    remove.add_argument("ids", nargs="+", metavar="ID", help="an article id, as listed")
    remove.set_defaults(func=cmd_remove)
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The options, given before or after the sub-command (``--data-dir DIR build`` and
    ``build --data-dir DIR`` are the same); the ones not given are None."""
    args = build_parser().parse_args(argv)
    for name in ("data_dir", "chroma_url"):
        if not hasattr(args, name):
            setattr(args, name, None)
    return args


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = parse_args(argv)
    setup_logging()
    try:
        return args.func(args)
    except QuotebotError as error:
        print(f"index: {error}", file=sys.stderr)
        return 2
