"""The shipped dispatch fault knowledge base, lib/dispatch_faults.json: 20 fault types,
60 alarms and symptoms and 20 handling procedures with their steps, in Chinese and
English, read as triples (lib/diagnosis.kb_to_triples). Pure: no Django."""
import json
from pathlib import Path

from . import diagnosis

KB_FILE = Path(__file__).resolve().parent / "dispatch_faults.json"


def read_kb(path=None):
    """The knowledge-base document as triples ({entities, relations}); KBError when malformed."""
    path = Path(path) if path else KB_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise diagnosis.KBError([f"cannot read {path}: {exc}"]) from None
    return diagnosis.kb_to_triples(doc)
