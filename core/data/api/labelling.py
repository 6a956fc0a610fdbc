"""The labelling API: projects over a dataset version, the tasks a user may see (annotators
only theirs), saving and submitting boxes with the revision loaded, reviewing, and cutting a
version from accepted labels."""
from django.contrib.auth import get_user_model
from django.db.models import Count, F
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.hub.models import name_validator

from ..actions import labelling
from ..models import Dataset, DatasetVersion, LabelProject, LabelTask
from .serializers import DatasetVersionSerializer


class LabelProjectSerializer(serializers.ModelSerializer):
    source = serializers.PrimaryKeyRelatedField(read_only=True)
    source_dataset = serializers.CharField(source="source.dataset.name", read_only=True)
    source_version = serializers.IntegerField(source="source.version", read_only=True)
    progress = serializers.SerializerMethodField()
    prelabels = serializers.SerializerMethodField()
    agreement = serializers.SerializerMethodField()

    class Meta:
        model = LabelProject
        fields = ["id", "name", "organisation", "source", "source_dataset", "source_version", "classes", "review",
                  "instructions", "status", "overlap", "created_at", "progress", "prelabels", "agreement"]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "nullable": True})
    def get_agreement(self, obj):
        return labelling.agreement_report(obj)

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_prelabels(self, obj):
        return labelling.prelabel_report(obj)

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_progress(self, obj):
        counts = dict(obj.tasks.values_list("status").annotate(n=Count("id")))
        return {status: counts.get(status, 0) for status in LabelTask.Status.values}


class LabelProjectCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, validators=[name_validator])
    dataset = serializers.IntegerField(help_text="the dataset whose version is labelled")
    version = serializers.IntegerField(min_value=1)
    classes = serializers.ListField(child=serializers.CharField(max_length=64), min_length=1, max_length=99)
    review = serializers.BooleanField(default=True)
    instructions = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    annotators = serializers.ListField(child=serializers.CharField(max_length=150), required=False, default=list)
    overlap = serializers.IntegerField(min_value=1, max_value=2, default=1)


class LabelAssignSerializer(serializers.Serializer):
    annotator = serializers.CharField(max_length=150)
    tasks = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True, default=None)


class LabelTaskSerializer(serializers.ModelSerializer):
    assignee = serializers.CharField(source="assignee.username", read_only=True, default=None)
    labelled_by = serializers.CharField(source="labelled_by.username", read_only=True, default=None)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, default=None)

    class Meta:
        model = LabelTask
        fields = ["id", "project", "sample_id", "slot", "file_name", "assignee", "status", "labels", "revision",
                  "prelabels", "prelabel_model", "labelled_by", "reviewed_by", "review_note", "round", "priority",
                  "updated_at"]
        read_only_fields = fields


class LabelSaveSerializer(serializers.Serializer):
    labels = serializers.JSONField(help_text='[{"category": name, "bbox": [x, y, w, h]}] in pixels')
    revision = serializers.IntegerField(min_value=0, help_text="the task's revision the labels were drawn on")
    submit = serializers.BooleanField(default=False)


class LabelReviewSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


def _user(username, field):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError({field: [f"no user {username!r}"]})
    return user


class LabelProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = LabelProjectSerializer
    queryset = LabelProject.objects.none()  # for the schema's path types; requests use get_queryset

    def get_queryset(self):
        return labelling.visible_projects(self.request.user)

    @extend_schema(request=LabelProjectCreateSerializer, responses={201: LabelProjectSerializer})
    def create(self, request):
        from core.platform import access

        ser = LabelProjectCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        dataset = access.scope(Dataset.objects.all(), request.user).filter(pk=d["dataset"]).first()
        source = DatasetVersion.objects.filter(dataset=dataset, version=d["version"]).first() if dataset else None
        if source is None:
            raise ValidationError({"version": [f"no version {d['version']} of a dataset {d['dataset']} visible to you"]})
        project = labelling.create_project(
            name=d["name"], source=source, classes=d["classes"], acting_user=request.user, review=d["review"],
            instructions=d["instructions"], annotators=[_user(u, "annotators") for u in d["annotators"]],
            overlap=d["overlap"])
        return Response(LabelProjectSerializer(project).data, status=201)

    @extend_schema(request=LabelAssignSerializer, responses={200: {"type": "object"}})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        project = self.get_object()
        ser = LabelAssignSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        n = labelling.assign(project, annotator=_user(ser.validated_data["annotator"], "annotator"),
                             acting_user=request.user, tasks=ser.validated_data["tasks"])
        return Response({"assigned": n})

    @extend_schema(request=None, responses={201: DatasetVersionSerializer})
    @action(detail=True, methods=["post"])
    def cut(self, request, pk=None):
        """A new dataset version from the accepted labels."""
        version = labelling.cut_version(self.get_object(), acting_user=request.user)
        return Response(DatasetVersionSerializer(version).data, status=201)


class LabelTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = LabelTaskSerializer
    queryset = LabelTask.objects.none()  # for the schema's path types; requests use get_queryset

    def get_queryset(self):
        tasks = labelling.visible_tasks(self.request.user).select_related(
            "assignee", "labelled_by", "reviewed_by", "project")
        params = self.request.query_params
        if params.get("project"):
            tasks = tasks.filter(project_id=params["project"]) if params["project"].isdigit() else tasks.none()
        if params.get("status"):
            tasks = tasks.filter(status=params["status"])
        if params.get("mine") in ("1", "true"):
            tasks = tasks.filter(assignee=self.request.user)
        # the latest active-learning round first, its most uncertain images first
        return tasks.order_by("project_id", F("round").desc(nulls_last=True), F("priority").desc(nulls_last=True),
                              "sample_id")

    @extend_schema(request=LabelSaveSerializer, responses={200: LabelTaskSerializer})
    @action(detail=True, methods=["post"])
    def save(self, request, pk=None):
        """Save (and with submit: hand in) the boxes drawn on `revision`; 409 when someone
        saved since."""
        ser = LabelSaveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        task = labelling.save_labels(self.get_object(), labels=d["labels"], revision=d["revision"],
                                     acting_user=request.user, submit=d["submit"])
        return Response(LabelTaskSerializer(task).data)

    @extend_schema(request=LabelReviewSerializer, responses={200: LabelTaskSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        ser = LabelReviewSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        task = labelling.review(self.get_object(), accept=ser.validated_data["accept"], acting_user=request.user,
                                note=ser.validated_data["note"])
        return Response(LabelTaskSerializer(task).data)
