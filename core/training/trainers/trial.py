"""core.trial: one trial of a study (core.training.actions.studies), in a job.

params (written by the study, not by people): study, trial (its number), dataset_version,
seed, params (the point tried). The trial reads the dataset through the job (so the run
has the dataset version as input in lineage), trains the study's recipe, reports the
validation metric as it goes (the search may prune it there), keeps a complete trial's
bundle as an artifact, and then advances the study: the next trial, or the end."""


def trial(ctx):
    from core.hub.actions.artifacts import store_file

    from ..actions import studies
    from ..actions.runner import JobCancelled
    from ..models import Trial
    from ..recipes import get_recipe

    t = Trial.objects.select_related("study__organisation").get(job=ctx.job)
    study = t.study
    if not studies.start_trial(t, ctx.run):
        return {"study": study.pk, "trial": t.number, "skipped": f"the study is {study.status}"}
    recipe = get_recipe(study.recipe)
    params = {**recipe.default_params, **study.params, **t.params, "seed": study.seed}
    limit = recipe.steps(params)
    stopped = {}

    def report(step, value):
        ctx.progress(0.1 + 0.85 * min(1.0, step / limit), f"step {step}: {study.metric} {value:.5g}")
        reason = studies.report_step(t, step, value)
        if reason:
            stopped["reason"] = reason
        return reason is None

    try:
        dv = ctx.dataset_version()
        ctx.progress(0.02, f"trial {t.number} of study {study.pk}: {recipe.name} on {dv}")
        if t.number == 0:
            studies.set_baseline(study, recipe.baseline(ctx, dv, params))
            ctx.log(f"baseline: {study.baseline}")
        result = recipe.train(ctx, dv, params, report)
    except JobCancelled:
        studies.end_trial(t, Trial.Status.FAILED, message="its job was cancelled")
        studies.advance_quietly(study.pk, ctx.log)
        raise
    except Exception as exc:  # the trial fails; the study goes on with the next one
        studies.end_trial(t, Trial.Status.FAILED, message=f"{type(exc).__name__}: {exc}")
        studies.advance_quietly(study.pk, ctx.log)
        raise
    reason = stopped.get("reason")
    if reason in ("pruned", "stopped"):
        status, artifact = Trial.Status.PRUNED, None
        message = "pruned: behind the median of the trials so far" if reason == "pruned" else "its study stopped"
    else:
        status = Trial.Status.COMPLETE
        artifact, _ = store_file(result.bundle, organisation=study.organisation, acting_user=ctx.acting_user,
                                 filename=f"study-{study.pk}-trial-{t.number}.zip", content_type="application/zip")
        message = "stopped at the study's time budget" if reason == "time" else ""
    metrics = {**result.metrics, "history": result.notes.get("history", [])}
    if result.notes.get("evaluation") and status == Trial.Status.COMPLETE:
        # kept with the trial: the one that becomes the model version takes it into the hub
        metrics["evaluation"] = result.notes["evaluation"]
    studies.end_trial(t, status, value=result.value, metrics=metrics, artifact=artifact, message=message)
    ctx.log(f"trial {t.number} {status}: {study.metric} {result.value:.5g}" + (f" ({message})" if message else ""))
    studies.advance_quietly(study.pk, ctx.log)
    return {"study": study.pk, "trial": t.number, "status": status, "value": result.value,
            "metrics": result.metrics}


def long_trial(ctx):
    """core.trial_long: the same trial for a recipe declared long (Recipe.long: image trainings of
    minutes to hours), registered as a long trainer so it runs on the long queue's workers and
    never holds a short job's slot."""
    return trial(ctx)


def check_trial(params, *, organisation, acting_user):
    """Trial jobs are queued by their study; one sent on its own would have no trial to run."""
    from django.core.exceptions import ValidationError

    from ..actions.inputs import parse_input_id
    from ..models import Study

    try:
        study = Study.objects.filter(pk=parse_input_id("study", params.get("study")), organisation=organisation,
                                     status=Study.Status.RUNNING).first()
    except ValueError:
        study = None
    if study is None:
        raise ValidationError({"trainer": "core.trial jobs are queued by a running study; start one with "
                                          "POST /api/v1/studies/"})
