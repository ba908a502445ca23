"""The scale benchmark: a library of N paragraphs, built through the product's store and asked
through the product's question path.

For each size the public SQuAD paragraphs (``shared/eval/squad2-public.json``) are recombined
into many articles (``--per-article`` paragraphs each, drawn with a seeded RNG, distinct ids and
titles), the bundled article is added, and the library is written with ``ArticleStore.save``
exactly as ``python -m index build`` writes it (same ids, metadata, levels, versions). Only the
vectors come from a cache: each distinct text is embedded once by the shipped model and kept in
``benchmarks/.cache/`` (the bundled article is embedded live, as the product does).

Then a fresh process (the "bot process") opens the engine on that store and asks:

- single article: the bundled article's development questions, and a sample of SQuAD questions
  each asked of a library article that holds its paragraph;
- library-wide: the same questions with ``ask(..., library=True)`` over every article.

Each question is asked once to warm up (the first library question builds the lexical index
over the library: reported as ``library_warm_s``), then timed. ``bundled_unchanged``: the
bundled questions' single-article quotes equal those from a store holding only the bundled
article. ``rss_mb`` is the question process's peak RSS (VmHWM); ``disk_mb`` the data dir (for a
server started here, its ``--path``).

Usage:
    python benchmarks/scale.py --paragraphs 1000 10000 [--json]
    python benchmarks/scale.py --paragraphs 1000 --chroma-server        # starts `chroma run`
    python benchmarks/scale.py --paragraphs 1000 --chroma-url http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: import this checkout's code
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

SHARED = ROOT.parent / "shared" / "eval"
SQUAD = SHARED / "squad2-public.json"
DEV_QUESTIONS = SHARED / "dev_questions.json"
CACHE = ROOT / "benchmarks" / ".cache"


# -- the library ------------------------------------------------------------------------------

def squad_pool() -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """The SQuAD paragraphs as ``(source title, text)`` and each text's answerable questions."""
    data = json.loads(SQUAD.read_text(encoding="utf-8"))
    pool, questions = [], {}
    for a in data["data"]:
        for p in a["paragraphs"]:
            pool.append((a["title"], p["context"]))
            questions[p["context"]] = [qa["question"] for qa in p["qas"]
                                       if not qa.get("is_impossible") and qa["answers"]]
    return pool, questions


def library(paragraphs: int, bundled_paragraphs: int, per_article: int, seed: int) -> list:
    """The recombined SQuAD articles that, with the bundled article, make ``paragraphs``."""
    from index.article import Article, Paragraph

    pool, _ = squad_pool()
    rest = max(paragraphs - bundled_paragraphs, 0)
    articles = []
    for i in range(math.ceil(rest / per_article)):
        rng = random.Random(f"{seed}:{i}")
        size = min(per_article, rest - i * per_article)
        drawn = rng.sample(pool, size)
        topics = ", ".join(dict.fromkeys(t.replace("_", " ") for t, _ in drawn[:3]))
        articles.append(Article(
            id=f"squad-mix-{i:05d}", title=f"SQuAD mix {i:05d}: {topics}", authors=None,
            paragraphs=tuple(Paragraph(j + 1, text) for j, (_, text) in enumerate(drawn)),
            source=f"squad-mix:{seed}:{i}"))
    return articles


def question_sample(articles, count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` answerable SQuAD questions, each with a library article holding its paragraph."""
    _, questions = squad_pool()
    rng = random.Random(f"{seed}:questions")
    out = []
    while articles and len(out) < count:
        article = rng.choice(articles)
        paragraph = rng.choice(article.paragraphs)
        if questions.get(paragraph.text):
            out.append((rng.choice(questions[paragraph.text]), article.id))
    return out


# -- cached vectors ---------------------------------------------------------------------------

def cached_embedding():
    """The shipped model, serving each text's vector from the on-disk cache (computing and
    caching the texts it has not seen). The store calls it like the real one."""
    import numpy as np
    from pydantic import PrivateAttr

    from index.embedding import MODEL_NAME, MiniLMEmbedding

    path = CACHE / MODEL_NAME

    class CachedEmbedding(MiniLMEmbedding):
        _vectors: dict = PrivateAttr(default_factory=dict)
        _added: list = PrivateAttr(default_factory=list)

        def read(self) -> "CachedEmbedding":
            if path.with_suffix(".json").exists():
                texts = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
                self._vectors = dict(zip(texts, np.load(path.with_suffix(".npy"))))
            return self

        def fill(self, texts) -> int:
            """Embed the texts not yet cached (each distinct text once); how many there were."""
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
            for begin in range(0, len(missing), 512):
                part = missing[begin:begin + 512]
                for text, vector in zip(part, MiniLMEmbedding.embed(self, part)):
                    self._vectors[text] = vector
            self._added.extend(missing)
            return len(missing)

        def embed(self, texts, progress=None):
            self.fill(texts)
            if progress is not None:
                progress(len(texts))
            return np.stack([self._vectors[t] for t in texts])

        def save(self) -> None:
            if not self._added:
                return
            CACHE.mkdir(parents=True, exist_ok=True)
            texts = list(self._vectors)
            np.save(path.with_suffix(".npy"), np.stack([self._vectors[t] for t in texts]))
            path.with_suffix(".json").write_text(json.dumps(texts), encoding="utf-8")
            self._added = []

    return CachedEmbedding().read()


# -- the two worker processes -----------------------------------------------------------------

def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def settings_for(args):
    from bot.settings import Settings

    return Settings(data_dir=Path(args.data_dir), chroma_url=args.chroma_url,
                    collection=args.collection, _env_file=None)


def worker_build(args) -> dict:
    """Write the library through the product's store: the bundled article as
    ``python -m index build`` does, then the recombined articles with cached vectors."""
    from index.library import add_article, open_store
    from index.settings import BUNDLED_ARTICLE

    settings = settings_for(args)
    started = time.perf_counter()
    store = open_store(settings)  # the shipped model, for the bundled article
    bundled, _ = add_article(store, str(BUNDLED_ARTICLE))
    articles = library(args.size, bundled.paragraphs, args.per_article, args.seed)

    cached = cached_embedding()
    texts = [t for a in articles
             for t in [a.title, *(p.text for p in a.paragraphs),
                       *(s.text for p in a.paragraphs for s in p.sentences)]]
    embed_started = time.perf_counter()
    new = cached.fill(texts)
    embed_s = time.perf_counter() - embed_started
    cached.save()

    store.embed_model = cached
    for article in articles:
        store.save(article)
    build_s = time.perf_counter() - started - embed_s
    records = store.collection.count()
    return {"build_s": round(build_s, 2), "embed_s": round(embed_s, 2), "embedded_texts": new,
            "distinct_texts": len(set(texts)), "articles": len(articles) + 1,
            "records": records, "build_rss_mb": peak_rss_mb()}


def _quotes(answer) -> list:
    return [answer.answered, [[q.article, q.paragraph, q.text] for q in answer.quotes]]


def worker_ask(args) -> dict:
    """Open the engine on the built store, as the bot does, and time the questions."""
    from bot.engine import Engine

    started = time.perf_counter()
    engine = Engine.open(settings_for(args), ensure_bundled=False)
    engine.warm()
    startup_s = time.perf_counter() - started
    bundled = [q["q"] for q in json.loads(DEV_QUESTIONS.read_text())["questions"]]
    infos = engine.articles()
    single = [(q, None) for q in bundled]
    if len(infos) > 1:
        single += question_sample(library(args.size, engine.article().paragraphs,
                                          args.per_article, args.seed),
                                  args.questions, args.seed)

    warm_started = time.perf_counter()
    engine.ask(single[0][0], library=True)  # builds the library's lexical index
    library_warm_s = time.perf_counter() - warm_started

    def timed(library: bool) -> list[float]:
        seconds = []
        for question, article in single:
            begin = time.perf_counter()
            if library:
                engine.ask(question, library=True)
            else:
                engine.ask(question, article)
            seconds.append(time.perf_counter() - begin)
        return seconds

    for _ in range(args.warm_passes):
        timed(False), timed(True)
    single_s, library_s = timed(False), timed(True)
    quotes = {q: _quotes(engine.ask(q)) for q in bundled}
    return {"startup_s": round(startup_s, 2), "library_warm_s": round(library_warm_s, 2),
            "single_s": single_s, "library_s": library_s, "quotes": quotes,
            "questions": len(single), "rss_mb": peak_rss_mb()}


# -- the driver -------------------------------------------------------------------------------

def run_worker(kind: str, args, size: int, data_dir: Path, url: str | None,
               collection: str) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind,
           "--size", str(size), "--data-dir", str(data_dir), "--collection", collection,
           "--per-article", str(args.per_article), "--seed", str(args.seed),
           "--questions", str(args.questions), "--warm-passes", str(args.warm_passes)]
    if url:
        cmd += ["--chroma-url", url]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"scale: the {kind} worker failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """``chroma run`` on a fresh directory, for one size."""

    def __init__(self, path: Path) -> None:
        import httpx

        chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        port = free_port()
        self.path = path
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen([chroma, "run", "--path", str(path), "--host", "127.0.0.1",
                                      "--port", str(port)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                if self.proc.poll() is not None:
                    raise SystemExit("scale: `chroma run` exited")
                time.sleep(0.2)
        self.stop()
        raise SystemExit("scale: `chroma run` did not answer")

    def peak_rss_mb(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            return None
        return None

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def disk_mb(path: Path) -> float:
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return round(total / 2**20, 1)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def drop_collection(url: str, name: str) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from urllib.parse import urlparse

    parsed = urlparse(url)
    client = chromadb.HttpClient(host=parsed.hostname or "localhost", port=parsed.port or 8000,
                                 settings=ChromaSettings(anonymized_telemetry=False))
    try:
        client.delete_collection(name)
    except Exception:  # not there yet
        pass


def measure(args, size: int, reference: dict, work: Path) -> dict:
    data_dir = work / f"data-{size}"
    server = None
    url = args.chroma_url
    collection = f"quotebot-scale-{size}" if url else "quotebot"
    if args.chroma_server:
        server = ChromaServer(work / f"chroma-{size}")
        url = server.url
    built_file = work / f"build-{size}{'-server' if url else ''}.json"
    try:
        if args.reuse:  # the store an earlier --keep run built, and its build figures
            built = json.loads(built_file.read_text())
        else:
            if args.chroma_url:
                drop_collection(url, collection)  # only the benchmark's own collection
            built = run_worker("build", args, size, data_dir, url, collection)
            built_file.write_text(json.dumps(built))
        asked = run_worker("ask", args, size, data_dir, url, collection)
        server_rss = server.peak_rss_mb() if server else None
    finally:
        if server:
            server.stop()
    if server:
        disk = disk_mb(server.path)
    elif args.chroma_url:
        disk = disk_mb(Path(args.chroma_path)) if args.chroma_path else None
    else:
        disk = disk_mb(data_dir)
    ms = lambda values, share: round(1000 * percentile(values, share), 1)  # noqa: E731
    row = {
        "paragraphs": size,
        "build_s": built["build_s"],
        "p50_ms": ms(asked["single_s"], 0.5),
        "p95_ms": ms(asked["single_s"], 0.95),
        "library_p50_ms": ms(asked["library_s"], 0.5),
        "library_p95_ms": ms(asked["library_s"], 0.95),
        "rss_mb": asked["rss_mb"],
        "disk_mb": disk,
        "bundled_unchanged": asked["quotes"] == reference["quotes"],
        "mode": "server" if url else "embedded",
        "articles": built["articles"],
        "records": built["records"],
        "embed_s": built["embed_s"],
        "startup_s": asked["startup_s"],
        "library_warm_s": asked["library_warm_s"],
        "questions": asked["questions"],
        "build_rss_mb": built["build_rss_mb"],
    }
    if server_rss is not None:
        row["server_rss_mb"] = server_rss
    if not row["bundled_unchanged"]:
        row["changed"] = [q for q in reference["quotes"]
                          if asked["quotes"].get(q) != reference["quotes"][q]]
    if not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)
        if server:
            shutil.rmtree(server.path, ignore_errors=True)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, nargs="+", default=[1000, 10000])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--chroma-url", help="a running Chroma server (collections "
                       "quotebot-scale-N are dropped and rebuilt there)")
    where.add_argument("--chroma-server", action="store_true",
                       help="start `chroma run` on a fresh temporary directory for each size")
    parser.add_argument("--chroma-path", help="with --chroma-url: the server's --path, for disk_mb")
    parser.add_argument("--json", action="store_true", help="one JSON object per size per line")
    parser.add_argument("--per-article", type=int, default=40)
    parser.add_argument("--questions", type=int, default=40,
                        help="SQuAD questions sampled, besides the bundled article's")
    parser.add_argument("--warm-passes", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the stores (printed)")
    parser.add_argument("--work", help="the working directory (default: a new temporary one)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --work: ask on the stores an earlier --keep run built there "
                        "(its build figures are reported), without building them again")
    parser.add_argument("--worker", choices=["build", "ask"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--collection", default="quotebot", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        import logging

        logging.disable(logging.WARNING)
        result = (worker_build if args.worker == "build" else worker_ask)(args)
        print(json.dumps(result))
        return 0

    if args.reuse and not args.work:
        parser.error("--reuse needs --work")
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="quotebot-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.reuse or args.work:
        args.keep = True  # a named working directory is never deleted
    # The reference: a store holding only the bundled article (embedded, as the product's default).
    shutil.rmtree(work / "reference", ignore_errors=True)
    run_worker("build", args, 0, work / "reference", None, "quotebot")
    reference = run_worker("ask", args, 0, work / "reference", None, "quotebot")
    rows = []
    for size in args.paragraphs:
        row = measure(args, size, reference, work)
        rows.append(row)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print(f"{row['paragraphs']:>7,} paragraphs ({row['mode']}, {row['articles']} articles, "
                  f"{row['records']:,} records): build {row['build_s']} s "
                  f"(+{row['embed_s']} s embedding new texts); questions p50 {row['p50_ms']} ms, "
                  f"p95 {row['p95_ms']} ms; library p50 {row['library_p50_ms']} ms, "
                  f"p95 {row['library_p95_ms']} ms (first {row['library_warm_s']} s); "
                  f"peak RSS {row['rss_mb']} MB; disk {row['disk_mb']} MB; "
                  f"bundled unchanged: {row['bundled_unchanged']}", flush=True)
    if args.keep:
        print(f"stores kept in {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(r["bundled_unchanged"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
