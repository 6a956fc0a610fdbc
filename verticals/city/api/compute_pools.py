"""/api/v1/city/scheduler/: compute pools, algorithms, calls through the dispatcher and
utilisation, limited to the organisations the user may read (writes need the developer
role, calls the operator role, in the object's organisation). A call answers the model's
output with where it ran: pool, simulated (and why), wait_ms, run_ms. Refused calls: 429
when every queue is full, 503 when the wait timed out, 409 when nothing here can run it."""
from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.errors import json_error
from core.hub.queries import visible_versions
from core.hub.storage import ArtifactTooLarge
from core.inference.models import Deployment
from core.platform.rest.exceptions import FieldErrors
from core.platform.rest.fields import OrganisationField
from core.platform.rest.parsers import SafeFormParser, SafeJSONParser, SafeMultiPartParser
from core.platform.rest.viewsets import OrganisationScopedViewSet, PartialUpdateSerializer

from ..actions import dispatchers as runtime
from ..actions.algorithms import SchedulerRefused, call_algorithm, create_algorithm
from ..actions.compute_pools import MAX_CAPACITY, MAX_QUEUE, create_pool, update_pool
from ..models import Algorithm, ComputePool
from ..queries import scoped_org_ids

REFUSAL_STATUS = {"queue_full": 429, "timeout": 503, "no_pool": 409, "no_standin": 409, "unavailable": 409}
MAX_TIMEOUT_S = 120.0


ORG_PARAM = OpenApiParameter("org", str, description="organisation code: only its subtree")


class PoolCreateSerializer(serializers.Serializer):
    organisation = OrganisationField()
    name = serializers.CharField(max_length=100)
    accelerator = serializers.ChoiceField(choices=ComputePool.Accelerator.choices)
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY, default=1)
    max_queue = serializers.IntegerField(min_value=0, max_value=MAX_QUEUE, default=32)
    enabled = serializers.BooleanField(default=True)


class PoolUpdateSerializer(PartialUpdateSerializer):
    accelerator = serializers.ChoiceField(choices=ComputePool.Accelerator.choices)
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY)
    max_queue = serializers.IntegerField(min_value=0, max_value=MAX_QUEUE)
    enabled = serializers.BooleanField()


class AlgorithmCreateSerializer(serializers.Serializer):
    organisation = OrganisationField()
    name = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    model_version = serializers.IntegerField(required=False, help_text="defaults to the deployment's")
    profile = serializers.CharField(max_length=64, required=False, default="", allow_blank=True,
                                    help_text="a deployment profile name; defaults to the deployment's")
    deployment = serializers.CharField(max_length=100, required=False, default="", allow_blank=True,
                                       help_text="a deployment of the organisation: calls are recorded under it")


class CallSerializer(serializers.Serializer):
    image = serializers.FileField(required=False, help_text="an image file (multipart), for detectors")
    inputs = serializers.DictField(required=False, help_text="named JSON inputs, for JSON models")
    timeout_s = serializers.FloatField(required=False, min_value=0.001, max_value=MAX_TIMEOUT_S,
                                       help_text="longest wait for a slot (default 30 s)")

    def validate(self, attrs):
        if ("image" in attrs) == ("inputs" in attrs):
            raise serializers.ValidationError("send exactly one of 'image' (multipart file) or 'inputs' (JSON)")
        return attrs


class _Narrowed(OrganisationScopedViewSet):
    def narrowed(self):
        """The readable rows, narrowed to ?org='s subtree."""
        return self.get_queryset().filter(
            organisation_id__in=scoped_org_ids(self.request.user, self.request.query_params.get("org")))


class PoolViewSet(_Narrowed):
    queryset = ComputePool.objects.select_related("organisation")
    lookup_value_regex = "[0-9]+"

    @extend_schema(operation_id="city_scheduler_pools_list", parameters=[ORG_PARAM], responses=OpenApiTypes.OBJECT)
    def list(self, request):
        """Compute pools, each with whether it is simulated on this host and why."""
        return Response({"results": [runtime.describe_pool(p) for p in self.narrowed()]})

    @extend_schema(request=PoolCreateSerializer, responses={201: OpenApiTypes.OBJECT})
    def create(self, request):
        """Create a pool. An accelerator this host lacks is accepted: the pool runs simulated."""
        ser = PoolCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        pool = create_pool(acting_user=request.user, **ser.validated_data)
        return Response(runtime.describe_pool(pool), status=201)


    @extend_schema(operation_id="city_scheduler_pool_retrieve", responses=OpenApiTypes.OBJECT)
    def retrieve(self, request, pk=None):
        return Response(runtime.describe_pool(self.get_object()))

    @extend_schema(request=PoolUpdateSerializer, responses=OpenApiTypes.OBJECT)
    def partial_update(self, request, pk=None):
        """Change capacity, max_queue, accelerator or enabled; calls in flight finish where they are."""
        pool = self.get_object()
        ser = PoolUpdateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return Response(runtime.describe_pool(update_pool(pool, acting_user=request.user, **ser.validated_data)))


class AlgorithmViewSet(_Narrowed):
    """Algorithms are named, not numbered, in their URLs: /scheduler/algorithms/<name>/call/."""

    queryset = Algorithm.objects.select_related("organisation", "model_version__model", "deployment")
    lookup_field = "name"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    @extend_schema(parameters=[ORG_PARAM], responses=OpenApiTypes.OBJECT)
    def list(self, request):
        """Algorithms, each with the profile it would execute under here (its own, or the CPU
        stand-in on a simulated pool) or why it cannot run here."""
        return Response({"results": [runtime.describe_algorithm(a) for a in self.narrowed()]})

    @extend_schema(request=AlgorithmCreateSerializer, responses={201: OpenApiTypes.OBJECT})
    def create(self, request):
        """Register a model version under a deployment profile (or a deployment) as an algorithm."""
        ser = AlgorithmCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        org = d["organisation"]
        deployment = None
        if d["deployment"]:
            deployment = Deployment.objects.filter(organisation=org, name=d["deployment"]).first()
            if deployment is None:
                raise FieldErrors({"deployment": [f"no deployment {d['deployment']!r} in {org}"]})
        version = None
        if "model_version" in d:
            version = visible_versions(request.user).filter(pk=d["model_version"]).select_related("model").first()
            if version is None:
                raise FieldErrors({"model_version": [f"no model version {d['model_version']} visible to you"]})
        algo = create_algorithm(organisation=org, name=d["name"], title=d["title"], model_version=version,
                                profile=d["profile"], deployment=deployment, acting_user=request.user)
        return Response(runtime.describe_algorithm(algo), status=201)


    @extend_schema(parameters=[ORG_PARAM],
                   request={"multipart/form-data": CallSerializer, "application/json": CallSerializer},
                   responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"], parser_classes=[SafeJSONParser, SafeMultiPartParser, SafeFormParser])
    def call(self, request, name=None):
        """Run the algorithm once through the dispatcher: an image (multipart) for a detector,
        {"inputs": {...}} for a JSON model. Answers the output with pool, simulated,
        simulated_reason, wait_ms and run_ms. 429: every queue is full; 503: the wait timed
        out; 409: no pool or profile here can run it."""
        limit = getattr(settings, "PREDICT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > limit:
            raise ArtifactTooLarge(f"request of {declared} bytes exceeds the {limit} byte limit for calls")
        # The name is unique only within an organisation: ?org= picks one where several match.
        matches = list(self.narrowed().filter(name=name)[:2])
        if not matches:
            return Response(json_error(f"no algorithm {name!r} visible to you", 404), status=404)
        if len(matches) > 1:
            raise FieldErrors({"org": [f"several organisations have an algorithm {name!r}: give ?org=<code>"]})
        algo = matches[0]
        ser = CallSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        if "image" in d:
            if d["image"].size > limit:
                raise ArtifactTooLarge(f"image of {d['image'].size} bytes exceeds the {limit} byte limit")
            inputs = d["image"].read()
        else:
            inputs = d["inputs"]
        try:
            kwargs = {"timeout_s": d["timeout_s"]} if "timeout_s" in d else {}
            return Response(call_algorithm(algo, inputs, acting_user=request.user, **kwargs))
        except SchedulerRefused as exc:
            code = REFUSAL_STATUS.get(exc.kind, 409)
            body = {**json_error(str(exc), code), "refusal": exc.kind,
                    "dispatch_id": exc.dispatch.pk if exc.dispatch else None}
            headers = {"Retry-After": "1"} if code in (429, 503) else None
            return Response(body, status=code, headers=headers)


class UtilisationViewSet(OrganisationScopedViewSet):
    queryset = ComputePool.objects.all()

    @extend_schema(operation_id="city_scheduler_utilisation", parameters=[ORG_PARAM], responses=OpenApiTypes.OBJECT)
    def list(self, request):
        """Per pool: this process's running and queued calls, busy share over a sliding window
        and wait/run percentiles ("live"), and every process's recorded calls of the last hour."""
        return Response({"results": runtime.utilisation(scoped_org_ids(request.user, request.query_params.get("org")))})
