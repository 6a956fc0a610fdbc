"""The JSON Schema of one record a scorecard scores, from the field schema its binning
recorded (lib/scorecard: a numerical field accepts [accepted_min, accepted_max], the
training range widened; a categorical field the categories seen in training, compared as
strings; a field may be missing only where the training data had missing values)."""

JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"


def _field(spec, bins):
    nullable = spec["missing_allowed"]
    if spec["type"] == "numerical":
        schema = {"type": ["number", "null"] if nullable else "number",
                  "minimum": spec["accepted_min"], "maximum": spec["accepted_max"],
                  "description": (f"Seen in training from {spec['observed_min']:g} to {spec['observed_max']:g}; "
                                  f"accepted from {spec['accepted_min']:g} to {spec['accepted_max']:g}.")}
    else:
        # Numbers and booleans are accepted too and compared by their text; the categories are that text.
        schema = {"type": ["string", "null"] if nullable else "string",
                  "enum": [*spec["categories"], *([None] if nullable else [])],
                  "description": "One of the categories seen in training."}
    if nullable:
        schema["description"] += " May be null or left out (it then scores as the Missing bin)."
    if bins:
        schema["x-bins"] = [b["label"] for b in bins]
    return schema


def record_schema(scorecard, *, title):
    """JSON Schema of a record for `scorecard`. Other keys in a record are ignored."""
    bins = {v["name"]: v.get("bins", []) for v in scorecard.get("variables", [])}
    fields = scorecard["schema"]
    return {
        "$schema": JSON_SCHEMA,
        "title": title,
        "description": ("One applicant's record for this scorecard: the fields it scores (other keys are "
                        "ignored). Send it as {\"record\": {...}} or a list as {\"records\": [...]} to the "
                        "deployment's score endpoint."),
        "type": "object",
        "properties": {name: _field(spec, bins.get(name)) for name, spec in fields.items()},
        "required": [name for name, spec in fields.items() if not spec["missing_allowed"]],
        "additionalProperties": True,
        "x-score-range": scorecard.get("score_range"),
    }
