"""Registering the platform's preset backbones: what `make demo` does for HQ before any
pipeline trains, so every detector in the demo fine-tunes from one (presets.py)."""
from ..presets import DEFAULT_SOURCE, PRESET_MODEL_TYPE
from .jobs import submit_job
from .runner import run_job


def register_presets(*, organisation, acting_user, light=False):
    """Run core.preset_backbone for `organisation` now, in this process (a second of work,
    and the pipelines queued next must find its result), unless it already holds a preset.
    The queued copy of the job that submit_job also sends finds it done and does nothing."""
    from core.hub.models import ModelVersion

    held = ModelVersion.objects.filter(model__organisation=organisation, model__model_type=PRESET_MODEL_TYPE)
    if held.exists():
        return {}
    job = submit_job(trainer="core.preset_backbone", organisation=organisation, acting_user=acting_user,
                     params={"source": DEFAULT_SOURCE, "published": True})
    outcome = run_job(job.pk, worker="seed_demo")
    job.refresh_from_db()
    if outcome != "succeeded":
        raise RuntimeError(f"the preset backbone job {job.pk} {outcome}: {job.error}")
    return {"preset_job": job.pk, "model_version": job.result["model_version"]}
