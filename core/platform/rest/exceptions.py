"""Exceptions any app (verticals included) may raise for the API to turn into 4xx JSON.
The other kinds (BadInput, NotFound, Conflict, TooLarge, Unavailable) live in
core.platform.errors, below every app, so any layer can raise them."""
from core.platform.errors import BadInput


class FieldErrors(BadInput):
    """Bad input with per-field messages: answered 400 {"message", "errors": {field: [..]}}."""

    def __init__(self, errors: dict, message: str = ""):
        self.errors = {k: (v if isinstance(v, list) else [str(v)]) for k, v in errors.items()}
        super().__init__(message or "; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))
