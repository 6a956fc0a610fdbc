"""What can go wrong in a scorecard: a table or options that give none, records that fail validation."""


class ScorecardError(ValueError):
    """The training table or the options cannot give a scorecard."""


class ScoringError(ValueError):
    """Some records failed validation; ``errors`` is {record index: {field: message}}."""

    def __init__(self, errors: dict[int, dict[str, str]]):
        self.errors = errors
        parts = []
        for index in sorted(errors)[:5]:
            fields = "; ".join(f"{k}: {v}" for k, v in sorted(errors[index].items()))
            parts.append(f"record {index}: {fields}")
        more = "" if len(errors) <= 5 else f" (and {len(errors) - 5} more records)"
        super().__init__(f"{len(errors)} invalid record(s): " + " | ".join(parts) + more)
