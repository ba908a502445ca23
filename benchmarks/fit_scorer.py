"""Fit the answer scorer (bot/scorer.json) on question sets, with leave-one-article-out figures.

    python benchmarks/fit_scorer.py --seed 0 [--out bot/scorer.json]

Data: the public SQuAD 2.0 articles (``shared/eval/squad2-public.json``, CC BY-SA 4.0), the
bundled article's development questions and our own second set (``tests/data/``). Every
article is one group: each group's figures come from models fitted on the *other* groups only
(ranking, confidence and thresholds alike), and are measured by running the product's own
``bot.answer.answer`` on the product's own retrieval features. Every question is asked twice:
of its own article, and of the whole library of every group's article (a candidate is right
only in the question's own article); both are fitted together and reported apart
(``leave_one_article_out`` and ``leave_one_article_out_library``). Every answerable question
is also asked of one other article and of the library without its own article, where it is
off-topic: those teach the confidence (not the ranking) what a question about something the
articles never discuss looks like, and their held-out shares declined are
``off_topic_abstained`` and ``off_topic_abstained_library``; a fold leaves out both the
questions about its article and the questions asked of it. Every answerable question is asked
once more of its own article without the paragraphs that answer it (``missing_passages``):
the subject is there, the answer is not (``missing_passage_abstained``). The shipped file is
then fitted on all groups.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot import answer as extractive  # noqa: E402
from bot.evaluate import Item, judge, load_items, squad_articles  # noqa: E402
from bot.scorer import CONFIDENCE_FEATURES, Scorer, expand, question_features  # noqa: E402
from index.retrieval import FEATURES, Searcher  # noqa: E402

SHARED = ROOT.parent / "shared"
SQUAD = SHARED / "eval" / "squad2-public.json"
QUESTION_SETS = [SHARED / "eval" / "dev_questions.json", ROOT / "tests/data/tuning_questions.json"]
BUNDLED = ROOT / "index" / "articles" / "china-russia-solidarity.txt"
INTERACTIONS = ["dense*overlap", "lexical*overlap", "dense*context", "type_number*dense",
                "type_date*dense", "type_name*dense", "overlap*window_overlap",
                "soft_match*overlap"]
L2 = 1.0  # per question, on standardised inputs
# The confidence threshold refuses this share of the fitted answerable questions. Held out it
# refuses about 1.5 times as many, and up to 5 times as many on one article; at 0.02 three of
# the eight SQuAD articles lost more than the 3 % that issue 7 allows. 0.01 until the
# negation cue, which lowered that threshold: 0.011 keeps off-topic and the bundled article's
# unanswerable questions declined about as often as before (91.3 % and 10 of 13, against
# 92.8 % and 11 of 13); 0.0125 keeps them exactly but costs the library 0.004 of article+¶
# hit@1 (0.01 to 0.015 are measured in docs/scorer.md, "Negated questions").
FALSE_ABSTENTION = 0.011
# Off-topic questions (each answerable question asked of another article, and of the library
# without its own) weigh this much in the confidence's fit, against an article's own
# questions. Held out, with them (before the negation cue), SQuAD's unanswerable questions were
# declined 3.3 % of the time instead of 2.4 % and off-topic ones 92.8 % instead of 91.3 %, and
# the bundled article had no false abstention (one without); weights 0.3 and 3 gave the same
# within a point (docs/scorer.md, "Off-topic questions").
CROSS = 1.0
# Questions whose passage is missing (each answerable question asked of its article without
# the paragraphs that answer it: missing_passages) weigh this much, against an article's own
# questions. Held out (before the type_unmet cue, which they made worth having) they were
# declined 30.2 % of the time instead of 24.6 %, off-topic ones 93.1 % instead of 91.3 %, and
# the bundled article declined 11 of its 13 unanswerable questions instead of 10, for SQuAD's
# unanswerable ones 11.4 % instead of 11.8 %; weight 2 cost SQuAD's more (9.7 %), 0.5 answered
# fewer answerable ones (98.2 % against 98.4 %; docs/scorer.md, "Questions whose passage is
# missing").
MISSING_WEIGHT = 1.0


# -- data ---------------------------------------------------------------------------------------

def open_store(path: Path):
    from index.embedding import MiniLMEmbedding
    from index.loaders import load_article
    from index.store import ArticleStore

    store = ArticleStore.open(path=path, name="fit", embed_model=MiniLMEmbedding())
    data = json.loads(SQUAD.read_text(encoding="utf-8"))
    articles = squad_articles(data)
    for a in articles:
        store.save(a)
    bundled = load_article(str(BUNDLED))
    store.save(bundled)
    return store, data, [a.id for a in articles], bundled.id


def gold_sentences(item: Item, state) -> set[int]:
    """The sentences holding a gold answer: by character span (SQuAD) or phrase."""
    stored = state.stored
    found: set[int] = set()
    for i, s in enumerate(stored.sentences):
        if item.paragraph is not None:
            if s.paragraph == item.paragraph and any(a >= s.start and b <= s.end
                                                     for a, b in item.spans):
                found.add(i)
        else:
            text = stored.article.paragraph(s.paragraph).text
            for phrase in item.gold:
                at = text.find(phrase)
                while at >= 0:
                    if at < s.end and at + len(phrase) > s.start:
                        found.add(i)
                    at = text.find(phrase, at + 1)
    if not found and item.paragraph is not None:  # a span across a sentence boundary
        found = {i for i, s in enumerate(stored.sentences) if s.paragraph == item.paragraph
                 and any(a < s.end and b > s.start for a, b in item.spans)}
    return found


class Cached:
    """A Searcher stand-in that serves evidence computed once (the features do not depend on
    the scorer), so that every fold is scored by the real ``answer`` function quickly."""

    def __init__(self, searcher: Searcher, evidence) -> None:
        self.searcher, self.evidence = searcher, evidence

    def retrieve(self, question, vector, infos, **_):
        return self.evidence

    def state(self, info):
        return self.searcher.state(info)

    @property
    def terms(self):
        return self.searcher.terms


def extract(store, items_by_group, embed):
    """Evidence (with features) and labels for every question, through the product's Searcher:
    once asked of its own article, once of the whole library (every group's article), where a
    candidate is right only in the question's own article."""
    rows = []
    infos = {i.id: i for i in store.infos()}
    library = [infos[g] for g in items_by_group]
    shared = Searcher(store)
    for group, items in items_by_group.items():
        searcher = Searcher(store)
        info = infos[group]
        state = searcher.state(info)
        vectors = embed([it.question for it in items])
        started = time.perf_counter()
        for item, vector in zip(items, vectors):
            gold = gold_sentences(item, state) if item.answerable else set()
            for mode, where, scope in (("single", searcher, [info]), ("library", shared, library)):
                evidence = where.retrieve(item.question, vector, scope)
                labels = np.array([c.article == group and c.index in gold
                                   for c in evidence.candidates], dtype=bool)
                rows.append({"group": group, "mode": mode, "item": item, "evidence": evidence,
                             "labels": labels, "infos": scope, "vector": vector})
        print(f"  {group}: {len(items)} questions, "
              f"{1000 * (time.perf_counter() - started) / max(len(items), 1):.0f} ms each "
              f"(single and library)", file=sys.stderr)
    # Off-topic questions: every answerable question asked of one other article (drawn with a
    # fixed seed), and of the library without its own article, where it has no answer.
    # SQuAD's unanswerable questions were written to look answerable from their own
    # paragraph; a reader's usually ask about something the articles never discuss, and these
    # are that kind.
    rng = np.random.default_rng(0)
    groups = list(items_by_group)
    for group, items in items_by_group.items():
        others = [g for g in groups if g != group]
        asked = [it for it in items if it.answerable]
        vectors = embed([it.question for it in asked])
        for item, vector in zip(asked, vectors):
            other = others[int(rng.integers(len(others)))]
            for mode, where, scope in (("cross", other, [infos[other]]),
                                       ("cross-library", group, [infos[g] for g in others])):
                rows.append(_asked_where_not(shared, item, vector, scope, where, group, mode))
    rows += missing_passages(store, infos, items_by_group, embed, shared)
    return rows


def _asked_where_not(searcher, item, vector, scope, group, source, mode) -> dict:
    """A row for answerable ``item`` asked of ``scope``, which does not hold its answer."""
    evidence = searcher.retrieve(item.question, vector, scope)
    return {"group": group, "source": source, "mode": mode,
            "item": replace(item, answerable=False, article=None), "evidence": evidence,
            "labels": np.zeros(len(evidence.candidates), dtype=bool), "infos": scope,
            "vector": vector}


def missing_passages(store, infos, items_by_group, embed, searcher):
    """Answerable questions asked of their own article without the paragraphs that answer
    them, where they have no answer: the article is about the question's subject but does not
    say it, as when a reader asks an article on China and Russia how large China's army is.
    Each article's answering paragraphs (those of each question) are taken out in turn; the
    rest is the same article, with the same vectors (nothing is embedded again)."""
    from index.article import Article, Paragraph

    rows = []
    for group, items in items_by_group.items():
        state = searcher.state(infos[group])
        stored = state.stored
        asked: dict[tuple[int, ...], list] = {}
        for item in items:
            if item.answerable:
                gold = gold_sentences(item, state)
                if gold:
                    key = tuple(sorted({stored.sentences[i].paragraph for i in gold}))
                    asked.setdefault(key, []).append(item)
        started = time.perf_counter()
        for key in sorted(asked):
            removed = set(key)
            kept = [p for p in stored.article.paragraphs if p.number not in removed]
            if not kept:
                continue
            variant = Article(
                id=f"{group}--without-{'-'.join(map(str, key))}",
                title=stored.article.title, authors=stored.article.authors,
                paragraphs=tuple(Paragraph(j + 1, p.text) for j, p in enumerate(kept)),
                source="missing")
            vectors = np.array([v for s, v in zip(stored.sentences, stored.sentence_vectors)
                                if s.paragraph not in removed], dtype=np.float32)
            assert len(vectors) == len(variant.sentences)
            info, _ = store.save(variant, embedded=(vectors, stored.title_vector))
            items_here = asked[key]
            for item, vector in zip(items_here, embed([it.question for it in items_here])):
                rows.append(_asked_where_not(searcher, item, vector, [info], group, group,
                                             "missing"))
        print(f"  {group}: {len(asked)} answering passages taken out in turn, "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return rows


def off_topic(row) -> bool:
    """An answerable question asked where its answer is not (another article, a library
    without its own, its article without the passage): the confidence's, not the ranking's."""
    return row["mode"].startswith("cross") or row["mode"] == "missing"


def _kind(row) -> str:
    """``own`` (a question asked of its own article or library), ``cross`` or ``missing``."""
    if row["mode"] == "missing":
        return "missing"
    return "cross" if off_topic(row) else "own"


# -- ranking: a conditional logit (softmax over each question's candidates) --------------------


def _kind_weights(cross: float = 0.0, missing: float = 0.0) -> dict[str, float]:
    return {"own": 1.0, "cross": cross, "missing": missing}


def _group_weights(rows, weight: dict[str, float] | None = None) -> np.ndarray:
    """Every article weighs the same, however many questions it has (mean weight 1); each
    :func:`_kind` of its rows weighs ``weight[kind]`` times its own questions: the off-topic
    ones (asked of it, or its own asked of a library without it) ``cross``, its questions
    asked without their paragraphs ``missing``."""
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r["group"], _kind(r))
        counts[key] = counts.get(key, 0) + 1
    weight = weight or _kind_weights()
    w = np.array([weight[_kind(r)] / counts[r["group"], _kind(r)] for r in rows])
    return w * len(rows) / w.sum()


def fit_ranking(rows, names, l2=L2, matrix=None):
    """The conditional logit on each row's candidates: ``expand(evidence matrix, names)``,
    or ``matrix(row)`` when given (``question_adapter.py`` fits extra columns this way)."""
    from scipy.optimize import minimize

    matrix = matrix or (lambda r: expand(r["evidence"].matrix, names))
    train = [r for r in rows if r["item"].answerable and r["labels"].any()]
    weight = _group_weights(train)
    X = np.concatenate([matrix(r) for r in train])
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale < 1e-6] = 1.0
    X = (X - mean) / scale
    sizes = np.array([len(r["labels"]) for r in train])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    pos = np.concatenate([r["labels"] for r in train])
    group = np.repeat(np.arange(len(train)), sizes)

    def loss(w):
        s = X @ w
        m = np.maximum.reduceat(s, starts)
        e = np.exp(s - m[group])
        z_all = np.add.reduceat(e, starts)
        z_pos = np.add.reduceat(np.where(pos, e, 0.0), starts)
        value = np.sum(weight * (np.log(z_all) - np.log(z_pos))) + l2 * len(train) / 1000 * w @ w
        p_all = e / z_all[group]
        p_pos = np.where(pos, e, 0.0) / z_pos[group]
        grad = X.T @ ((p_all - p_pos) * weight[group]) + 2 * l2 * len(train) / 1000 * w
        return value, grad

    result = minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B",
                      options={"maxiter": 500})
    return {"features": list(names), "mean": mean.tolist(), "scale": scale.tolist(),
            "coef": result.x.tolist()}


def fit_confidence(rows, ranking, seed, weight: dict[str, float]):
    from sklearn.linear_model import LogisticRegression

    scorer = _scorer(ranking, None)
    X, y = [], []
    for r in rows:
        scores = scorer.scores(r["evidence"].matrix) if r["evidence"].candidates else np.zeros(0)
        X.append(question_features(r["evidence"], scores))
        y.append(r["item"].answerable)
    X, y = np.array(X), np.array(y)
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale < 1e-6] = 1.0
    model = LogisticRegression(C=1.0, max_iter=2000, random_state=seed)
    model.fit((X - mean) / scale, y, sample_weight=_group_weights(rows, weight))
    probs = model.predict_proba((X - mean) / scale)[:, 1]
    threshold = float(np.quantile(probs[y], FALSE_ABSTENTION))
    return ({"features": list(CONFIDENCE_FEATURES), "mean": mean.tolist(),
             "scale": scale.tolist(), "coef": model.coef_[0].tolist(),
             "intercept": float(model.intercept_[0])}, threshold)


QUOTE_SETTINGS = [{"grow_share": g, "further_prob": p}
                  for g in (0.0, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0)
                  for p in (0.0, 0.01, 0.02, 0.05, 0.1)]


def _objective(f: dict) -> float:
    """What a reader gains: the right passage first, else among the quotes; fewer quotes, and
    a first quote no longer than it needs to be (ten more words of it must find the answer for
    one more question in a hundred)."""
    return (f["quote_hit@1"] + f["paragraph_hit@3"] - 0.01 * f["quotes_per_answer"]
            - 0.001 * (f["first_quote_words"] or 0.0))


def _scorer(ranking, confidence, threshold=0.0, quotes=None) -> Scorer:
    confidence = confidence or {"features": list(CONFIDENCE_FEATURES),
                                "mean": [0.0] * len(CONFIDENCE_FEATURES),
                                "scale": [1.0] * len(CONFIDENCE_FEATURES),
                                "coef": [0.0] * len(CONFIDENCE_FEATURES), "intercept": 0.0}
    return Scorer.from_dict({"ranking": ranking, "confidence": confidence,
                             "min_confidence": threshold,
                             "quotes": quotes or {"grow_share": 0.5, "further_prob": 0.1}})


def fit_all(rows, names, seed, cross: float = 0.0, missing: float = 0.0):
    ranking = fit_ranking([r for r in rows if not off_topic(r)], names)
    weight = _kind_weights(cross, missing)
    confidence, threshold = fit_confidence([r for r in rows if weight[_kind(r)]], ranking, seed,
                                           weight)
    return ranking, confidence, threshold


# -- scoring through the product's answer function ---------------------------------------------

def run(rows, scorer: Scorer):
    """Answer every row with ``scorer`` (through bot.answer.answer) and judge it."""
    out = []
    for r in rows:
        cached = Cached(r["searcher"], r["evidence"])
        by_id = {i.id: i for i in r["infos"]}
        result = extractive.answer(r["item"].question, cached, r["infos"], r["vector"],
                                   r["item"].question, scorer, focus=r.get("focus"))

        def text_of(article_id, number):
            return cached.state(by_id[article_id]).stored.article.paragraph(number).text

        out.append((r, result, judge(r["item"], result, text_of)))
    return out


def figures(judged) -> dict:
    answerable = [j for r, _, j in judged if r["item"].answerable]
    unanswerable = [j for r, _, j in judged if not r["item"].answerable]
    n = max(len(answerable), 1)
    shown = sum(j["quotes"] for _, _, j in judged)
    words = [len(res.quotes[0].text.split()) for _, res, _ in judged if res.quotes]
    return {
        "questions": len(judged),
        "paragraph_hit@1": round(sum(j["hit1"] for j in answerable) / n, 3),
        "paragraph_hit@3": round(sum(j["hit3"] for j in answerable) / n, 3),
        "quote_hit@1": round(sum(j["quote1"] for j in answerable) / n, 3),
        "answered": round(sum(j["answered"] for j in answerable) / n, 3),
        "abstained": (round(sum(not j["answered"] for j in unanswerable) / len(unanswerable), 3)
                      if unanswerable else None),
        "quotes_per_answer": round(shown / max(sum(j["answered"] for _, _, j in judged), 1), 2),
        "first_quote_words": float(np.median(words)) if words else None,
        "verbatim": round(sum(j["verbatim"] for _, _, j in judged) / max(shown, 1), 3),
    }


def tradeoff(rows_conf) -> list[dict]:
    """Abstention on unanswerable against false abstention on answerable, by threshold."""
    conf = np.array([c for c, _ in rows_conf])
    ok = np.array([a for _, a in rows_conf])
    curve = []
    for t in [0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5,
              0.6, 0.7, 0.8]:
        curve.append({"threshold": t,
                      "false_abstention": round(float((conf[ok] < t).mean()), 3),
                      "abstention": round(float((conf[~ok] < t).mean()), 3)})
    return curve


def extraction_code() -> str:
    """A fingerprint of the code that turns questions into candidates and features, so that
    ``--reuse`` never fits on features that another version extracted."""
    import hashlib
    import inspect

    digest = hashlib.sha256((inspect.getsource(extract)
                             + inspect.getsource(missing_passages)).encode())
    for path in sorted([*(ROOT / "index").glob("*.py"), ROOT / "bot" / "evaluate.py"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--store", type=Path, default=ROOT / "benchmarks" / ".cache" / "fit-store")
    parser.add_argument("--out", type=Path, default=ROOT / "bot" / "scorer.json")
    parser.add_argument("--report", type=Path, default=None, help="write the figures as JSON")
    parser.add_argument("--without", nargs="*", default=[], metavar="FEATURE",
                        help="leave these features (and their products) out: ablations")
    parser.add_argument("--modes", nargs="+", default=["single", "library"],
                        choices=["single", "library"],
                        help="fit on questions asked of their own article, of the whole "
                             "library (the question's article among the others), or both")
    parser.add_argument("--cross", type=float, default=CROSS, metavar="WEIGHT",
                        help="the weight of off-topic questions (each answerable question "
                             "asked of another article, and of the library without its own) in "
                             "the confidence's fit, against an article's own questions; 0 "
                             "leaves them out")
    parser.add_argument("--missing", type=float, default=MISSING_WEIGHT, metavar="WEIGHT",
                        help="the weight of answerable questions asked of their article "
                             "without the paragraphs that answer them, in the confidence's "
                             "fit; 0 leaves them out")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the features extracted by the previous run when the code that "
                             "extracts them has not changed since")
    args = parser.parse_args()
    np.random.seed(args.seed)

    store, data, squad_ids, bundled_id = open_store(args.store)
    items_by_group: dict[str, list[Item]] = {}
    for item in load_items(data):
        items_by_group.setdefault(item.article, []).append(item)
    for path in QUESTION_SETS:
        if path.exists():
            questions = json.loads(path.read_text(encoding="utf-8"))
            items_by_group.setdefault(bundled_id, []).extend(
                replace(i, article=bundled_id) for i in load_items(questions))

    names = list(FEATURES) + INTERACTIONS + ["para_lexical*dense"]
    names = [n for n in names if not set(n.split("*")) & set(args.without)]
    print(f"features: {len(names)}", file=sys.stderr)
    cache = args.store / "rows.pkl"
    import pickle

    saved = pickle.loads(cache.read_bytes()) if args.reuse and cache.exists() else None
    if isinstance(saved, dict) and saved.get("code") == extraction_code():
        rows = saved["rows"]
    else:
        if saved is not None:
            print("the saved features came from other code: extracting again", file=sys.stderr)
        rows = extract(store, items_by_group, store.embed_model.embed)
        for r in rows:
            r["searcher"] = None  # holds locks and the store; rebuilt below
        cache.write_bytes(pickle.dumps({"code": extraction_code(), "rows": rows}))
    searchers = {}
    default = next(i for i in store.infos() if i.id == bundled_id)
    for r in rows:
        searcher = searchers.setdefault(r["group"], Searcher(store))
        r["searcher"] = searcher
        # as `python -m bot ask --all` asks: "the article" means the default (bundled) one
        r["focus"] = default if r["mode"] == "library" else None
    fit_rows = [r for r in rows if r["mode"] in args.modes or off_topic(r)]

    # Leave one article out: every figure of a group comes from models fitted on the others.
    groups = list(items_by_group)
    modes = sorted({r["mode"] for r in rows if not off_topic(r)}, reverse=True)  # single, library
    of = {(g, m): [r for r in rows if r["group"] == g and r["mode"] == m]
          for g in groups for m in modes}
    fold_scorers = {}
    for group in groups:
        train = [r for r in fit_rows if group not in (r["group"], r.get("source"))]
        fold_scorers[group] = fit_all(train, names, args.seed, args.cross, args.missing)
    # The quote settings (when a neighbour joins the first quote, when a further quote is
    # shown) are chosen, for each article, on the other articles' held-out answers.
    by_setting, table = {}, {}
    for k, setting in enumerate(QUOTE_SETTINGS):
        got = {(g, m): figures(run(of[g, m], _scorer(*fold_scorers[g], quotes=setting)))
               for g in groups for m in modes}
        by_setting[k] = {g: np.mean([_objective(got[g, m]) for m in modes]) for g in groups}
        table[k] = {key: round(float(np.mean([got[g, m][key] for g in groups for m in modes])), 3)
                    for key in ("quote_hit@1", "paragraph_hit@3", "quotes_per_answer",
                                "first_quote_words")}
        print(f"  quotes {setting}: {table[k]}", file=sys.stderr)
    held_out = {m: {} for m in modes}
    confidences = []
    chosen = {}
    for group in groups:
        chosen[group] = QUOTE_SETTINGS[max(by_setting, key=lambda k: np.mean(
            [by_setting[k][g] for g in groups if g != group]))]
        for mode in modes:
            judged = run(of[group, mode], _scorer(*fold_scorers[group], quotes=chosen[group]))
            held_out[mode][group] = judged
            if mode == "single":
                confidences += [(result.confidence or 0.0, r["item"].answerable)
                                for r, result, _ in judged if group in squad_ids]
    quotes = QUOTE_SETTINGS[max(by_setting, key=lambda k: np.mean(
        [by_setting[k][g] for g in groups]))]
    print("quote settings chosen per held-out article:", chosen, "final:", quotes,
          file=sys.stderr)
    report = {}
    for mode in modes:
        suffix = "" if mode == "single" else f"_{mode}"
        report[f"leave_one_article_out{suffix}"] = {
            "squad_public_overall": figures([j for g in squad_ids for j in held_out[mode][g]]),
            "per_article": {g: figures(held_out[mode][g]) for g in groups},
        }
    report["confidence_tradeoff_squad"] = tradeoff(confidences)
    # Off-topic questions, judged by the models fitted without the article: its own questions
    # asked of another article and other articles' questions asked of it; in a library, its
    # questions asked of the other articles.
    for mode, key in (("cross", "off_topic_abstained"),
                      ("cross-library", "off_topic_abstained_library"),
                      ("missing", "missing_passage_abstained")):
        declined = {}
        for group in groups:
            asked = [r for r in rows if r["mode"] == mode and group in (r["group"], r["source"])]
            judged = run(asked, _scorer(*fold_scorers[group], quotes=chosen[group]))
            declined[group] = round(sum(not j["answered"] for _, _, j in judged) / len(judged),
                                    3)
        report[key] = declined
        print(f"off-topic questions declined, held out ({mode}):", declined, file=sys.stderr)

    ranking, confidence, threshold = fit_all(fit_rows, names, args.seed, args.cross, args.missing)
    params = {
        "fitted_on": {"squad_public": squad_ids, "bundled_questions": [str(p.name) for p in
                                                                       QUESTION_SETS],
                      "seed": args.seed,
                      "modes": list(args.modes), "off_topic_weight": args.cross,
                      "missing_passage_weight": args.missing},
        "ranking": ranking, "confidence": confidence, "min_confidence": round(threshold, 4),
        "quotes": quotes,
        "figures": report,
    }
    args.out.write_text(json.dumps(params, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
    if args.report:
        args.report.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
