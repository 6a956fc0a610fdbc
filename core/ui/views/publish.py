"""One-click publish: deploy a version on a profile that fits it (its bundle carries the
backend's format and this host has the device) and try the deployment on a sample at once,
an uploaded image or the JSON its task takes. Promotion to a protected alias such as
`champion` stays behind the hub's maker-checker approval."""
import json
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.hub.queries import visible_versions
from core.inference.actions.deployments import create_deployment, fitting_profiles
from core.inference.actions.predict import predict
from core.inference.models import Deployment
from core.platform import access
from core.platform.errors import BadInput, Conflict, TooLarge, Unavailable
from core.platform.lib import roles

IMAGE_TASKS = ("detection", "classification")
# What a JSON sample looks like for each task that takes JSON (shown in the try form).
EXAMPLES = {"tabular_classification": '{"records": [{"column": "value"}]}',
            "tabular_regression": '{"records": [{"column": "value"}]}',
            "text_classification": '{"texts": ["..."]}',
            "forecast": '{"history": [{"time": "...", "target": 0}]}'}
MAX_JSON_SAMPLE = 1024 * 1024


def task_of(version) -> str:
    from core.hub.storage import get_storage

    try:
        with zipfile.ZipFile(get_storage().local_path(version.artifact_id)) as zf:
            return json.loads(zf.read("manifest.json")).get("task", "")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return ""


def publish_context(user, version):
    """What the version and evaluation pages need to offer the deploy form: the profiles that
    fit and the organisations the user may deploy in (empty when they may not deploy)."""
    orgs = [o for o in access.orgs_with(user, roles.DEVELOP).order_by("path")
            if access.sees(o, version.model.organisation, shared=version.model.published)]
    return {"deploy_profiles": fitting_profiles(version) if orgs else [], "deploy_orgs": orgs}


@login_required
@require_POST
def version_deploy(request, version_id):
    version = get_object_or_404(visible_versions(request.user).select_related("model__organisation"), pk=version_id)
    orgs = publish_context(request.user, version)["deploy_orgs"]
    organisation = next((o for o in orgs if str(o.pk) == request.POST.get("organisation")), None)
    try:
        if organisation is None:
            raise PermissionError("choose an organisation you deploy models in")
        dep = create_deployment(name=(request.POST.get("name") or "").strip(), organisation=organisation,
                                model_version=version, profile=request.POST.get("profile", ""),
                                acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items())
                       if hasattr(exc, "message_dict") else "; ".join(exc.messages))
        return redirect("ui:version", version_id=version.pk)
    except PermissionError as exc:
        messages.error(request, str(exc))
        return redirect("ui:version", version_id=version.pk)
    messages.success(request, f"deployed as {dep.name} on {dep.profile}: try it below")
    return redirect("ui:deployment_try", deployment_id=dep.pk)


@login_required
def deployment_try(request, deployment_id):
    dep = get_object_or_404(access.scope(Deployment.objects.all(), request.user)
                            .select_related("model_version__model", "organisation"), pk=deployment_id)
    task = task_of(dep.model_version)
    answer, problem, sample = None, None, ""
    if request.method == "POST":
        try:
            if task in IMAGE_TASKS:
                upload = request.FILES.get("image")
                if upload is None:
                    raise BadInput("choose an image file")
                inputs = {"image": upload.read()}
            else:
                sample = request.POST.get("sample", "")
                if len(sample) > MAX_JSON_SAMPLE:
                    raise BadInput(f"the sample is over {MAX_JSON_SAMPLE} characters")
                try:
                    inputs = json.loads(sample)
                except ValueError as exc:
                    raise BadInput(f"not JSON: {exc}") from None
                if not isinstance(inputs, dict):
                    raise BadInput("send a JSON object, e.g. " + EXAMPLES.get(task, '{"records": [...]}'))
            answer = predict(dep, inputs, acting_user=request.user)
        except (BadInput, ValidationError, PermissionError, Conflict, Unavailable, TooLarge) as exc:
            problem = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return render(request, "ui/deployment_try.html", {
        "dep": dep, "version": dep.model_version, "task": task, "image_task": task in IMAGE_TASKS,
        "example": EXAMPLES.get(task, ""), "sample": sample, "answer": answer, "problem": problem,
    }, status=400 if problem else 200)
