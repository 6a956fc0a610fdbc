"""The shared API bases: organisation scoping written once, writes checked against the
object's organisation, and PATCH bodies that refuse unknown and empty input."""
import pytest
from rest_framework import mixins, serializers
from rest_framework.test import APIRequestFactory, force_authenticate

from core.hub.actions.registry import create_model
from core.hub.models import RegisteredModel
from core.platform.rest.viewsets import OrganisationScopedViewSet, PartialUpdateSerializer


class _ModelSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegisteredModel
        fields = ["id", "name"]


class _Patch(PartialUpdateSerializer):
    title = serializers.CharField(max_length=20)
    published = serializers.BooleanField()


class _Models(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganisationScopedViewSet):
    queryset = RegisteredModel.objects.order_by("name")
    serializer_class = _ModelSerializer
    shared_field = "published"
    pagination_class = None

    def partial_update(self, request, pk=None):
        from rest_framework.response import Response

        model = self.get_object()
        self.check_write(model)
        ser = _Patch(data=request.data)
        ser.is_valid(raise_exception=True)
        return Response(ser.validated_data)


def _call(user, method="get", pk=None, data=None):
    factory = APIRequestFactory()
    path = "/x/" if pk is None else f"/x/{pk}/"
    request = getattr(factory, method)(path, data or {}, format="json")
    force_authenticate(request, user=user)
    action = {"get": "retrieve" if pk else "list", "patch": "partial_update"}[method]
    return _Models.as_view({method: action})(request, pk=pk) if pk else _Models.as_view({method: action})(request)


@pytest.fixture
def models(orgs, users):
    a = create_model(name="a-own", organisation=orgs["a"], acting_user=users["a_dev"])
    b = create_model(name="b-own", organisation=orgs["b"], acting_user=users["b_dev"])
    shared = create_model(name="hq-shared", organisation=orgs["hq"], acting_user=users["hq_dev"], published=True)
    private = create_model(name="hq-private", organisation=orgs["hq"], acting_user=users["hq_dev"])
    return {"a": a, "b": b, "shared": shared, "private": private}


def test_reads_are_scoped_with_sharing_from_above(users, models):
    names = [m["name"] for m in _call(users["a_viewer"]).data]
    assert names == ["a-own", "hq-shared"]
    assert _call(users["a_viewer"], pk=models["b"].pk).status_code == 404
    assert _call(users["a_viewer"], pk=models["private"].pk).status_code == 404
    assert [m["name"] for m in _call(users["hq_dev"]).data] == ["a-own", "b-own", "hq-private", "hq-shared"]


def test_writes_need_the_capability_in_the_objects_organisation(users, models):
    assert _call(users["a_viewer"], "patch", models["a"].pk, {"title": "x"}).status_code == 403
    # Visible (shared from HQ) is not writable.
    assert _call(users["a_dev"], "patch", models["shared"].pk, {"title": "x"}).status_code == 403
    r = _call(users["a_dev"], "patch", models["a"].pk, {"title": "x"})
    assert r.status_code == 200 and r.data == {"title": "x"}


def test_patch_refuses_unknown_and_empty_bodies(users, models):
    r = _call(users["a_dev"], "patch", models["a"].pk, {"titel": "x"})
    assert r.status_code == 400 and "cannot change titel; changeable: title, published" in str(r.data)
    r = _call(users["a_dev"], "patch", models["a"].pk, {})
    assert r.status_code == 400 and "send at least one of title, published" in str(r.data)
