"""The grid pages of the energy vertical (mounted at /v/energy/): the grids a user may
see, and one grid's topology with the trip-an-element form. A trip is a what-if: the
outage analysis, the restoration plan and its power-flow check run on the grid's graph
and the shipped pandapower case, and nothing is written (views/faults.py records it as an
active fault when asked). A grid of another branch does not exist for the user (404)."""
from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.kg.projection import projection
from core.kg.queries import visible_graphs

from ..actions.faults import can_operate
from ..lib import restoration
from ..models import Grid
from ..queries import outage_plan
from . import ask, present


def visible_grids(user):
    return Grid.objects.filter(graph__in=visible_graphs(user)).select_related("graph__organisation")


def grid_or_404(user, grid_id):
    return get_object_or_404(visible_grids(user), pk=grid_id)


def is_htmx(request):
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


class TripForm(forms.Form):
    tripped = forms.ChoiceField(label=_("Element to trip"))
    verify = forms.BooleanField(label=_("Check with a power flow"), required=False, initial=True)

    def __init__(self, *args, elements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tripped"].choices = [("", _("Choose a line or transformer"))] + list(elements)


def panels(user, graph=None):
    return {"defects": present.patrol_defects(user, graph), "forecast": present.load_forecast(user)}


@login_required
def dashboard(request):
    grids = list(visible_grids(request.user).order_by("graph__organisation__name", "graph__name"))
    totals = Grid.objects.filter(pk__in=[g.pk for g in grids]).aggregate(buses=Sum("buses"), branches=Sum("branches"))
    return render(request, "energy/dashboard.html", {
        "grids": grids, "totals": {"grids": len(grids), "buses": totals["buses"] or 0,
                                   "branches": totals["branches"] or 0},
        "active_faults": present.active_faults(request.user),
        **panels(request.user),
    })


def grid_context(grid, user, form=None):
    kg = projection(grid.graph)
    topo = restoration.topology(kg)
    elements = present.trippable(topo)
    chart = present.topology_chart(kg, topo)
    return {
        "grid": grid, "graph": grid.graph, "chart": chart, "levels": chart["categories"],
        "form": form or TripForm(elements=elements, initial={"verify": True}),
        "n_buses": topo.number_of_nodes(), "n_elements": len(elements),
        "can_operate": can_operate(user, grid), **present.grid_faults(grid),
    }


@login_required
def grid_page(request, grid_id):
    grid = grid_or_404(request.user, grid_id)
    context = grid_context(grid, request.user)
    context.update(panels(request.user, grid.graph), ask_examples=ask.examples(context["chart"]))
    return render(request, "energy/grid.html", context)


@login_required
@require_POST
def trip(request, grid_id):
    """The outage form: HTMX answers the result panel, a plain POST the whole page."""
    grid = grid_or_404(request.user, grid_id)
    kg = projection(grid.graph)
    topo = restoration.topology(kg)
    form = TripForm(request.POST, elements=present.trippable(topo))
    result, errors, status = None, [], 200
    if form.is_valid():
        tripped = form.cleaned_data["tripped"]
        try:
            result = present.outage(outage_plan(grid, [tripped], verify=form.cleaned_data["verify"]), topo)
        except restoration.GridError as exc:
            errors, status = [str(exc)], 400
    else:
        errors, status = [e for errs in form.errors.values() for e in errs], 400
    if is_htmx(request):
        response = render(request, "energy/partials/outage_result.html",
                          {"grid": grid, "result": result, "errors": errors,
                           "can_operate": can_operate(request.user, grid)}, status=status)
        patch_vary_headers(response, ["HX-Request"])
        return response
    context = grid_context(grid, request.user, form=form)
    context.update(panels(request.user, grid.graph), result=result, errors=errors)
    return render(request, "energy/grid.html", context, status=status)
