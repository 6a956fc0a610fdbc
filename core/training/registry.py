"""The trainer registry (filled from verticals' trainers.py, see core.platform.verticals).
A trainer is a callable taking a JobContext and returning a JSON-able result dict."""
from core.platform.verticals import registry


def get_trainer(name: str):
    try:
        return registry["trainers"][name]
    except KeyError:
        known = ", ".join(sorted(registry["trainers"])) or "none"
        raise LookupError(f"no trainer named {name!r}; registered: {known}") from None


def trainer_names():
    return sorted(registry["trainers"])
