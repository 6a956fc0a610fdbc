"""The city operations dashboard (/v/city/): streams and their analysed rate, events by
type and by hour, the one map (drawn in-page by the map page's own script: a frame would be
refused by X-Frame-Options: DENY), and how busy the compute pools are. The streams panel
refreshes itself through HTMX."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import queries
from .labels import dress_camera
from .map import map_config


def _streams(user):
    rows = queries.streams(user)
    for row in rows:
        dress_camera(row["camera"])
    return rows


def _context(user):
    rows = _streams(user)
    org = queries.map_organisation(user)
    return {"section": "city", "streams": rows, "stream_totals": queries.stream_totals(rows),
            "events": queries.event_stats(user), "pools": queries.pool_utilisation(user),
            "map_org": org, "map_config": map_config(org), "map_variant": "inset"}


@login_required
def dashboard(request):
    return render(request, "city/dashboard.html", _context(request.user))


@login_required
def streams_panel(request):
    rows = _streams(request.user)
    return render(request, "city/partials/dashboard_streams.html",
                  {"streams": rows, "stream_totals": queries.stream_totals(rows)})
