"""Studies: a hyper-parameter search whose trials run as jobs (trainer core.trial, or
core.trial_long on the long queue for a recipe declared long), so they spread over every
worker of the training queue.

Creating a study checks everything (recipe, dataset, settings, budget, the organisation's
quota) before anything is queued, then queues `parallelism` trials. Each trial, when its
job ends (complete, pruned or failed), advances the study: it queues the next trial while
the budget (trials and seconds) allows, else finishes the study. Finishing registers the
best complete trial's bundle as a version of the target model, once. Trial 0 tries the
recipe's defaults; later trials take the point Optuna's TPE proposes from the trials so
far (core.training.lib.search: rebuilt from these rows every time, the database being the
one store). A trial whose job ended without a word (its worker died and the reaper failed
it, or it was cancelled before it ran) is settled by settle_orphans, which the reaper
runs, so no study waits forever."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles
from core.platform.queueing import QueueUnavailable

from ..lib import search
from ..models import Job, Study, Trial
from ..recipes import get_recipe
from . import inputs
from .jobs import submit_job

TRIAL_TRAINER = "core.trial"
LONG_TRIAL_TRAINER = "core.trial_long"  # the same trial on the long queue, for a recipe declared long


def create_study(*, organisation, acting_user, recipe, dataset_version, params=None, model=None,
                 budget_trials=None, budget_seconds=None, parallelism=1, seed=0):
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, organisation):
        raise PermissionError(f"you may not start studies in {organisation}")
    try:
        chosen = get_recipe(recipe)
    except LookupError as exc:
        raise ValidationError({"recipe": str(exc)}) from None
    budget_trials, budget_seconds, parallelism = _budget(budget_trials, budget_seconds, parallelism)
    try:
        dv = inputs.dataset_version(dataset_version, organisation=organisation, acting_user=acting_user)
    except (LookupError, PermissionError, ValueError):
        raise ValidationError({"dataset_version": f"no dataset version {dataset_version} available to "
                                                  f"{organisation}"}) from None
    target = None
    if model not in (None, ""):
        try:
            target = inputs.target_model(model, organisation=organisation, acting_user=acting_user)
        except (LookupError, PermissionError, ValueError):
            raise ValidationError({"model": f"no model {model} of {organisation}"}) from None
    params = chosen.settle(dict(params or {}), organisation=organisation, acting_user=acting_user)
    plan = chosen.check(dv, params)
    with transaction.atomic():
        _check_quota(organisation, budget_trials)
        study = Study.objects.create(
            organisation=organisation, recipe=chosen.name, dataset_version=dv, target_model=target, params=params,
            plan=plan, metric=plan["metric"], direction=plan["direction"], budget_trials=budget_trials,
            budget_seconds=budget_seconds, parallelism=parallelism, seed=int(seed), created_by=acting_user)
        record("study.create", acting_user=acting_user, organisation=organisation, obj=study,
               data={"recipe": chosen.name, "dataset_version": dv.pk, "model": target.pk if target else None,
                     "params": params, "budget_trials": budget_trials, "budget_seconds": budget_seconds,
                     "parallelism": parallelism, "metric": plan["metric"]})
        _fill(study)
    return study


def _budget(trials, seconds, parallelism):
    errors = {}

    def whole(name, value, low, high):
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = f"{name} must be a whole number"
        elif not low <= value <= high:
            errors[name] = f"{name} must be from {low} to {high}"

    if trials is None and seconds is None:
        errors["budget_trials"] = "give a budget: budget_trials, budget_seconds or both"
    if trials is not None:
        whole("budget_trials", trials, 1, settings.STUDY_MAX_TRIALS)
    if seconds is not None:
        whole("budget_seconds", seconds, 1, settings.STUDY_MAX_SECONDS)
    whole("parallelism", parallelism, 1, settings.STUDY_MAX_PARALLELISM)
    if errors:
        raise ValidationError(errors)
    trials = settings.STUDY_MAX_TRIALS if trials is None else trials
    return trials, seconds, min(parallelism, trials)


def _check_quota(organisation, budget_trials):
    from core.platform.models import Organisation

    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # one quota check at a time
    quota = settings.STUDY_TRIAL_QUOTA_PER_ORGANISATION
    held = Study.objects.filter(organisation=organisation, status=Study.Status.RUNNING).aggregate(
        n=Sum("budget_trials"))["n"] or 0
    if held + budget_trials > quota:
        raise ValidationError({"budget_trials": (
            f"over {organisation}'s quota of {quota} trials in running studies: they hold {held}, so at most "
            f"{max(0, quota - held)} more; stop a study or wait for one to finish")})


def _as_search(trial):
    return {"number": trial.number, "params": trial.params, "status": trial.status, "value": trial.value,
            "intermediate": trial.intermediate}


def _out_of_time(study, now=None):
    if not study.budget_seconds:
        return False
    return ((now or timezone.now()) - study.created_at).total_seconds() >= study.budget_seconds


def _fill(study):
    """Queue trials while the budget allows and fewer than `parallelism` are active.
    Runs inside the caller's transaction, the study's row locked (or just created)."""
    trials = list(study.trials.all())
    active = sum(t.status in Trial.ACTIVE for t in trials)
    while len(trials) < study.budget_trials and active < study.parallelism and not _out_of_time(study):
        trials.append(_queue_trial(study, trials))
        active += 1


def _queue_trial(study, trials):
    recipe = get_recipe(study.recipe)
    space = recipe.search_space(study.params)
    if not trials:  # the defaults are always among the points tried
        defaults = recipe.defaults(study.params)
        params = {name: defaults[name] for name in space}
    else:
        params = search.next_params([_as_search(t) for t in trials], space, study.direction, study.seed)
    number = len(trials)
    trainer = LONG_TRIAL_TRAINER if recipe.long else TRIAL_TRAINER
    job = submit_job(trainer=trainer, organisation=study.organisation, acting_user=study.created_by,
                     params={"study": study.pk, "trial": number, "dataset_version": study.dataset_version_id,
                             "seed": study.seed, "params": params})
    return Trial.objects.create(study=study, number=number, params=params, job=job)


def advance(study_id):
    """After a trial ended: queue the next while the budget allows, or finish the study
    when no trial is left active. Returns the study."""
    with transaction.atomic():
        study = Study.objects.select_for_update().select_related("organisation").get(pk=study_id)
        if study.status != Study.Status.RUNNING:
            return study
        problem = ""
        try:
            with transaction.atomic():
                _fill(study)
        except (PermissionError, ValidationError, LookupError) as exc:
            # e.g. the person who started it lost the developer role: end with what was found.
            problem = f"could not queue the next trial: {exc}"
        if not study.trials.filter(status__in=Trial.ACTIVE).exists():
            _finish(study, Study.Status.SUCCEEDED, acting_user=None, message=problem)
    return study


def _best(study):
    order = "-value" if study.direction == "maximize" else "value"
    return study.trials.filter(status=Trial.Status.COMPLETE, value__isnull=False).order_by(order, "number").first()


def _finish(study, status, *, acting_user, message=""):
    """Register the best complete trial's bundle as a version of the target model (once),
    and close the study. Runs inside the caller's transaction, the study's row locked."""
    best = _best(study)
    version = None
    if best is None:
        status = Study.Status.FAILED if status == Study.Status.SUCCEEDED else status
        message = message or "no trial completed"
    elif study.target_model_id:
        try:
            with transaction.atomic():
                version = _register(study, best)
        except (PermissionError, ValidationError) as exc:
            message = f"the best trial could not be registered: {exc}"
    study.status, study.best_trial, study.finished_at = status, best, timezone.now()
    study.message = message[:500]
    study.save(update_fields=["status", "best_trial", "finished_at", "message"])
    record("study.finish", acting_user=acting_user, organisation=study.organisation, obj=study,
           data={"status": status, "best_trial": best.number if best else None,
                 "value": best.value if best else None, "model_version": version.pk if version else None,
                 "trials": study.trials.count(), "message": study.message})
    return study


def _register(study, best):
    from core.hub.actions.registry import create_version

    metrics = {**{k: v for k, v in best.metrics.items() if k not in ("history", "evaluation")}, "study": study.pk,
               "trial": best.number}
    if study.baseline:
        metrics[f"baseline_{study.baseline.get('metric', study.metric)}"] = study.baseline.get("value")
    version = create_version(
        study.target_model, artifact=best.artifact, acting_user=study.created_by,
        metrics={k: v for k, v in metrics.items() if v is not None},
        params={**study.params, **best.params, "recipe": study.recipe, "seed": study.seed},
        tags={"study": str(study.pk), "trial": str(best.number)},
        description=(f"best of study {study.pk} ({study.recipe}): trial {best.number}, "
                     f"{study.metric} {best.value:.4g} on the validation split"),
        lineage_from=[(best.run, "produced")] if best.run_id else [])
    Trial.objects.filter(pk=best.pk).update(model_version=version)
    best.model_version = version
    if best.metrics.get("evaluation"):
        from core.hub.actions.evaluations import record_evaluation

        kept = best.metrics["evaluation"]
        record_evaluation(version, kind=kept["kind"], dataset_version=study.dataset_version, summary=kept["summary"],
                          report=kept["report"], split=kept.get("split", ""), acting_user=study.created_by)
    return version


def stop_study(study, *, acting_user):
    """Stop now: queued and running trials are cancelled (a running one stops at its next
    report), finished trials are kept, and the best so far is registered."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, study.organisation):
        raise PermissionError(f"you may not stop studies in {study.organisation}")
    now = timezone.now()
    with transaction.atomic():
        study = Study.objects.select_for_update().select_related("organisation").get(pk=study.pk)
        if study.status != Study.Status.RUNNING:
            raise ValidationError({"status": f"study {study.pk} is already {study.status}"})
        for trial in study.trials.filter(status__in=Trial.ACTIVE).select_related("job"):
            if Job.objects.filter(pk=trial.job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
                    status=Job.Status.CANCELLED, finished_at=now, message="cancelled: its study was stopped"):
                record("job.cancel", acting_user=acting_user, organisation=study.organisation, obj=trial.job,
                       data={"study": study.pk})
            Trial.objects.filter(pk=trial.pk).update(status=Trial.Status.CANCELLED, finished_at=now,
                                                     message="its study was stopped")
        record("study.stop", acting_user=acting_user, organisation=study.organisation, obj=study)
        _finish(study, Study.Status.STOPPED, acting_user=acting_user, message="stopped")
    return study


# -- a trial's own steps, from its job (core.training.trainers.trial)

def start_trial(trial, run):
    """Mark the trial running in its job's run; False when its study no longer runs. A
    retried job starts the trial over."""
    started = Trial.objects.filter(pk=trial.pk, status__in=Trial.ACTIVE, study__status=Study.Status.RUNNING).update(
        status=Trial.Status.RUNNING, started_at=timezone.now(), run=run, intermediate={}, value=None)
    if started:
        trial.status, trial.run, trial.intermediate = Trial.Status.RUNNING, run, {}
    return bool(started)


def report_step(trial, step, value):
    """Keep the trial's validation metric at `step`; return why it should stop ("pruned",
    "time", "stopped") or None to go on."""
    trial.intermediate[str(int(step))] = float(value)
    Trial.objects.filter(pk=trial.pk, status=Trial.Status.RUNNING).update(intermediate=trial.intermediate)
    study = Study.objects.get(pk=trial.study_id)
    if study.status != Study.Status.RUNNING:
        return "stopped"
    if _out_of_time(study):
        return "time"
    recipe = get_recipe(study.recipe)
    others = [_as_search(t) for t in study.trials.exclude(pk=trial.pk)]
    if search.should_prune(others, _as_search(trial), recipe.search_space(study.params), study.direction,
                           recipe.warmup_steps):
        return "pruned"
    return None


def set_baseline(study, baseline):
    Study.objects.filter(pk=study.pk).update(baseline=baseline or {})
    study.baseline = baseline or {}


def end_trial(trial, status, *, value=None, metrics=None, artifact=None, message=""):
    """Record how the trial ended, once (a trial cancelled with its study stays cancelled)."""
    with transaction.atomic():
        ended = Trial.objects.filter(pk=trial.pk, status__in=Trial.ACTIVE).update(
            status=status, value=value, metrics=metrics or {}, artifact=artifact, message=message[:500],
            finished_at=timezone.now())
        if ended:
            record("study.trial", acting_user=None, organisation=trial.study.organisation, obj=trial.study,
                   data={"trial": trial.number, "status": status, "value": value, "params": trial.params,
                         "job": trial.job_id})
    return bool(ended)


def advance_quietly(study_id, log=None):
    """advance() from a job that has already recorded its own outcome: a broker that does
    not take the next trial leaves it to settle_orphans instead of failing this job."""
    try:
        return advance(study_id)
    except QueueUnavailable as exc:
        if log is not None:
            log(f"the next trial was not queued ({exc}); the reaper settles it")
        return None


def settle_orphans():
    """Trials still queued or running whose job has ended (a lost worker failed by the
    reaper, a job cancelled before it ran, a broker that refused it): failed, and their
    study advanced. Returns how many were settled."""
    settled = 0
    orphans = Trial.objects.filter(status__in=Trial.ACTIVE, job__status__in=Job.FINISHED).select_related(
        "job", "study__organisation")
    for trial in orphans:
        job = trial.job
        if end_trial(trial, Trial.Status.FAILED, message=f"its job {job.pk} ended {job.status}: "
                                                         f"{job.message or job.error}"):
            settled += 1
            advance_quietly(trial.study_id)
    return settled
