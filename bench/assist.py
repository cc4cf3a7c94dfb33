"""The assistant measured on the held-out split (`data/assist/heldout.jsonl`), never trained
on: top-1 and top-3 accuracy of the category, overall and per language; the routing curve
(share routed unattended and its precision at each threshold, the model's own marked);
urgent precision and recall at the model's threshold; classify latency (one complaint's
judgement, in process) beside a baseline (reading its features alone); training time on the
corpus and, given a store (`--database-url`, or the suite's big store), on its history.
The accuracy's baseline, in the same run: a model of the first 534 complaints of the corpus
alone (the corpus when issue 16 was first measured), with today's code.

    .venv/bin/python -m bench.assist
    .venv/bin/python -m bench.assist --database-url postgresql://...   # with a history

The thresholds come from the training examples' own folds (`assist/training.py`); nothing
here is tuned to the held-out split.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from typing import Any

from assist import corpus
from assist.model import Model
from assist.training import train
from bench.servers import percentile

CURVE = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def accuracy(model: Model, examples: list[corpus.Example]) -> dict[str, Any]:
    judged = model.judge([e.text for e in examples], top=3)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    tops: list[tuple[float, bool]] = []
    flagged = [0, 0, 0]  # true positives, false positives, false negatives
    for example, judgement in zip(examples, judged, strict=True):
        labels = [(s.department, s.category) for s in judgement.suggestions]
        truth = (example.department, example.category)
        for key in (example.language or "?", "all"):
            counts[key][0] += 1
            counts[key][1] += labels[0] == truth
            counts[key][2] += truth in labels
        tops.append((judgement.suggestions[0].score, labels[0] == truth))
        if judgement.urgent.flag and example.urgent:
            flagged[0] += 1
        elif judgement.urgent.flag:
            flagged[1] += 1
        elif example.urgent:
            flagged[2] += 1
    by_language = {
        key: {"n": n, "top1": round(one / n, 3), "top3": round(three / n, 3)}
        for key, (n, one, three) in sorted(counts.items())
    }
    curve = []
    for threshold in (*CURVE, model.route_threshold):
        routed = [right for score, right in tops if score >= threshold]
        curve.append(
            {
                "threshold": threshold,
                "routed_share": round(len(routed) / len(tops), 3),
                "precision": round(sum(routed) / len(routed), 3) if routed else None,
                "model's": threshold == model.route_threshold,
            }
        )
    tp, fp, fn = flagged
    return {
        "category": by_language,
        "routing": sorted(curve, key=lambda c: c["threshold"]),
        "urgent": {
            "threshold": model.urgent_threshold,
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            "positives": tp + fn,
        },
    }


def latency(model: Model, examples: list[corpus.Example], times: int = 1000) -> dict[str, Any]:
    """One complaint's judgement, against reading its features alone (the baseline)."""
    texts = [e.text for e in examples]

    def measure(one: Any) -> list[float]:
        for text in texts[:20]:
            one(text)
        taken = []
        for i in range(times):
            started = time.perf_counter()
            one(texts[i % len(texts)])
            taken.append((time.perf_counter() - started) * 1000)
        return taken

    judge = measure(lambda t: model.judge([t]))
    read = measure(lambda t: model.reading.features([t]))
    return {
        "classify_p50_ms": round(statistics.median(judge), 3),
        "classify_p99_ms": round(percentile(judge, 0.99), 3),
        "features_p50_ms": round(statistics.median(read), 3),
        "features_p99_ms": round(percentile(read, 0.99), 3),
    }


def history_training(database_url: str) -> dict[str, Any]:
    """Training on the corpus and the history of a store, as `sampark assist train` does,
    against reading the history's examples alone (the baseline)."""
    import psycopg

    from assist import history
    from assist.teaching import known_labels
    from infra.run.directory import SAMPLE_DIRECTORY
    from infra.run.services import open_services
    from infra.settings import Settings

    services = open_services(Settings(), database_url)
    try:
        directory = services.app.directory()
        if not directory.categories:
            from infra.run.directory import load_directory

            load_directory(services.app, SAMPLE_DIRECTORY)
            directory = services.app.directory()
    finally:
        services.close()
    known = known_labels(directory)
    with psycopg.connect(database_url) as conn:
        complaints = conn.execute("SELECT count(*) FROM read.complaints").fetchone()
        started = time.perf_counter()
        taught = list(history.examples(conn, known))
        read_seconds = time.perf_counter() - started
    examples = [e for e in corpus.seed() if e.label in known] + taught
    started = time.perf_counter()
    train(examples)
    return {
        "complaints_in_store": complaints[0] if complaints else 0,
        "history_examples": len(taught),
        "read_seconds": round(read_seconds, 2),
        "train_seconds": round(read_seconds + time.perf_counter() - started, 2),
    }


def search_ms(model: Model, looked_at: int = 200) -> dict[str, float]:
    """One filing's duplicate search without the SQL: its words against `looked_at` open
    complaints' (held-out texts), the first time (cold: every text read) and once their
    topics are kept (warm: the usual case, one new text), median of 5 each."""
    from assist.duplicates import Complaint, score
    from assist.finding import _TOPICS, topics

    others = [e.text for e in corpus.held_out()][:looked_at]

    def once(new: str) -> float:
        started = time.perf_counter()
        vectors = topics(model, [new, *others])
        mine = Complaint(new, None, vectors[0])
        for text, vector in zip(others, vectors[1:], strict=True):
            score(mine, Complaint(text, None, vector))
        return (time.perf_counter() - started) * 1000

    cold, warm = [], []
    for i in range(5):
        _TOPICS.clear()
        cold.append(once(f"cold filing {i}"))
        warm.append(once(f"warm filing {i}"))
    return {"cold": round(statistics.median(cold), 1), "warm": round(statistics.median(warm), 1)}


def duplicates(model: Model) -> dict[str, Any]:
    """Precision and recall of duplicates at `THRESHOLD` on the pairs it was not chosen on
    (and on those it was); the baseline scores without the model's topics (words only)."""
    from assist.duplicates import THRESHOLD, Complaint, halves, measure, pairs, score
    from assist.finding import topics

    def scored(found: list[dict[str, Any]], use_model: bool) -> list[tuple[float, bool]]:
        out = []
        for p in found:
            texts = [
                corpus.words(p[k]["subject"], p[k]["description"]) for k in ("first", "second")
            ]
            vectors = topics(model if use_model else None, texts)
            one, other = (
                Complaint(t, p[k].get("mobile"), v)
                for k, t, v in zip(("first", "second"), texts, vectors, strict=True)
            )
            out.append((score(one, other), bool(p["duplicate"])))
        return out

    tune, held = halves(pairs())
    return {
        "search_ms": search_ms(model),
        "threshold": THRESHOLD,
        "held_out": vars(measure(scored(held, True), THRESHOLD)),
        "tuning": vars(measure(scored(tune, True), THRESHOLD)),
        "held_out_words_only": vars(measure(scored(held, False), THRESHOLD)),
    }


# The baseline's corpus: the first complaints of `data/assist/complaints.jsonl`, the seed
# corpus as it stood when issue 16 was first measured (534 complaints, one writer).
FIRST_CORPUS = 534


def baseline(held: list[corpus.Example]) -> dict[str, Any]:
    """The same measures of a model of the first corpus alone (today's code)."""
    model = train(corpus.seed()[:FIRST_CORPUS])
    found = accuracy(model, held)
    return {"category": found["category"], "urgent": found["urgent"]}


def measure_assistant(database_url: str | None = None) -> dict[str, Any]:
    seed, held = corpus.seed(), corpus.held_out()
    started = time.perf_counter()
    model = train(seed)
    trained = time.perf_counter() - started
    found: dict[str, Any] = {
        "corpus": {"training": len(seed), "held_out": len(held)},
        "train_seconds_corpus": round(trained, 2),
        "thresholds": {"route": model.route_threshold, "urgent": model.urgent_threshold},
        **accuracy(model, held),
        "baseline_first_corpus": baseline(held),
        "latency": latency(model, held),
        "duplicates": duplicates(model),
    }
    if database_url:
        found["history"] = history_training(database_url)
    return found


def rows_of(found: dict[str, Any]) -> list[dict[str, Any]]:
    """The suite's rows (`bench/suite.py`): figure, baseline, target."""
    from bench.suite import row

    rows = []
    first = found["baseline_first_corpus"]
    for language in corpus.LANGUAGES:
        got = found["category"].get(language, {"top1": 0.0, "top3": 0.0})
        was = first["category"].get(language, {"top1": 0.0, "top3": 0.0})
        rows.append(row(f"assistant top-1 {language}", got["top1"], "share", was["top1"],
                        ">= 0.85", got["top1"] >= 0.85))  # fmt: skip
        rows.append(row(f"assistant top-3 {language}", got["top3"], "share", was["top3"],
                        ">= 0.95", got["top3"] >= 0.95))  # fmt: skip
    urgent, was_urgent = found["urgent"], first["urgent"]
    rows.append(row("assistant urgent recall", urgent["recall"] or 0, "share",
                    was_urgent["recall"] or 0, ">= 0.9",
                    (urgent["recall"] or 0) >= 0.9))  # fmt: skip
    rows.append(row("assistant urgent precision", urgent["precision"] or 0, "share",
                    was_urgent["precision"] or 0, ">= 0.7",
                    (urgent["precision"] or 0) >= 0.7))  # fmt: skip
    dup = found["duplicates"]
    base = dup["held_out_words_only"]
    rows.append(row("assistant duplicates precision", dup["held_out"]["precision"], "share",
                    base["precision"], ">= 0.9", dup["held_out"]["precision"] >= 0.9))  # fmt: skip
    rows.append(row("assistant duplicates recall", dup["held_out"]["recall"], "share",
                    base["recall"], ">= 0.8", dup["held_out"]["recall"] >= 0.8))  # fmt: skip
    timing = found["latency"]
    p99 = timing["classify_p99_ms"]
    rows.append(row("assistant classify p99", p99, "ms", timing["features_p99_ms"], "< 20 ms",
                    p99 < 20))  # fmt: skip
    if "history" in found:
        taught = found["history"]
        rows.append(row("assistant training on the history", taught["train_seconds"], "s",
                        taught["read_seconds"], "", True))  # fmt: skip
    return rows


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--database-url", help="a store whose history to train on too")
    args = options.parse_args()
    found = measure_assistant(args.database_url)
    print(json.dumps(found, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
