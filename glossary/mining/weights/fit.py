"""Fit the boundary weights on texts with answer keys, and report how well they carry over.

    python -m glossary.mining.weights.fit SHARED [--write] [--iterations N]

``SHARED`` is the folder with ``corpus/`` + ``eval/gold/`` (seed articles) and
``dev/texts/`` + ``dev/gold/`` (development texts), and ``eval/score.py``,
the scorer. The script

1. mines every text alone and, for each Chinese-first mention, labels the
   boundary options that the answer key accepts;
2. fits a linear ranking model over the options' features (softmax over the
   options of one mention, L2-regularised, full-batch AdaGrad from zero: no
   randomness, the same weights every run), in two rounds because the miner
   reads a batch twice: the first fit, on features read without a first
   reading, gives the first reading's weights; the features that reading
   teaches are fitted again. Nothing depends on the weights shipped before;
3. prints, for each text, the figures with weights fitted (both rounds) on
   all the *other* texts (leave-one-text-out: the estimate for text the miner
   has never seen), the micro-averaged totals per set, and the same with the weights
   fitted on everything (in-sample);
4. with ``--write``, saves the weights fitted on all texts to
   ``boundary.json`` beside this script, with the leave-one-text-out figures.

Standard library only; the scorer is imported from ``SHARED/eval``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..boundary import Option, collect_options
from ..candidates import boundary_contexts, mine_texts, read_mentions, reading_lexicon, stated_names, tidy_zh
from ..learned import Learned, learn_expansions
from ..reading import decode_document

HERE = Path(__file__).resolve().parent
L2 = 1.0  # per feature, against the summed log-likelihood: keeps rare features near zero
# Features the answer keys cannot teach, because fitting runs with an empty glossary: their weights
# are set, not fitted. What the glossary already pairs with this English is strong evidence.
PRIORS = {"glossary_pair": 3.0, "glossary_term": 1.0}
STEP = 0.5
SURE = 0.9  # a mined pair this confident is evidence for other papers


@dataclass
class Text:
    """One text with its answer key."""

    name: str
    group: str  # seed or dev
    path: Path
    gold: Path

    def read(self) -> str:
        return decode_document(self.path.read_bytes(), str(self.path))


def find_texts(shared: Path) -> list[Text]:
    """The seed articles and development texts that have answer keys."""
    texts = []
    for path in sorted((shared / "corpus").glob("*.txt")):
        gold = shared / "eval" / "gold" / (path.name.split("_")[0] + ".tsv")
        if gold.exists():
            texts.append(Text(path.stem, "seed", path, gold))
    for path in sorted((shared / "dev" / "texts").glob("*.txt")):
        gold = shared / "dev" / "gold" / (path.stem + ".tsv")
        if gold.exists():
            texts.append(Text(path.stem, "dev", path, gold))
    return texts


def definitions(text: Text) -> list[tuple[str, str, float]]:
    """``(abbr, English, fit)`` of every definition in the text that gives both."""
    _, found = read_mentions([(text.name, text.read())])
    return [(m.abbr, m.en, m.abbr_fit) for m in found if m.abbr and m.en]


def sure_pairs(text: Text, weights: dict[str, float], learned: Learned) -> list[tuple[str, str]]:
    """The (Chinese, English) pairs the miner is sure of in one text, mined alone with ``weights``."""
    return [
        (c.zh, c.en)
        for c in mine_texts([(text.name, text.read())], weights=weights, learned=learned)
        if c.zh and c.en and c.confidence >= SURE
    ]


def labelled_options(
    text: Text, scorer, first_reading: dict[str, float] | None = None, learned: Learned | None = None
) -> list[tuple[list[Option], set[int]]]:
    """Every Chinese-first mention's options, with the indexes the answer key accepts.

    The options' features depend on the lexicon that the batch's first reading
    teaches, and so on the weights of that reading: ``first_reading`` (``{}``:
    no first reading learns anything). They are never the shipped weights, so
    fitting does not depend on what the last fit wrote.
    """
    cleaned, found = read_mentions([(text.name, text.read())])
    mentions = [m for m in found if m.kind == "zh_first"]
    gold = scorer.read_gold([str(text.gold)])
    contexts = boundary_contexts(found, learned)
    own = boundary_contexts(found, Learned())
    options_per_mention = collect_options(
        contexts,
        [cleaned[0].text],
        reading_lexicon(
            found, contexts, [cleaned[0].text], [], {} if first_reading is None else first_reading, learned
        ),
        stated=stated_names(found),
    )
    labelled = []
    for mention, options, context, alone in zip(mentions, options_per_mention, contexts, own, strict=True):
        if context[1] != alone[1]:
            continue  # English from the table: not what the weights are fitted on
        en = scorer.norm(mention.en)
        lines = [g for g in gold if (en and en in g["en"]) or (mention.abbr and mention.abbr in g["abbr"])]
        accepted = set().union(*(g["zh"] for g in lines)) if lines else set()
        positive = {i for i, option in enumerate(options) if scorer.norm(tidy_zh(option.zh)) in accepted}
        if positive and len(options) > 1:
            labelled.append((options, positive))
    return labelled


def fit(examples: list[tuple[list[Option], set[int]]], iterations: int, l2: float = L2) -> dict[str, float]:
    """Weights maximising the probability of the accepted options (softmax per mention)."""
    names = sorted({name for options, _ in examples for option in options for name in option.features})
    index = {name: i for i, name in enumerate(names)}
    rows = [
        ([[(index[n], v) for n, v in option.features.items()] for option in options], positive)
        for options, positive in examples
    ]
    weights = [0.0] * len(names)
    squared = [1e-8] * len(names)  # AdaGrad: rare features still move
    for _ in range(iterations):
        gradient = [-l2 * w for w in weights]
        for features, positive in rows:
            scores = [sum(weights[i] * v for i, v in option) for option in features]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total = sum(exps)
            accepted = sum(exps[i] for i in positive)
            for k, option in enumerate(features):
                # d log(P(accepted)) / d score_k = [k accepted] e_k / accepted - e_k / total
                coefficient = (exps[k] / accepted if k in positive else 0.0) - exps[k] / total
                if coefficient:
                    for i, v in option:
                        gradient[i] += coefficient * v
        for i, g in enumerate(gradient):
            squared[i] += g * g
            weights[i] += STEP * g / math.sqrt(squared[i])
    return {name: round(weights[i], 4) for i, name in enumerate(names)}


def score_text(text: Text, weights: dict[str, float], learned: Learned, scorer) -> dict[str, dict]:
    """Mine one text alone with ``weights`` and ``learned`` and score it against its answer key."""
    candidates = [c.to_dict() for c in mine_texts([(text.name, text.read())], weights=weights, learned=learned)]
    gold = scorer.read_gold([str(text.gold)])
    return {kind: scorer.score(candidates, gold, kind) for kind in ("pair", "abbr")}


def score_together(texts: list[Text], weights: dict[str, float] | None, scorer) -> dict[str, dict]:
    """Mine ``texts`` together, as ``flask mine`` does, and score them as one set."""
    candidates = [c.to_dict() for c in mine_texts([(t.name, t.read()) for t in texts], weights=weights)]
    gold = scorer.read_gold([str(t.gold) for t in texts])
    return {kind: scorer.score(candidates, gold, kind) for kind in ("pair", "abbr")}


def _show(result: dict[str, dict]) -> None:
    for kind in ("pair", "abbr"):
        for row in result[kind]["fn"]:
            print(f"    {kind} missed: {row.get('zh', '')} | {row.get('en', '')} | {row.get('abbr', '')}")
        for key in result[kind]["fp"]:
            print(f"    {kind} wrong:  " + " | ".join(x for x in key if x))


def _f1(tp: int, pred: int, matched: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = matched / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _line(label: str, results: list[dict[str, dict]]) -> str:
    cells = []
    for kind in ("pair", "abbr"):
        tp = sum(r[kind]["tp"] for r in results)
        pred = sum(r[kind]["pred"] for r in results)
        matched = sum(r[kind]["matched"] for r in results)
        gold = sum(r[kind]["gold"] for r in results)
        p, r, f = _f1(tp, pred, matched, gold)
        cells.append(f"{kind}s P={p:.3f} R={r:.3f} F1={f:.3f} ({matched}/{gold})")
    return f"{label:<36} " + " ; ".join(cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", type=Path, help="folder with corpus/, eval/ and dev/")
    parser.add_argument(
        "--write", action="store_true", help="save the weights and the evidence (learned.json) from all texts"
    )
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--l2", type=float, default=L2, help="L2 penalty per feature")
    parser.add_argument("--show", action="store_true", help="list each text's misses and wrong lines (held out)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.shared / "eval"))
    import score as scorer  # the official scorer, beside the answer keys

    started = time.perf_counter()
    texts = find_texts(args.shared)
    if not texts:
        parser.error(f"no texts with answer keys under {args.shared}")
    stated = {text.name: definitions(text) for text in texts}
    print(f"{sum(len(labelled_options(t, scorer)) for t in texts)} labelled mentions in {len(texts)} texts")

    def two_rounds(training: list[Text]) -> tuple[dict[str, float], Learned]:
        """Weights for reading twice, and the evidence from other papers, learned from ``training`` only.

        What abbreviations stand for comes from the training texts' definitions. A first fit on
        features without a first reading gives the first reading's weights; mining the training
        texts with them gives the pairs the miner is sure of; the features that both teach are
        fitted again."""
        learned = Learned(learn_expansions(d for t in training for d in stated[t.name]))
        first = fit(
            [example for t in training for example in labelled_options(t, scorer, {}, learned)],
            args.iterations,
            args.l2,
        )
        learned = Learned(learned.expansions, tuple(p for t in training for p in sure_pairs(t, first, learned)))
        examples = [example for t in training for example in labelled_options(t, scorer, first, learned)]
        return fit(examples, args.iterations, args.l2), learned

    loto: dict[str, dict] = {}
    print("\nleave-one-text-out (weights fitted on the other texts, nothing learned from the held-out one):")
    for text in texts:
        loto[text.name] = score_text(text, *two_rounds([t for t in texts if t is not text]), scorer)
        print(_line(text.name, [loto[text.name]]))
        if args.show:
            _show(loto[text.name])
    for group in ("seed", "dev"):
        print(_line(f"{group} total (leave-one-text-out)", [loto[t.name] for t in texts if t.group == group]))

    weights, learned = two_rounds(texts)
    print("\nin-sample (weights fitted on all texts):")
    in_sample = {text.name: score_text(text, weights, learned, scorer) for text in texts}
    for text in texts:
        print(_line(text.name, [in_sample[text.name]]))
    for group in ("seed", "dev"):
        print(_line(f"{group} total (in-sample)", [in_sample[t.name] for t in texts if t.group == group]))
    print("\nas shipped (boundary.json), each set mined together as `flask mine` does:")
    for group in ("seed", "dev"):
        members = [t for t in texts if t.group == group]
        print(_line(f"{group} (shipped weights)", [score_together(members, None, scorer)]))
    print(f"\n{time.perf_counter() - started:.0f} s")

    if args.write:
        summary = {}
        for group in ("seed", "dev"):
            results = [loto[t.name] for t in texts if t.group == group]
            summary[group] = {
                kind: round(_f1(*(sum(r[kind][k] for r in results) for k in ("tp", "pred", "matched", "gold")))[2], 3)
                for kind in ("pair", "abbr")
            }
        payload = {
            "note": "written by python -m glossary.mining.weights.fit; do not edit by hand",
            "fitted_on": [t.name for t in texts],
            "iterations": args.iterations,
            "l2": args.l2,
            "leave_one_text_out_f1": summary,
            "priors": PRIORS,
            "weights": dict(sorted({**PRIORS, **weights}.items())),
        }
        (HERE / "boundary.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {HERE / 'boundary.json'}")
        evidence = {
            "note": "written by python -m glossary.mining.weights.fit; do not edit by hand. What the "
            "abbreviations of the texts it learned on stand for, and the (zh, en) pairs it was sure of there.",
            "learned_from": [t.name for t in texts],
            "sure": SURE,
            "expansions": learned.expansions.as_dict(),
            "pairs": sorted(set(learned.pairs)),
        }
        (HERE / "learned.json").write_text(json.dumps(evidence, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {HERE / 'learned.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
