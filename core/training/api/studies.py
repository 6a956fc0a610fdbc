"""Studies (a hyper-parameter search over trial jobs) and the recipes they search:
/api/v1/studies/ (list, create, retrieve, stop) and /api/v1/recipes/ (list)."""
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.platform import access
from core.platform.rest.fields import OrganisationField

from ..actions.studies import create_study, stop_study
from ..models import Study, Trial
from ..queries import leaderboard
from ..recipes import all_recipes


class StudyTrialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trial
        fields = ["number", "status", "params", "value", "intermediate", "metrics", "message", "job", "run",
                  "model_version", "created_at", "started_at", "finished_at"]


class StudySerializer(serializers.ModelSerializer):
    organisation = OrganisationField(read_only=True)
    created_by = serializers.CharField(source="created_by.username", default=None, allow_null=True)
    model = serializers.IntegerField(source="target_model_id", allow_null=True)
    best_trial = serializers.IntegerField(source="best_trial.number", default=None, allow_null=True)
    best_value = serializers.FloatField(source="best_trial.value", default=None, allow_null=True)
    model_version = serializers.IntegerField(source="best_trial.model_version_id", default=None, allow_null=True)

    class Meta:
        model = Study
        fields = ["id", "organisation", "recipe", "dataset_version", "model", "params", "plan", "metric", "direction",
                  "budget_trials", "budget_seconds", "parallelism", "seed", "status", "message", "best_trial",
                  "best_value", "model_version", "baseline", "created_by", "created_at", "finished_at"]


class StudyDetailSerializer(StudySerializer):
    """With its trials (by number) and the leaderboard: complete trials' numbers, best first."""

    trials = StudyTrialSerializer(many=True, read_only=True)
    leaderboard = serializers.SerializerMethodField()

    class Meta(StudySerializer.Meta):
        fields = [*StudySerializer.Meta.fields, "leaderboard", "trials"]

    def get_leaderboard(self, study) -> list[int]:
        return [t.number for t in leaderboard(study, study.trials.all())]


class StudyCreateSerializer(serializers.Serializer):
    organisation = OrganisationField()
    recipe = serializers.CharField(max_length=100)
    dataset_version = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    model = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1,
                                     help_text="the hub model whose new version the best trial becomes")
    params = serializers.JSONField(required=False, default=dict, help_text="the recipe's settings: target, ...")
    budget_trials = serializers.IntegerField(required=False, allow_null=True)
    budget_seconds = serializers.IntegerField(required=False, allow_null=True)
    parallelism = serializers.IntegerField(required=False, default=1)
    seed = serializers.IntegerField(required=False, default=0, min_value=0, max_value=2**31 - 1)

    def validate_params(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("params must be a JSON object")
        return value


class StudyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = StudySerializer

    def get_queryset(self):
        qs = access.scope(Study.objects.all(), self.request.user)
        if status := self.request.query_params.get("status"):
            qs = qs.filter(status=status)
        return qs.select_related("organisation", "created_by", "best_trial")

    def get_serializer_class(self):
        return StudySerializer if self.action == "list" else StudyDetailSerializer

    @extend_schema(request=StudyCreateSerializer, responses=StudyDetailSerializer)
    def create(self, request):
        ser = StudyCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        study = create_study(acting_user=request.user, **ser.validated_data)
        return Response(StudyDetailSerializer(study).data, status=201)

    @extend_schema(request=None, responses=StudyDetailSerializer)
    @action(detail=True, methods=["post"])
    def stop(self, request, pk=None):
        """Stop the search: unfinished trials are cancelled, the best so far is registered."""
        return Response(StudyDetailSerializer(stop_study(self.get_object(), acting_user=request.user)).data)


class RecipeSerializer(serializers.Serializer):
    name = serializers.CharField()
    task = serializers.CharField()
    dataset_kind = serializers.CharField()
    metric = serializers.CharField()
    direction = serializers.CharField()
    description = serializers.CharField()
    default_params = serializers.DictField()
    search_space = serializers.DictField()


class RecipesView(APIView):
    @extend_schema(responses=inline_serializer("RecipeList", {"results": RecipeSerializer(many=True)}))
    def get(self, request):
        return Response({"results": [recipe.describe() for recipe in all_recipes()]})
