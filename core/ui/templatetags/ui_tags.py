import json

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.inference.status import serving_status

register = template.Library()

# Names drawn in static/ui/icons.svg; a vertical naming another icon gets the box.
ICONS = {"home", "model", "box", "data", "job", "audit", "api", "graph", "flask", "factory", "bolt", "bank", "city",
         "globe", "logout", "grid", "check", "alert"}


@register.simple_tag
def icon(name, css_class="icon"):
    name = name if name in ICONS else "box"
    return format_html('<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
                       css_class, static("ui/icons.svg"), name)


@register.filter
def pretty_json(value):
    """Parameters and results as readable JSON, keys sorted so versions compare."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)


@register.filter
def inline_json(value):
    """Nested values on one line, for table cells."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


@register.filter
def is_scalar(value):
    return isinstance(value, (str, int, float, bool)) or value is None


@register.inclusion_tag("ui/partials/deployment_status.html")
def deployment_status(deployment):
    """The one deployment status badge (core/inference/status.py), for every page."""
    return {"status": serving_status(deployment)}


@register.filter
def metric_value(value):
    """A number in a metrics table: floats to 4 significant digits, the rest as is."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if value is None:
        return "—"
    return value


@register.filter
def duration(value):
    """A timedelta as "1 h 5 min", "3 min 20 s" or "12 s" (the two largest units)."""
    if value is None:
        return ""
    total = max(0, round(value.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    if minutes:
        return _("%(m)d min %(s)d s") % {"m": minutes, "s": seconds}
    return _("%(s)d s") % {"s": seconds}


@register.filter
def percent(value):
    try:
        return max(0, min(100, round(float(value) * 100)))
    except (TypeError, ValueError):
        return 0


@register.filter
def short_hash(value, length=12):
    return (value or "")[: int(length)]
