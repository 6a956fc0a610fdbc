"""City brain: cameras and what their video is structured into, the rules that turn tracks
into events and the events' workflow, the one map's layers, and the algorithm scheduler's
pools and calls. Geometry on a camera is in pixels of the analysed frame; geometry on the
map is WGS84 GeoJSON (lon, lat)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Camera(models.Model):
    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("Not started")
        ONLINE = "online", _("Online")
        DEGRADED = "degraded", _("Degraded")  # frames arrive, but slower than asked or with decode errors
        OFFLINE = "offline", _("Offline")  # the stream ended, or could not be opened / timed out
        ERROR = "error", _("Error")  # the source is not a video at all, or the analysis failed

    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=1000, help_text="rtsp://, http(s):// or a file path on the worker")
    deployment = models.ForeignKey("inference.Deployment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="the detector this camera's frames go through")
    analysis_fps = models.FloatField(default=5.0)
    frame_width = models.PositiveIntegerField(default=640, help_text="frames are resized to this width")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    heading_deg = models.FloatField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNKNOWN, db_index=True)
    status_message = models.CharField(max_length=500, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)
    last_frame_at = models.DateTimeField(null=True, blank=True)
    measured_fps = models.FloatField(default=0.0, help_text="frames analysed per second in the last run")
    frames_analysed = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="unique_camera_per_org")]

    def __str__(self):
        return self.name


class Rule(models.Model):
    """One analysis rule on one camera. `geometry` holds the polygon ([[x, y], ...]) or the
    line ([[x1, y1], [x2, y2]]) or the route polyline; `params` the rest (classes,
    direction, seconds, hours, thresholds), validated by lib.rules for its kind."""

    class Kind(models.TextChoices):
        ZONE_ENTRY = "zone_entry", _("Object in zone")
        LINE_CROSSING = "line_crossing", _("Line crossing")
        LOITERING = "loitering", _("Loitering")
        COUNT = "count", _("Per-class count over a limit")
        MUCK_RESTRICTED = "muck_restricted", _("Muck truck in a restricted zone or hour")
        MUCK_UNCOVERED = "muck_uncovered", _("Muck truck with an uncovered load")
        MUCK_ROUTE = "muck_route", _("Muck truck off its permitted route")

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    geometry = models.JSONField(default=list, blank=True)
    params = models.JSONField(default=dict, blank=True)
    severity = models.PositiveSmallIntegerField(default=2, help_text="1 (low) to 4 (critical)")
    enabled = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["camera", "name"]
        constraints = [models.UniqueConstraint(fields=["camera", "name"], name="unique_rule_name_per_camera")]

    def __str__(self):
        return self.name


class StreamRun(models.Model):
    """One pass of the structuring pipeline over a camera's stream: what it read, how fast,
    and how it ended."""

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="runs")
    model_version = models.ForeignKey("hub.ModelVersion", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    frames_read = models.PositiveIntegerField(default=0)
    frames_analysed = models.PositiveIntegerField(default=0)
    decode_errors = models.PositiveIntegerField(default=0)
    tracks = models.PositiveIntegerField(default=0)
    events = models.PositiveIntegerField(default=0)
    fps = models.FloatField(default=0.0)
    outcome = models.CharField(max_length=12, blank=True, help_text="a Camera.Status value")
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]


class TrackRecord(models.Model):
    """A structured observation: one tracked object in one analysed frame."""

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="records")
    run = models.ForeignKey(StreamRun, null=True, blank=True, on_delete=models.CASCADE, related_name="records")
    track_id = models.PositiveIntegerField()
    cls = models.CharField(max_length=64, db_index=True)
    score = models.FloatField()
    box = models.JSONField(help_text="[x1, y1, x2, y2] in frame pixels")
    frame_index = models.PositiveIntegerField()
    observed_at = models.DateTimeField(db_index=True)
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["camera", "observed_at", "track_id"]
        indexes = [models.Index(fields=["camera", "track_id"])]


class Event(models.Model):
    """A rule fired. Workflow new -> dispatched -> handled -> closed; the response time is
    from occurrence to dispatch, the handling time from occurrence to handled."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        DISPATCHED = "dispatched", _("Dispatched")
        HANDLED = "handled", _("Handled")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="+")
    camera = models.ForeignKey(Camera, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    rule = models.ForeignKey(Rule, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    kind = models.CharField(max_length=20, db_index=True, help_text="the rule kind that fired")
    title = models.CharField(max_length=300)
    severity = models.PositiveSmallIntegerField(default=2)
    track_id = models.PositiveIntegerField(null=True, blank=True)
    cls = models.CharField(max_length=64, blank=True)
    occurred_at = models.DateTimeField(db_index=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    evidence = models.ForeignKey("hub.Artifact", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text="the evidence frame (JPEG, content-addressed)")
    evidence_boxes = models.JSONField(default=list, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prediction = models.ForeignKey("inference.PredictionRecord", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW, db_index=True)
    assignee = models.CharField(max_length=200, blank=True, help_text="the team or officer dispatched")
    dispatched_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    response_seconds = models.FloatField(null=True, blank=True)
    handling_seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self):
        return self.title


class EventTransition(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12)
    to_status = models.CharField(max_length=12)
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "at", "id"]


class MapLayer(models.Model):
    class Kind(models.TextChoices):
        ROADS = "roads", _("Roads")
        BUILDINGS = "buildings", _("Buildings")
        POIS = "pois", _("Points of interest")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.SlugField(max_length=100)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    source = models.CharField(max_length=300, help_text="where the features came from (file, licence)")
    source_sha256 = models.CharField(max_length=64, blank=True)
    feature_count = models.PositiveIntegerField(default=0)
    bbox = models.JSONField(default=list, blank=True, help_text="[min_lon, min_lat, max_lon, max_lat]")
    style = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_map_layer_per_org")]

    def __str__(self):
        return self.title


class MapFeature(models.Model):
    layer = models.ForeignKey(MapLayer, on_delete=models.CASCADE, related_name="features")
    osm_id = models.BigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=300, blank=True)
    category = models.CharField(max_length=100, blank=True, db_index=True, help_text="e.g. highway or amenity type")
    geometry = models.JSONField(help_text="a GeoJSON geometry in WGS84")
    properties = models.JSONField(default=dict, blank=True)
    # The bounding box, so a map view asks only for what it shows.
    min_lon = models.FloatField(db_index=True)
    min_lat = models.FloatField(db_index=True)
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    class Meta:
        ordering = ["layer", "id"]


class Sensor(models.Model):
    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=64, help_text="e.g. air_quality, noise, water_level, traffic_count")
    unit = models.CharField(max_length=32, blank=True)
    lat = models.FloatField()
    lon = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="unique_sensor_per_org")]

    def __str__(self):
        return self.name


class SensorReading(models.Model):
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="readings")
    value = models.FloatField()
    observed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["sensor", "observed_at"]


class ComputePool(models.Model):
    """A pool of compute of one accelerator type. A pool whose accelerator this host lacks
    is simulated: calls routed to it run on the CPU and are marked simulated."""

    class Accelerator(models.TextChoices):
        CPU = "cpu", "CPU"
        GPU = "gpu", "GPU"
        NPU = "npu", "NPU"
        XPU = "xpu", "XPU"

    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.SlugField(max_length=100)
    accelerator = models.CharField(max_length=8, choices=Accelerator.choices)
    capacity = models.PositiveIntegerField(default=1, help_text="calls it runs at once")
    max_queue = models.PositiveIntegerField(default=32, help_text="calls that may wait; more are refused")
    enabled = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_pool_per_org")]

    def __str__(self):
        return self.name


class Algorithm(models.Model):
    """A schedulable algorithm: a model version served under a deployment profile."""

    organisation = models.ForeignKey("platform.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.SlugField(max_length=100)
    title = models.CharField(max_length=200, blank=True)
    model_version = models.ForeignKey("hub.ModelVersion", on_delete=models.PROTECT, related_name="+")
    profile = models.CharField(max_length=64)
    deployment = models.ForeignKey("inference.Deployment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="the deployment calls are served and recorded under")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_algorithm_per_org")]

    def __str__(self):
        return self.name


class DispatchRecord(models.Model):
    """One call through the scheduler: where it went, how long it waited and ran."""

    class Outcome(models.TextChoices):
        OK = "ok", _("Done")
        REFUSED = "refused", _("Refused")  # no pool can run it, or every queue is full
        FAILED = "failed", _("Failed")

    algorithm = models.ForeignKey(Algorithm, on_delete=models.CASCADE, related_name="calls")
    pool = models.ForeignKey(ComputePool, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    simulated = models.BooleanField(default=False)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    message = models.CharField(max_length=500, blank=True)
    wait_ms = models.FloatField(default=0.0)
    run_ms = models.FloatField(default=0.0)
    overhead_ms = models.FloatField(default=0.0, help_text="scheduler time outside the model's own run")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
