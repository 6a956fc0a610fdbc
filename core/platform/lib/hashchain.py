"""The audit log's hash chain. Pure: events are plain dicts.

Version 2 events hash the exact text stored in their `body` column, so nothing the
database does to its typed columns (JSONB turning 1e16 into an integer, key order,
unicode) can change what was hashed; the typed columns are then checked against the
body. Version 1 events (no body) hashed a re-encoding of the columns and are still
verified that way, but only before the first version 2 event."""
import datetime
import hashlib
import json
import math

GENESIS = "0" * 64
BODY_VERSION = 2
# The columns a v2 body covers, besides `v`.
BODY_FIELDS = ("seq", "at", "actor_id", "actor", "organisation", "action", "object_type", "object_id", "data")


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def event_hash(prev_hash: str, payload: dict) -> str:
    """Version 1: the hash of a re-encoding of the columns."""
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(payload)).hexdigest()


def plain_json(value):
    """`value` as the JSON types it will be stored as: tuples become lists, keys and
    unknown objects strings, and NaN/Infinity (which JSON and JSONB refuse) strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_json(v) for v in value]
    return str(value)


def encode_body(fields: dict) -> str:
    """Version 2: the canonical text that is stored and hashed. ASCII only (every
    other character escaped), so no database encoding or normalisation touches it."""
    return json.dumps({"v": BODY_VERSION, **fields}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=True, allow_nan=False)


def body_hash(prev_hash: str, body: str) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + body.encode("ascii")).hexdigest()


def same_json(a, b) -> bool:
    """Equal as JSON values. A number may come back from the database as an integer
    where a float went in (JSONB keeps numbers as decimals), so numbers compare by
    value; booleans are not numbers here."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        try:
            return float(a) == float(b)
        except OverflowError:
            return False
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _columns_disagree(body: dict, columns: dict):
    for name in BODY_FIELDS:
        if name not in body:
            return f"the hashed body has no {name!r}"
        stored, hashed = columns[name], body[name]
        if name == "at":
            try:
                same = datetime.datetime.fromisoformat(hashed) == stored
            except (TypeError, ValueError):
                same = False
        else:
            same = same_json(stored, hashed)
        if not same:
            return f"column {name!r} differs from what was hashed (event altered)"
    return None


def check_event(event: dict, expected_prev: str, expected_seq: int, seen_v2: bool):
    """None when the event is a sound link, else the reason it is not. event: seq,
    prev_hash, hash, body (None for version 1), payload (v1) and columns (v2)."""
    if event["seq"] != expected_seq:
        return f"sequence gap: expected event {expected_seq}, found {event['seq']}"
    if event["prev_hash"] != expected_prev:
        return "prev_hash does not match the hash of the event before it"
    body = event.get("body")
    if body is None:
        if seen_v2:
            return "a version 1 event after a version 2 event (forged or downgraded)"
        if event_hash(event["prev_hash"], event["payload"]) != event["hash"]:
            return "stored hash does not match the event's content (event altered)"
        return None
    try:
        if body_hash(event["prev_hash"], body) != event["hash"]:
            return "stored hash does not match the event's content (event altered)"
        parsed = json.loads(body)
    except (UnicodeEncodeError, ValueError):
        return "the hashed body is not canonical ASCII JSON (event altered)"
    if not isinstance(parsed, dict) or parsed.get("v") != BODY_VERSION:
        return "the hashed body has an unknown version (event altered)"
    return _columns_disagree(parsed, event["columns"])


def first_broken_link(events, start_seq=1, start_prev=GENESIS, seen_v2=False):
    """events: iterable of event dicts (see check_event) in seq order, starting at
    `start_seq` whose predecessor's hash is `start_prev` (and was version 2 when
    `seen_v2`). Returns None when the chain holds, else (seq, reason)."""
    expected_prev, expected_seq = start_prev, start_seq
    for event in events:
        reason = check_event(event, expected_prev, expected_seq, seen_v2)
        if reason is not None:
            return event["seq"], reason
        seen_v2 = seen_v2 or event.get("body") is not None
        expected_prev = event["hash"]
        expected_seq += 1
    return None
