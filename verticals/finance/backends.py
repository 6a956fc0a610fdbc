"""A scorecard is JSON rules, not a neural network: it is served by this backend,
through the core engine (so bundles are hash-verified and predictions recorded)."""
from core.inference.backends.base import Backend, LoadedModel


class _Scorecard(LoadedModel):
    input_names = ["records"]
    output_names = ["results"]

    def __init__(self, scorecard, reasons):
        self.scorecard = scorecard
        self.reasons = reasons

    def run(self, inputs):
        from .lib.scorecard.scoring import score_records

        return {"results": score_records(self.scorecard, inputs["records"], n_reasons=self.reasons)}


class ScorecardBackend(Backend):
    name = "scorecard"
    format = "scorecard"

    def available(self, profile):
        return None if profile.device == "cpu" else f"scorecards run on the CPU, not {profile.device}"

    def load(self, bundle_dir, manifest, profile):
        from .lib.scorecard.artifact import scorecard_from_json

        card = scorecard_from_json((bundle_dir / manifest["files"]["scorecard"]).read_text())
        return _Scorecard(card, int(profile.options.get("reason_codes", 3)))


BACKENDS = [ScorecardBackend]
