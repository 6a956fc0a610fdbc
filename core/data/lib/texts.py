"""Text datasets: JSON Lines, one record per line — {"text": ..., "label": class (optional),
"entities": [{"start", "end", "label"}] (optional, character offsets, end exclusive), "id"
(optional)} — checked line by line, kept in a canonical form (records by id, keys sorted) so
the same content has the same hash, and read back for the pages. Pure: stdlib only."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from .samples import select

MAX_TEXT_CHARS = 20_000
MAX_RECORDS = 200_000


class TextError(ValueError):
    def __init__(self, issues):
        self.issues = issues
        super().__init__("; ".join(issues))


@dataclass(frozen=True)
class TextSample:
    id: int
    text: str
    label: str | None = None
    entities: tuple = ()          # (start, end, type)

    @property
    def classes(self):
        return sorted(({self.label} if self.label else set()) | {e[2] for e in self.entities})

    @property
    def labelled(self):
        return bool(self.label or self.entities)

    def segments(self):
        """The text cut at entity boundaries: [(piece, entity type or None)], for highlighting."""
        out, at = [], 0
        for start, end, kind in sorted(self.entities):
            if start < at:
                continue  # overlapping spans: the first one is shown
            if start > at:
                out.append((self.text[at:start], None))
            out.append((self.text[start:end], kind))
            at = end
        if at < len(self.text):
            out.append((self.text[at:], None))
        return out

    def as_dict(self):
        out = {"id": self.id, "text": self.text}
        if self.label:
            out["label"] = self.label
        if self.entities:
            out["entities"] = [{"start": s, "end": e, "label": k} for s, e, k in self.entities]
        return out


@dataclass
class TextIndex:
    samples: list
    categories: list               # text classes, sorted
    entity_types: list             # entity types, sorted
    by_id: dict = field(default_factory=dict)

    def __post_init__(self):
        self.by_id = {s.id: s for s in self.samples}

    def select(self, *, category=None, state=None):
        return select(self.samples, self.categories + self.entity_types, category=category, state=state)

    def class_counts(self):
        """{class or entity type: (spans, texts)}: spans 0 for a text class."""
        spans = dict.fromkeys(self.categories + self.entity_types, 0)
        texts = dict.fromkeys(self.categories + self.entity_types, 0)
        for s in self.samples:
            for _, _, kind in s.entities:
                spans[kind] += 1
            for c in s.classes:
                texts[c] += 1
        return {c: (spans[c], texts[c]) for c in spans}

    def unlabelled(self):
        return sum(1 for s in self.samples if not s.labelled)


def parse_jsonl(data: bytes, *, name="data.jsonl") -> list:
    """TextSamples of a JSONL upload, every bad line named (up to 50 issues)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextError([f"{name}: not UTF-8 ({exc})"]) from None
    out, issues, ids = [], [], set()
    lines = [ln for ln in text.splitlines()]
    if len(lines) > MAX_RECORDS:
        raise TextError([f"{name}: {len(lines)} lines, more than {MAX_RECORDS}"])
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name} line {n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            issues.append(f"{where}: not JSON ({exc.msg})")
            continue
        problem = _check(rec, where)
        if problem:
            issues.append(problem)
        else:
            rid = rec.get("id", len(out) + 1)
            if rid in ids:
                issues.append(f"{where}: id {rid} is used twice")
            else:
                ids.add(rid)
                out.append(TextSample(rid, rec["text"], rec.get("label") or None,
                                      tuple(sorted((e["start"], e["end"], e["label"]) for e in rec.get("entities", [])))))
        if len(issues) >= 50:
            break
    if issues:
        raise TextError(issues)
    if not out:
        raise TextError([f"{name}: no record"])
    return out


def _check(rec, where):
    if not isinstance(rec, dict):
        return f"{where}: a record is a JSON object"
    extra = set(rec) - {"id", "text", "label", "entities"}
    if extra:
        return f"{where}: unknown field(s) {', '.join(sorted(extra))}"
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return f"{where}: text is missing or empty"
    if len(text) > MAX_TEXT_CHARS:
        return f"{where}: text is {len(text)} characters, more than {MAX_TEXT_CHARS}"
    if "id" in rec and (not isinstance(rec["id"], int) or isinstance(rec["id"], bool) or rec["id"] < 1):
        return f"{where}: id is a whole number from 1"
    if "label" in rec and rec["label"] is not None and (not isinstance(rec["label"], str) or not rec["label"].strip()):
        return f"{where}: label is a class name"
    for i, e in enumerate(rec.get("entities", []) if isinstance(rec.get("entities", []), list) else [None]):
        if not isinstance(e, dict) or set(e) != {"start", "end", "label"}:
            return f"{where}: entities[{i}] is {{start, end, label}}"
        if not (isinstance(e["start"], int) and isinstance(e["end"], int) and 0 <= e["start"] < e["end"] <= len(text)):
            return f"{where}: entities[{i}] [{e['start']}, {e['end']}) is not a span of the {len(text)}-character text"
        if not isinstance(e["label"], str) or not e["label"].strip():
            return f"{where}: entities[{i}].label is an entity type"
    return None


def canonical_jsonl(samples) -> bytes:
    """One line per record, by id, keys sorted: the same content, the same bytes."""
    return "".join(json.dumps(s.as_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
                   for s in sorted(samples, key=lambda s: s.id)).encode("utf-8")


def text_index(samples) -> TextIndex:
    return TextIndex(sorted(samples, key=lambda s: s.id), sorted({s.label for s in samples if s.label}),
                     sorted({e[2] for s in samples for e in s.entities}))
