"""The event workflow: new -> dispatched -> handled -> closed, and new -> closed for a
false alarm (a note is then required). Closed is final. Pure."""
NEW, DISPATCHED, HANDLED, CLOSED = "new", "dispatched", "handled", "closed"
STATUSES = (NEW, DISPATCHED, HANDLED, CLOSED)
ALLOWED = {NEW: (DISPATCHED, CLOSED), DISPATCHED: (HANDLED,), HANDLED: (CLOSED,), CLOSED: ()}


def transition_problem(current, target, *, note=""):
    """None when current -> target is legal, else why not."""
    if target not in STATUSES:
        return f"unknown status {target!r}; one of {', '.join(STATUSES)}"
    if current == CLOSED:
        return "the event is closed; a closed event cannot change"
    if target not in ALLOWED[current]:
        nexts = " or ".join(ALLOWED[current])
        return f"an event that is {current} can only become {nexts}, not {target}"
    if current == NEW and target == CLOSED and not note.strip():
        return "closing a new event without dispatch marks it a false alarm: say why in a note"
    return None
