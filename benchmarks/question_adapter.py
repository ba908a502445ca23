"""Experiment (not shipped): a learned question adapter for the dense cosine, leave one article out.

    python benchmarks/fit_scorer.py --seed 0          # writes the feature cache this reads
    python benchmarks/question_adapter.py [--rank 16] [--l2 30] [--columns adapted adapted_context]
                                          [--in-fold | --residual] [--protocol]

The adapter maps a question's MiniLM vector q to q' = normalise(q + U Vᵀ q) (rank ``--rank``,
L2 ``--l2`` on U and V, so it stays near the identity), fitted by softmax cross-entropy over each
answerable question's candidates (the positives are fit_scorer's: sentences holding a gold
answer), on the training articles only. Its cosines to the candidate sentence (``adapted``) and
to the sentence's paragraph vector (``adapted_context``) are added to the ranking features.

Which adapter gives a row its column:

- default (out of fold): the adapter fitted without the row's article, for every row; the
  ranking model of each held-out article is then fitted as fit_scorer fits it. Optimistic: the
  adapters behind the training rows' columns saw the held-out article (not leakage into its own
  column, but not a clean split either), so it bounds what the idea can give from above;
- ``--in-fold``: per held-out article, one adapter fitted on the other articles gives every
  row's column, training rows included (they then look better than held-out ones do);
- ``--residual``: as the default, but the adapter is fitted to what the ranking model misses:
  a question's candidate scores are the baseline ranking score (fitted on the same articles)
  plus ``--tau`` × the adapted cosine.

Printed: the adapter alone (sentence hit@1 of the cosine, raw against adapted, held out and on
the adapter's training articles) and a quick ranking figure per article (the top candidate's
paragraph holds a positive; it tracks fit_scorer's paragraph hit@1 within half a point),
without and with the columns. With
``--protocol`` (default variant only), fit_scorer's own protocol (``bot.answer.answer``,
confidence, quote settings) runs on the rows with the columns, into a scratch folder; the
shipped ``bot/scorer.json`` is never written.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import fit_scorer as fs  # noqa: E402
from bot.scorer import expand  # noqa: E402
from index import retrieval  # noqa: E402

DIM = 384
BUNDLED = "china-russia-solidarity"
NAMES = list(fs.FEATURES) + fs.INTERACTIONS + ["para_lexical*dense"]


def prepare(rows) -> None:
    """Each row's candidate sentence and paragraph vectors, through the state accessors."""
    for r in rows:
        cs = r["evidence"].candidates
        r["S"] = (np.stack([c.state.vector(c.index) for c in cs]).astype(np.float64) if cs
                  else np.zeros((0, DIM)))
        r["C"] = (np.stack([c.state.context(c.sentence.paragraph) for c in cs]).astype(np.float64)
                  if cs else np.zeros((0, DIM)))
        r["para"] = np.array([c.sentence.paragraph for c in cs], dtype=int)
        r["own"] = np.array([c.article == r["group"] for c in cs], dtype=bool)
        r["base"] = (expand(r["evidence"].matrix, NAMES) if cs
                     else np.zeros((0, len(NAMES))))


def fit_adapter(rows, rank: int, l2: float, offsets=None, tau: float = 20.0, seed: int = 0):
    """U, V minimising the softmax cross-entropy of tau × cos(q', sentence) (plus ``offsets``,
    a list of per-row score arrays, when given) over the answerable rows' candidates."""
    from scipy.optimize import minimize

    keep = [k for k, r in enumerate(rows) if r["item"].answerable and r["labels"].any()]
    train = [rows[k] for k in keep]
    weight = fs._group_weights(train)
    n, m = len(train), max(len(r["labels"]) for r in train)
    S = np.zeros((n, m, DIM))
    mask = np.zeros((n, m), bool)
    pos = np.zeros((n, m), bool)
    offset = np.zeros((n, m))
    for j, (k, r) in enumerate(zip(keep, train)):
        size = len(r["labels"])
        S[j, :size], mask[j, :size], pos[j, :size] = r["S"], True, r["labels"]
        if offsets is not None:
            offset[j, :size] = offsets[k]
    Q = np.stack([r["vector"] for r in train]).astype(np.float64)
    reg = l2 * n / 1000  # per question, as fit_scorer's L2

    def loss(x):
        U, V = x[:DIM * rank].reshape(DIM, rank), x[DIM * rank:].reshape(DIM, rank)
        A = Q @ V
        Z = Q + A @ U.T
        norm = np.linalg.norm(Z, axis=1, keepdims=True)
        Qa = Z / norm
        s = np.where(mask, offset + tau * np.einsum("nmd,nd->nm", S, Qa), -1e9)
        e = np.exp(s - s.max(axis=1, keepdims=True)) * mask
        z_all, z_pos = e.sum(axis=1), (e * pos).sum(axis=1)
        value = np.sum(weight * (np.log(z_all) - np.log(z_pos)))
        g = (e / z_all[:, None] - e * pos / z_pos[:, None]) * weight[:, None]
        dQa = tau * np.einsum("nm,nmd->nd", g, S)
        dZ = (dQa - Qa * (dQa * Qa).sum(axis=1, keepdims=True)) / norm
        value += reg * (np.sum(U * U) + np.sum(V * V))
        return value, np.concatenate([(dZ.T @ A + 2 * reg * U).ravel(),
                                      (Q.T @ (dZ @ U) + 2 * reg * V).ravel()])

    rng = np.random.default_rng(seed)
    x0 = np.concatenate([np.zeros(DIM * rank), rng.normal(0.0, 0.05, DIM * rank)])
    result = minimize(loss, x0, jac=True, method="L-BFGS-B", options={"maxiter": 300})
    return result.x[:DIM * rank].reshape(DIM, rank), result.x[DIM * rank:].reshape(DIM, rank)


def adapt(adapter, q: np.ndarray) -> np.ndarray:
    if adapter is None:
        return q
    U, V = adapter
    z = q + U @ (V.T @ q)
    return z / np.linalg.norm(z)


def columns(r, adapter, names) -> np.ndarray:
    q = adapt(adapter, r["vector"].astype(np.float64))
    values = {"adapted": r["S"] @ q, "adapted_context": r["C"] @ q}
    return np.stack([values[n] for n in names], axis=1)


def fit_rank(rows):
    """fit_scorer.fit_ranking's model on the rows' ``X`` (the same loss and L2)."""
    fitted = fs.fit_ranking(rows, [], matrix=lambda r: r["X"])
    mean, scale, w = (np.array(fitted[k]) for k in ("mean", "scale", "coef"))
    return lambda r: ((r["X"] - mean) / scale) @ w


def quick(rows, score) -> tuple[int, int, int]:
    """Answerable questions whose top candidate's (top 3 paragraphs') paragraph holds a positive."""
    hit1 = hit3 = n = 0
    for r in rows:
        if not r["item"].answerable:
            continue
        n += 1
        if not r["labels"].any():
            continue
        s = score(r)
        gold = {(True, int(p)) for p, ok in zip(r["para"], r["labels"]) if ok}
        ranked = list(dict.fromkeys((bool(r["own"][k]), int(r["para"][k])) for k in np.argsort(-s)))
        hit1 += ranked[0] in gold
        hit3 += bool(set(ranked[:3]) & gold)
    return hit1, hit3, n


def cosine_hit(rows, adapter) -> float:
    """Sentence hit@1 of the cosine alone, asked of the question's own article."""
    hits = [r["labels"][np.argmax(r["S"] @ adapt(adapter, r["vector"].astype(np.float64)))]
            for r in rows if r["mode"] == "single" and r["item"].answerable and r["labels"].any()]
    return float(np.mean(hits))


def lao(rows, groups, label: str) -> dict:
    got = {}
    for g in groups:
        score = fit_rank([r for r in rows if r["group"] != g])
        for mode in ("single", "library"):
            got[g, mode] = quick([r for r in rows if r["group"] == g and r["mode"] == mode], score)
    out = {}
    for mode in ("single", "library"):
        h1, h3, n = np.sum([got[g, mode] for g in groups if g != BUNDLED], axis=0)
        b1, b3, bn = got[BUNDLED, mode]
        out[mode] = {"squad_hit@1": round(h1 / n, 4), "squad_hit@3": round(h3 / n, 4),
                     "bundled_hit@1": round(b1 / bn, 4), "bundled_hit@3": round(b3 / bn, 4),
                     "per_article_hit@1": {g: round(got[g, mode][0] / got[g, mode][2], 3)
                                           for g in groups}}
        print(f"{label} {mode}: SQuAD {out[mode]['squad_hit@1']:.4f} / "
              f"{out[mode]['squad_hit@3']:.4f}, bundled {b1}/{bn}, {b3}/{bn}", flush=True)
    return out


def protocol(rows, store: Path, names, scratch: Path, seed: int) -> None:
    """fit_scorer's full protocol on the rows with the columns appended to every candidate's
    features (registered as extra features, only in this process)."""
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / "store"
    shutil.copytree(store, copy, dirs_exist_ok=True)
    for r in rows:
        for c, extra in zip(r["evidence"].candidates, r.pop("cols")):
            c.features = np.concatenate([c.features, extra.astype(np.float32)])
        for key in ("S", "C", "para", "own", "base", "X"):
            r.pop(key, None)
    (copy / "rows.pkl").write_bytes(pickle.dumps(rows))
    retrieval.FEATURES = retrieval.FEATURES + tuple(names)
    for name in names:
        retrieval.F[name] = len(retrieval.F)
    fs.INTERACTIONS = fs.INTERACTIONS + list(names)  # fit_scorer's feature list gains them
    sys.argv = ["fit_scorer.py", "--seed", str(seed), "--reuse", "--store", str(copy),
                "--out", str(scratch / "scorer.json"), "--report", str(scratch / "report.json")]
    fs.main()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=ROOT / "benchmarks" / ".cache" / "fit-store")
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--l2", type=float, default=30.0)
    parser.add_argument("--tau", type=float, default=20.0,
                        help="the cosine's scale in the adapter's softmax")
    parser.add_argument("--columns", nargs="+", default=["adapted", "adapted_context"],
                        choices=["adapted", "adapted_context"])
    variant = parser.add_mutually_exclusive_group()
    variant.add_argument("--in-fold", action="store_true")
    variant.add_argument("--residual", action="store_true")
    parser.add_argument("--protocol", type=Path, default=None, metavar="SCRATCH",
                        help="run fit_scorer's protocol with the columns, into this folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--report", type=Path, default=None)
    args = parser.parse_args()
    if args.protocol and (args.in_fold or args.residual):
        parser.error("--protocol runs the default (out-of-fold) variant only")

    started = time.perf_counter()
    rows = pickle.loads((args.store / "rows.pkl").read_bytes())
    prepare(rows)
    groups = list(dict.fromkeys(r["group"] for r in rows))
    report = {"config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}}
    for r in rows:
        r["X"] = r["base"]
    report["base"] = lao(rows, groups, "without adapter")

    adapters, alone = {}, {}
    for g in groups:
        train = [r for r in rows if r["group"] != g]
        offsets = None
        if args.residual:
            for r in rows:
                r["X"] = r["base"]
            score = fit_rank(train)
            offsets = [score(r) for r in train]
        adapters[g] = fit_adapter(train, args.rank, args.l2, offsets, args.tau, args.seed)
        held = [r for r in rows if r["group"] == g]
        alone[g] = {"held_out": (round(cosine_hit(held, None), 3),
                                 round(cosine_hit(held, adapters[g]), 3)),
                    "training": (round(cosine_hit(train, None), 3),
                                 round(cosine_hit(train, adapters[g]), 3))}
        print(f"  {g}: cosine alone, sentence hit@1 held out {alone[g]['held_out'][0]:.3f} -> "
              f"{alone[g]['held_out'][1]:.3f}, training {alone[g]['training'][0]:.3f} -> "
              f"{alone[g]['training'][1]:.3f} ({time.perf_counter() - started:.0f} s)",
              flush=True)
    report["cosine_alone"] = alone

    if args.in_fold:
        got = {}
        for g in groups:
            for r in rows:
                r["X"] = np.hstack([r["base"], columns(r, adapters[g], args.columns)])
            score = fit_rank([r for r in rows if r["group"] != g])
            for mode in ("single", "library"):
                got[g, mode] = quick([r for r in rows if r["group"] == g and r["mode"] == mode],
                                     score)
        report["with_adapter"] = {}
        for mode in ("single", "library"):
            h1, h3, n = np.sum([got[g, mode] for g in groups if g != BUNDLED], axis=0)
            report["with_adapter"][mode] = {"squad_hit@1": round(h1 / n, 4),
                                            "squad_hit@3": round(h3 / n, 4),
                                            "bundled": got[BUNDLED, mode]}
            print(f"with adapter (in fold) {mode}: SQuAD {h1 / n:.4f} / {h3 / n:.4f}, "
                  f"bundled {got[BUNDLED, mode]}", flush=True)
    else:
        for r in rows:
            r["cols"] = columns(r, adapters[r["group"]], args.columns)
            r["X"] = np.hstack([r["base"], r["cols"]])
        report["with_adapter"] = lao(rows, groups, "with adapter (out of fold)")
    report["seconds"] = round(time.perf_counter() - started)
    print(json.dumps(report, indent=1))
    if args.report:
        args.report.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if args.protocol:
        protocol(rows, args.store, args.columns, args.protocol, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
