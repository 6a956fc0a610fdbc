"""Example questions for the ask box of a grid page (core's kg/partials/ask_box.html),
about this grid's own buses and lines, in the page's language: what a dispatcher asks a
colleague who knows the grid (neighbours, a rating, what a trip cuts off)."""
import re

from django.utils.translation import get_language
from django.utils.translation import gettext as _

NUMBERED = re.compile(r"^Bus (\d+)$")


def _spoken(name, zh):
    """"Bus 3" is said "3号母线" in Chinese, as the question index names it too."""
    match = NUMBERED.match(name)
    return f"{match.group(1)}号母线" if zh and match else name


def examples(chart):
    """Up to three questions over the grid drawn by `chart` (present.topology_chart)."""
    if not chart["nodes"]:
        return []
    zh = (get_language() or "").lower().startswith("zh")
    names = {n["id"]: n["name"] for n in chart["nodes"]}
    bus = _spoken(chart["nodes"][0]["name"], zh)
    out = [_("Which buses are directly connected to %(bus)s?") % {"bus": bus},
           _("What is the rated voltage of %(bus)s?") % {"bus": bus}]
    line = next((link for link in chart["links"] if link["cls"] == "Line" and link["closed"]), None)
    if line:
        out.append(_("If the line between %(a)s and %(b)s trips, which buses lose supply?")
                   % {"a": _spoken(names[line["source"]], zh), "b": _spoken(names[line["target"]], zh)})
    return out
