"""The audit log's hash chain. Pure: the event is a dict of JSON-able values."""
import hashlib
import json

GENESIS = "0" * 64


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def event_hash(prev_hash: str, payload: dict) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(payload)).hexdigest()


def first_broken_link(events):
    """events: iterable of (seq, prev_hash, payload, stored_hash) in seq order.
    Returns None when the chain holds, else (seq, reason)."""
    expected_prev = GENESIS
    expected_seq = 1
    for seq, prev_hash, payload, stored_hash in events:
        if seq != expected_seq:
            return seq, f"sequence gap: expected event {expected_seq}, found {seq}"
        if prev_hash != expected_prev:
            return seq, "prev_hash does not match the hash of the event before it"
        if event_hash(prev_hash, payload) != stored_hash:
            return seq, "stored hash does not match the event's content (event altered)"
        expected_prev = stored_hash
        expected_seq += 1
    return None
