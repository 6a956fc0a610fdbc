"""The model factory's pages: the studies a user may see, the wizard that starts one (a dataset
version, a recipe that trains on its kind, the recipe's settings and a budget) and a study's
live leaderboard (metric by trial, best so far, what each trial tried), which can stop it."""
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.data.models import DatasetVersion
from core.data.queries import visible_datasets
from core.platform import access
from core.platform.lib import roles
from core.training.actions.studies import stop_study
from core.training.actions.wizard import start_study
from core.training.models import Study, Trial
from core.training.queries import leaderboard
from core.training.recipes import all_recipes, get_recipe

from .htmx import render_page

DEFAULT_TRIALS, DEFAULT_MINUTES, DEFAULT_PARALLELISM = 10, 30, 2
MAX_COLUMNS_SHOWN = 500


def _studies(user):
    return access.scope(Study.objects.all(), user).select_related(
        "organisation", "dataset_version__dataset", "best_trial", "target_model", "created_by")


@login_required
def study_list(request):
    studies = list(_studies(request.user)[:200])
    return render(request, "ui/studies.html", {"studies": studies, "can_start": _develop_orgs(request.user).exists()})


def _develop_orgs(user):
    return access.orgs_with(user, roles.DEVELOP).order_by("path")


def _versions(user):
    """Dataset versions a user may start a study on: of the datasets they see, of a kind some
    recipe trains on, newest first."""
    kinds = {r.dataset_kind for r in all_recipes()}
    return (DatasetVersion.objects.filter(dataset__in=visible_datasets(user), dataset__kind__in=kinds)
            .select_related("dataset__organisation").order_by("dataset__name", "-version")[:500])


def _columns(version):
    from core.data.actions.tables import read_columns

    try:
        header, _, _ = read_columns(version, [], max_rows=1)
    except Exception:  # noqa: BLE001 - an unreadable table shows no column list; the check says why
        return []
    return header[:MAX_COLUMNS_SHOWN]


def _fields(recipe, version, values):
    """The recipe's settings as form fields, with a table's columns to pick from."""
    columns = _columns(version) if any(s.get("kind") in ("column", "columns") for s in recipe.settings.values()) \
        else []
    fields = []
    for name, spec in recipe.settings.items():
        kind = spec.get("kind", "text")
        value = values.getlist(name) if kind == "columns" else values.get(name, spec.get("default", ""))
        fields.append({"name": name, "kind": kind, "help": spec.get("help", ""), "required": spec.get("required"),
                       "choices": spec.get("choices") or (columns if kind in ("column", "columns") else []),
                       "value": value if value is not None else ""})
    return fields


def _settings(recipe, data):
    """The settings the form sent, typed as the recipe declares them; blank ones left out
    (the recipe's defaults apply). ValidationError names a setting that is not a number."""
    params, errors = {}, []
    for name, spec in recipe.settings.items():
        kind = spec.get("kind", "text")
        if kind == "columns":
            chosen = [c for c in data.getlist(name) if c]
            if chosen:
                params[name] = chosen
            continue
        raw = (data.get(name) or "").strip()
        if raw == "":
            continue
        try:
            params[name] = int(raw) if kind == "integer" else float(raw) if kind == "number" else raw
        except ValueError:
            errors.append(f"{name}: {raw!r} is not a {'whole number' if kind == 'integer' else 'number'}")
            continue
        if kind == "number" and not math.isfinite(params[name]):
            errors.append(f"{name}: must be a finite number")
    if errors:
        raise ValidationError({"params": errors})
    return params


def _whole(data, name, default):
    raw = (data.get(name) or "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({name: f"{raw!r} is not a whole number"}) from None


@login_required
def study_new(request):
    """GET: the wizard's steps (a version, then a recipe for its kind, then settings and budget);
    POST: start the study, or show the wizard again with what the check refused."""
    orgs = list(_develop_orgs(request.user))
    if not orgs:
        raise Http404("you may not start studies")
    data = request.POST if request.method == "POST" else request.GET
    versions = list(_versions(request.user))
    version = next((v for v in versions if str(v.pk) == data.get("dataset_version")), None)
    recipes = [r for r in all_recipes() if version is not None and r.dataset_kind == version.dataset.kind]
    recipe = next((r for r in recipes if r.name == data.get("recipe")), None)
    errors = []
    if request.method == "POST":
        if recipe is None:
            errors.append("choose a dataset version and a recipe that trains on its kind")
        else:
            try:
                organisation = next((o for o in orgs if str(o.pk) == data.get("organisation")), None)
                if organisation is None:
                    raise ValidationError({"organisation": "choose an organisation you develop models in"})
                minutes = _whole(data, "budget_minutes", DEFAULT_MINUTES)
                study = start_study(
                    organisation=organisation, acting_user=request.user, recipe=recipe.name,
                    dataset_version=version.pk, model_name=(data.get("model_name") or "").strip(),
                    params=_settings(recipe, data), budget_trials=_whole(data, "budget_trials", DEFAULT_TRIALS),
                    budget_seconds=minutes * 60 if minutes else None,
                    parallelism=_whole(data, "parallelism", DEFAULT_PARALLELISM), seed=_whole(data, "seed", 0))
            except ValidationError as exc:
                errors.extend(_messages(exc))
            except PermissionError as exc:
                errors.append(str(exc))
            else:
                messages.success(request, f"study #{study.pk} started")
                return redirect("ui:study", study_id=study.pk)
    context = {
        "versions": versions, "version": version, "recipes": recipes, "recipe": recipe, "orgs": orgs,
        "errors": errors, "fields": _fields(recipe, version, data) if recipe else [],
        "space": recipe.search_space({}) if recipe else {},
        "defaults": {"budget_trials": data.get("budget_trials", DEFAULT_TRIALS),
                     "budget_minutes": data.get("budget_minutes", DEFAULT_MINUTES),
                     "parallelism": data.get("parallelism", DEFAULT_PARALLELISM),
                     "model_name": data.get("model_name") or (
                         f"{version.dataset.name}-{recipe.name}"[:100].replace("_", "-") if recipe else ""),
                     "organisation": data.get("organisation") or (
                         str(version.dataset.organisation_id) if version else "")},
    }
    return render(request, "ui/study_new.html", context, status=400 if errors else 200)


def _messages(exc):
    if hasattr(exc, "message_dict"):
        return [f"{field}: {m}" if field != "__all__" else m for field, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)


def _leaderboard(study):
    trials = list(study.trials.select_related("job", "model_version").order_by("number"))
    sign = 1 if study.direction == "maximize" else -1
    best, points = None, []
    for t in trials:
        if t.status == Trial.Status.COMPLETE and t.value is not None and (best is None or sign * t.value > sign * best):
            best = t.value
        t.is_best = study.best_trial_id == t.pk
        t.seconds = (t.finished_at - t.started_at).total_seconds() if t.finished_at and t.started_at else None
        points.append(best)
    chart = {"x_name": "trial", "x": [t.number for t in trials], "series": [
        {"name": study.metric, "values": [t.value if t.status == Trial.Status.COMPLETE else None for t in trials]},
        {"name": "best so far", "values": points}]}
    if study.baseline.get("value") is not None:
        chart["series"].append({"name": f"baseline ({study.baseline.get('model', '')})",
                                "values": [study.baseline["value"]] * len(trials)})
    return trials, leaderboard(study, trials), chart


@login_required
def study_detail(request, study_id):
    study = get_object_or_404(_studies(request.user), pk=study_id)
    trials, ranked, chart = _leaderboard(study)
    running = study.status == Study.Status.RUNNING
    return render_page(request, "ui/study.html", "ui/partials/study_board.html", {
        "study": study, "trials": trials, "ranked": ranked[:10], "chart": chart, "polling": running,
        "can_stop": running and access.can(request.user, roles.DEVELOP, study.organisation),
        "best_version": study.best_trial.model_version if study.best_trial_id else None,
        "recipe": _recipe_or_none(study.recipe),
    })


def _recipe_or_none(name):
    try:
        return get_recipe(name)
    except LookupError:
        return None


@login_required
@require_POST
def study_stop(request, study_id):
    study = get_object_or_404(_studies(request.user), pk=study_id)
    try:
        stop_study(study, acting_user=request.user)
    except PermissionError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, "; ".join(_messages(exc)))
    else:
        messages.success(request, f"study #{study.pk} stopped; the best trial so far is kept")
    return redirect("ui:study", study_id=study.pk)
