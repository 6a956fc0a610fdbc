"""The one map (/v/city/map/): the district's OpenStreetMap roads, buildings and points of
interest drawn as vector layers by Leaflet (served from our static files, no tile server),
with cameras, sensors and live events on top and a time slider over the events. The page
draws itself from the map API; the dashboard draws the same panel in-page (the platform
sends X-Frame-Options: DENY, so no frame); `?embed=1` still gives the bare map."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..queries import EVENT_WINDOW, map_organisation

POLL_SECONDS = 10


def map_config(org):
    """What map.js reads from the page: the API addresses and its translated words."""
    query = f"?org={org.code}" if org else ""
    return {
        "org": org.code if org else None,
        "urls": {"layers": reverse("api:city-map-layer-list") + query,
                 "cameras": reverse("api:city-map-cameras-list"), "sensors": reverse("api:city-map-sensors-list"),
                 "events": reverse("api:city-map-events-list")},
        "window_hours": EVENT_WINDOW.total_seconds() / 3600,
        "poll_ms": POLL_SECONDS * 1000,
        "text": {
            "cameras": _("Cameras"), "sensors": _("Sensors"), "events": _("Events"),
            "status": _("Status"), "fps": _("Analysed FPS"), "value": _("Latest reading"),
            "synthetic": _("synthetic data"), "occurred": _("Occurred"), "open_event": _("Open the event"),
            "open_camera": _("Open the camera"), "kind": _("Type"), "severity": _("Severity"),
            "no_layers": _("No map imported yet: run manage.py city_import_osm."),
            "live": _("live"), "paused": _("paused"), "updated": _("updated"), "failed": _("refresh failed"),
            "shown": _("events shown"), "no_reading": _("no reading yet"),
        },
    }


@login_required
def map_page(request):
    org = map_organisation(request.user, request.GET.get("org") or None)
    embed = request.GET.get("embed") == "1"
    return render(request, "city/map_embed.html" if embed else "city/map.html",
                  {"section": "city", "map_org": org, "map_config": map_config(org), "embed": embed})
