"""The dispatch-log text set built from the fault knowledge base: seeded, balanced, in both
languages, labelled with the KB's faults, importable as a text dataset's JSON Lines."""
import json
from collections import Counter

import pytest

from core.data.lib.texts import parse_jsonl
from verticals.energy.lib.synth.fault_texts import (
    fault_texts,
    fault_texts_jsonl,
    read_faults,
)


def test_entries_are_seeded_balanced_and_labelled_by_the_kb():
    kb = read_faults()
    records = fault_texts(200, seed=1)
    assert records == fault_texts(200, seed=1) and records != fault_texts(200, seed=2)
    counts = Counter(r["label"] for r in records)
    assert set(counts) == {f["key"].split(":", 1)[1] for f in kb["faults"]} and set(counts.values()) == {10}
    chinese = [r for r in records if any("\u4e00" <= ch <= "\u9fff" for ch in r["text"])]
    assert 60 < len(chinese) < 140  # both languages, about half each
    alarms = {a["zh"] for a in kb["alarms"]}
    assert all(any(a in r["text"] for a in alarms) for r in chinese)  # the KB's own words


def test_english_only_and_jsonl_import():
    records = fault_texts(40, seed=0, languages=("en",))
    assert all(r["text"].isascii() for r in records)
    samples = parse_jsonl(fault_texts_jsonl(40, seed=0))
    assert len(samples) == 40 and {s.label for s in samples} == {r["label"] for r in records}
    assert json.loads(fault_texts_jsonl(1).decode().splitlines()[0]).keys() == {"text", "label"}
    with pytest.raises(ValueError, match="languages must be among zh, en"):
        fault_texts(10, languages=("fr",))
