"""Signed checkpoints of the audit chain's head, kept outside the database.

A checkpoint is one JSON line (seq, hash, time, who asked, key id, Ed25519
signature) appended to settings.AUDIT_CHECKPOINT_FILE and, when AUDIT_SYSLOG is on,
sent to syslog. Whoever can rewrite the database can re-hash the whole chain, but
cannot sign, nor reach the file or the log host, so the chain must still contain
the checkpointed event with the checkpointed hash."""
import json
import os
import syslog
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import signing

FORMAT = "zhongtai-audit-checkpoint/1"
_TAIL_CHUNK = 8192


def _signed_bytes(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def make(seq: int, hash_: str, *, by: str) -> dict:
    fields = {"format": FORMAT, "seq": seq, "hash": hash_, "at": timezone.now().isoformat(), "by": by,
              "key_id": signing.key_id()}
    return {**fields, "sig": signing.sign(_signed_bytes(fields))}


def signature_problem(checkpoint: dict, public_pem: str | None = None):
    """None when the checkpoint is well-formed and signed by the key, else why not."""
    fields = {k: v for k, v in checkpoint.items() if k != "sig"}
    if fields.get("format") != FORMAT or not isinstance(fields.get("seq"), int) or not isinstance(
            fields.get("hash"), str):
        return "the latest checkpoint is malformed"
    if public_pem is None:
        # Signed by the current key or one rotated out since: the keyring knows both.
        public_pem = signing.trusted_public_pem(fields.get("key_id"))
        if public_pem is None:
            return (f"the latest checkpoint was signed by key {fields.get('key_id')}, which this platform "
                    f"never used (current key {signing.key_id()}; rotated keys are in {signing.keyring_dir()})")
    elif fields.get("key_id") != signing.key_id(public_pem):
        return (f"the latest checkpoint was signed by key {fields.get('key_id')}, "
                f"not by the given key {signing.key_id(public_pem)}")
    if not signing.verify(_signed_bytes(fields), str(checkpoint.get("sig", "")), public_pem):
        return "the latest checkpoint's signature does not hold (checkpoint file altered)"
    return None


def append(checkpoint: dict) -> Path:
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(checkpoint, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"
    # O_APPEND: concurrent writers never interleave within a line this short.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    if settings.AUDIT_SYSLOG:
        syslog.openlog("zhongtai-audit", syslog.LOG_PID, syslog.LOG_AUTH)
        syslog.syslog(syslog.LOG_NOTICE, "checkpoint " + line.strip())
    return path


def _last_line(path: Path) -> bytes | None:
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        end = f.tell()
        tail = b""
        while end > 0:
            start = max(0, end - _TAIL_CHUNK)
            f.seek(start)
            tail = f.read(end - start) + tail
            end = start
            lines = tail.rstrip(b"\n").split(b"\n")
            if len(lines) > 1 or start == 0:
                return lines[-1] or None
    return None


def latest():
    """(checkpoint, problem): the last checkpoint written, or None when there is none
    yet; problem names what is wrong with it (unreadable, bad signature)."""
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    if not path.exists():
        return None, None
    try:
        line = _last_line(path)
    except OSError as exc:
        return None, f"cannot read the checkpoint file {path}: {exc}"
    if line is None:
        return None, None
    try:
        checkpoint = json.loads(line)
    except ValueError:
        return None, "the latest checkpoint is not valid JSON (checkpoint file altered)"
    if not isinstance(checkpoint, dict):
        return None, "the latest checkpoint is malformed"
    return checkpoint, signature_problem(checkpoint)
