from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404

from core.training.models import Job
from core.training.queries import job_timings

from ..forms import JobFilterForm
from ..scope import visible_jobs
from .htmx import render_page

PAGE_SIZE = 50
ACTIVE = (Job.Status.QUEUED, Job.Status.RUNNING)


@login_required
def job_list(request):
    jobs = visible_jobs(request.user).select_related("organisation", "started_by")
    form = JobFilterForm(request.GET or None)
    status = 200
    if form.is_bound and form.is_valid() and form.cleaned_data["status"]:
        jobs = jobs.filter(status=form.cleaned_data["status"])
    elif form.is_bound and not form.is_valid():
        jobs, status = jobs.none(), 400
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    timings = job_timings(page)
    for job in page:
        job.timing = timings[job.pk]
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(request, "ui/jobs.html", "ui/partials/jobs_table.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "polling": any(job.status in ACTIVE for job in page),
    }, status=status)


@login_required
def job_detail(request, job_id):
    job = get_object_or_404(visible_jobs(request.user).select_related("organisation", "started_by"), pk=job_id)
    job.timing = job_timings([job])[job.pk]
    return render_page(request, "ui/job.html", "ui/partials/job_detail.html", {
        "job": job,
        "runs": job.runs.order_by("attempt", "id"),
        "polling": job.status in ACTIVE,
    })
