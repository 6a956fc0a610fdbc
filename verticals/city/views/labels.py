"""What the city pages and the map API show for the vertical's stored English keys, in the
reader's language: road-user classes, crossing directions, map layers, event titles, camera
messages and scheduler reasons.

The worker that writes an event, a camera status or a pool's reason has no reader, so it
stores English (the audit trail stays one language); this module translates at display time
from the known set. Anything outside the set (a custom model's class, a new message) is shown
as stored rather than guessed at."""
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Camera

CLASS_LABELS = {
    "person": gettext_lazy("person"),
    "vehicle": gettext_lazy("vehicle"),
    "car": gettext_lazy("car"),
    "bus": gettext_lazy("bus"),
    "truck": gettext_lazy("truck"),
    "bicycle": gettext_lazy("bicycle"),
    "motorcycle": gettext_lazy("motorcycle"),
    "muck_truck": gettext_lazy("muck truck"),
    "muck_truck_uncovered": gettext_lazy("muck truck (uncovered load)"),
}

DIRECTION_LABELS = {
    "a_to_b": gettext_lazy("A to B"),
    "b_to_a": gettext_lazy("B to A"),
    "any": gettext_lazy("either way"),
}

LAYER_TITLES = {
    "roads": gettext_lazy("Roads"),
    "buildings": gettext_lazy("Buildings"),
    "pois": gettext_lazy("Points of interest"),
}


def camera_status_label(status):
    return str(dict(Camera.Status.choices).get(status, status or ""))


# A file source that reached its end is not a broken camera: shown neutral, not red.
FILE_ENDED_PREFIXES = ("end of file", "the file ended")


def camera_shown(camera):
    """{'status', 'label'} for a camera's badge: 'file_ended' for an offline file source
    whose stream simply ended (the stored status stays offline)."""
    message = (camera.status_message or "").lower()
    if camera.status == Camera.Status.OFFLINE and message.startswith(FILE_ENDED_PREFIXES):
        return {"status": "file_ended", "label": _("File ended")}
    return {"status": camera.status, "label": camera_status_label(camera.status)}


def class_label(cls):
    return str(CLASS_LABELS.get(cls, cls or ""))


def direction_label(direction):
    return str(DIRECTION_LABELS.get(direction, direction or ""))


def layer_title(layer):
    return str(LAYER_TITLES.get(layer.name, layer.title))


def event_title(event):
    """The event's headline in the reader's language, rebuilt from what the rule stored
    (kind, class, rule name, details); the stored English title when the rule is gone or
    the kind is not one the city rules fire."""
    rule = event.rule.name if event.rule_id and event.rule else None
    details = event.details or {}
    what = class_label(event.cls)
    if rule is None:
        return event.title
    if event.kind == "zone_entry":
        return _("%(what)s in %(rule)s") % {"what": what, "rule": rule}
    if event.kind == "loitering" and "seconds" in details:
        return _("%(what)s loitering in %(rule)s for %(seconds).0f s") % {
            "what": what, "rule": rule, "seconds": float(details["seconds"])}
    if event.kind == "muck_restricted":
        return _("muck truck in restricted %(rule)s") % {"rule": rule}
    if event.kind == "line_crossing" and "direction" in details:
        return _("%(what)s crossed %(rule)s (%(direction)s)") % {
            "what": what, "rule": rule, "direction": direction_label(details["direction"])}
    if event.kind == "count" and "count" in details and "limit" in details:
        if event.cls:
            return _("%(count)s %(what)s in %(rule)s (limit %(limit)s)") % {
                "count": details["count"], "what": what, "rule": rule, "limit": details["limit"]}
        return _("%(count)s in %(rule)s (limit %(limit)s)") % {
            "count": details["count"], "rule": rule, "limit": details["limit"]}
    if event.kind == "muck_uncovered":
        return _("muck truck with an uncovered load")
    if event.kind == "muck_route" and "distance_px" in details:
        return _("muck truck off its permitted route (%(distance).0f px away)") % {
            "distance": float(details["distance_px"])}
    return event.title


# The stream pipeline's and the dispatcher's messages, as (pattern, translated template).
# A stored message joins several with "; ", each translated on its own.
_MESSAGES = [
    (re.compile(r"end of file after (?P<frames>\d+) frames"),
     gettext_lazy("end of file after %(frames)s frames")),
    (re.compile(r"streaming (?P<size>\d+x\d+) at (?P<fps>[\d.]+) FPS, analysed at (?P<out>\d+x\d+), "
                r"(?P<rate>[\d.]+) FPS"),
     gettext_lazy("streaming %(size)s at %(fps)s FPS, analysed at %(out)s, %(rate)s FPS")),
    (re.compile(r"could not open (?P<source>\S+): unreachable, refused, or not a video stream"),
     gettext_lazy("could not open %(source)s: unreachable, refused, or not a video stream")),
    (re.compile(r"the analysis did not finish within (?P<seconds>[\d.]+) s; its worker thread was abandoned"),
     gettext_lazy("the analysis did not finish within %(seconds)s s; its worker thread was abandoned")),
    (re.compile(r"(?P<n>\d+) rule\(s\) skipped: (?P<rules>.*)"),
     gettext_lazy("%(n)s rule(s) skipped: %(rules)s")),
    (re.compile(r"stopped on request"), gettext_lazy("stopped on request")),
    (re.compile(r"could not store the records: (?P<error>.*)"),
     gettext_lazy("could not store the records: %(error)s")),
    (re.compile(r"no NVIDIA GPU on this host \(nvidia-smi finds none\)"),
     gettext_lazy("no NVIDIA GPU on this host (nvidia-smi finds none)")),
    (re.compile(r"no Ascend NPU on this host \(/dev/davinci\* absent\)"),
     gettext_lazy("no Ascend NPU on this host (/dev/davinci* absent)")),
    (re.compile(r"no Kunlun XPU on this host \(/dev/xpu\* absent\)"),
     gettext_lazy("no Kunlun XPU on this host (/dev/xpu* absent)")),
    (re.compile(r"no (?P<device>.+) on this host"), gettext_lazy("no %(device)s on this host")),
    (re.compile(r"no such file: (?P<source>.+)"), gettext_lazy("no such file: %(source)s")),
    (re.compile(r"not a file: (?P<source>.+)"), gettext_lazy("not a file: %(source)s")),
    (re.compile(r"(?P<file>.+) is not a readable video \(unknown format or corrupt\)"),
     gettext_lazy("%(file)s is not a readable video (unknown format or corrupt)")),
    (re.compile(r"the stream stopped: (?P<n>\d+) failed reads in a row"),
     gettext_lazy("the stream stopped: %(n)s failed reads in a row")),
]


def message_label(message):
    """A stored camera, stream-run or scheduler message in the reader's language, part by
    part; parts outside the known set stay as stored."""
    if not message:
        return message or ""
    parts = []
    for part in str(message).split("; "):
        for pattern, template in _MESSAGES:
            found = pattern.fullmatch(part)
            if found:
                part = str(template) % found.groupdict()
                break
        parts.append(part)
    return "; ".join(parts)


# What the pages render: the shown text is put on the objects by the views (no template
# filters), so every page reads the same fields.
def dress_camera(camera):
    camera.shown = camera_shown(camera)
    camera.message_shown = message_label(camera.status_message)
    return camera


def dress_run(run):
    run.outcome_label = camera_status_label(run.outcome)
    run.message_shown = message_label(run.message)
    return run


def dress_record(record):
    record.cls_label = class_label(record.cls)
    return record


def dress_event(event):
    event.title_shown = event_title(event)
    return event


def dress_call(call):
    call.message_shown = message_label(call.message)
    return call
