"""The scheduler page (/v/city/scheduler/): compute pools with their accelerator and
whether this host simulates them (and why), live utilisation refreshed through HTMX, the
registered algorithms and where they would run, and the recent calls."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.platform import access
from core.platform.lib import roles

from ..actions import dispatchers as runtime
from ..models import Algorithm, DispatchRecord
from .labels import dress_call, message_label

RECENT_CALLS = 30


def _utilisation(user):
    return runtime.utilisation(access.org_ids_with(user, roles.READ))


@login_required
def scheduler_page(request):
    orgs = access.org_ids_with(request.user, roles.READ)
    algorithms = (Algorithm.objects.filter(organisation_id__in=orgs)
                  .select_related("organisation", "model_version__model", "deployment"))
    calls = (DispatchRecord.objects.filter(algorithm__organisation_id__in=orgs)
             .select_related("algorithm", "pool", "requested_by")[:RECENT_CALLS])
    return render(request, "city/scheduler.html", {
        "section": "city", "pools": _utilisation(request.user),
        "algorithms": [_dressed(runtime.describe_algorithm(a)) for a in algorithms],
        "calls": [dress_call(c) for c in calls],
        "standins": sorted(runtime.SIMULATION_STANDINS.items())})


@login_required
def utilisation_panel(request):
    return render(request, "city/scheduler_utilisation.html", {"pools": _utilisation(request.user)})


def _dressed(algorithm):
    return {**algorithm, "simulated_reason_shown": message_label(algorithm.get("simulated_reason"))}
