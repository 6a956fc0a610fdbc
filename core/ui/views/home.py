from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.hub.queries import visible_models, visible_versions
from core.platform.verticals import registry
from core.training.models import Job

from ..scope import visible_jobs

RECENT_VERSIONS = 8


@login_required
def home(request):
    user = request.user
    recent = (visible_versions(user).select_related("model", "model__organisation", "created_by")
              .order_by("-created_at", "-id")[:RECENT_VERSIONS])
    jobs = visible_jobs(user)
    menu = registry["menu"]
    return render(request, "ui/home.html", {
        "applications": [(v, menu.get(v.slug, [])) for v in registry["verticals"].values()],
        "model_count": visible_models(user).count(),
        "running_job_count": jobs.filter(status=Job.Status.RUNNING).count(),
        "queued_job_count": jobs.filter(status=Job.Status.QUEUED).count(),
        "recent_versions": recent,
    })
