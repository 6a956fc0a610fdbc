from drf_spectacular.types import OpenApiTypes
from django.contrib.auth import get_user_model
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.platform import access
from core.platform.actions import organisations as org_actions
from core.platform import signing
from core.platform.actions.audit import ChainBroken, verify, write_checkpoint
from core.platform.lib import roles
from core.platform.models import AuditEvent
from core.platform.verticals import registry

from .serializers import (AuditEventSerializer, GrantRoleSerializer, MeSerializer, MembershipSerializer,
                          OrganisationCreateSerializer, OrganisationSerializer)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        data = MeSerializer(request.user).data
        data["roles"] = sorted(access.roles_of(request.user))
        return Response(data)


class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return access.orgs_with(self.request.user).select_related("parent")

    @extend_schema(request=OrganisationCreateSerializer, responses=OrganisationSerializer)
    def create(self, request):
        s = OrganisationCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        parent = None
        if s.validated_data.get("parent") is not None:
            parent = self.get_queryset().filter(pk=s.validated_data["parent"]).first()
            if parent is None:
                raise ValidationError({"parent": [f"unknown organisation {s.validated_data['parent']}"]})
        elif not request.user.is_superuser:
            raise PermissionError("only a superuser may create a root organisation")
        org = org_actions.create_organisation(name=s.validated_data["name"], code=s.validated_data["code"],
                                              kind=s.validated_data["kind"], parent=parent, acting_user=request.user)
        return Response(OrganisationSerializer(org).data, status=201)

    @extend_schema(request=GrantRoleSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        org = self.get_object()
        s = GrantRoleSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        user = get_user_model().objects.filter(username=s.validated_data["username"]).first()
        if user is None:
            raise ValidationError({"username": [f"unknown user {s.validated_data['username']!r}"]})
        membership = org_actions.grant_role(user=user, organisation=org, role=s.validated_data["role"],
                                            acting_user=request.user)
        return Response(MembershipSerializer(membership).data, status=201)


class VerticalsView(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        out = []
        for slug, v in registry["verticals"].items():
            out.append({
                "slug": slug, "title": str(v.title), "icon": v.icon, "description": str(v.description),
                "queues": list(v.celery_queues), "aliases_requiring_approval": list(v.aliases_requiring_approval),
                "model_types": [
                    {"name": mt.name, "task": mt.task, "trainer": mt.trainer, "default_backend": mt.default_backend}
                    for key, mt in registry["model_types"].items() if key.startswith(f"{slug}.")
                ],
            })
        return Response({"results": out})


class AuditEventViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Auditors and admins read the events of their subtrees; superusers read all."""

    serializer_class = AuditEventSerializer

    def get_queryset(self):
        user = self.request.user
        qs = AuditEvent.objects.all()
        if not user.is_superuser:
            allowed = access.org_ids_with(user, roles.READ_AUDIT)
            if not allowed:
                raise PermissionError("reading the audit log needs the auditor or admin role")
            qs = qs.filter(organisation_id__in=allowed)
        p = self.request.query_params
        if p.get("action"):
            qs = qs.filter(action__startswith=p["action"])
        if p.get("actor"):
            qs = qs.filter(actor_name=p["actor"])
        if p.get("object_type"):
            qs = qs.filter(object_type=p["object_type"])
        if p.get("object_id"):
            qs = qs.filter(object_id=p["object_id"])
        for key, lookup in (("since", "at__gte"), ("until", "at__lt")):
            if p.get(key):
                when = parse_datetime(p[key])
                if when is None:
                    raise ValidationError({key: [f"not an ISO 8601 date-time: {p[key]!r}"]})
                qs = qs.filter(**{lookup: when})
        return qs

    @extend_schema(parameters=[OpenApiParameter(n, str) for n in ("action", "actor", "object_type", "object_id",
                                                                 "since", "until")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def verify(self, request):
        if not (request.user.is_superuser or access.org_ids_with(request.user, roles.READ_AUDIT)):
            raise PermissionError("verifying the audit log needs the auditor or admin role")
        result = verify()
        body = {"intact": result.broken is None, "events_checked": result.checked,
                "checkpoint": _checkpoint_summary(result.checkpoint),
                "events_after_checkpoint": result.after_checkpoint if result.broken is None else None}
        if result.broken:
            body["first_broken_seq"], body["reason"] = result.broken
        return Response(body)

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"])
    def checkpoint(self, request):
        """Signs the chain's head now (an auditor need not wait for the schedule)."""
        if not (request.user.is_superuser or access.org_ids_with(request.user, roles.READ_AUDIT)):
            raise PermissionError("signing an audit checkpoint needs the auditor or admin role")
        try:
            checkpoint = write_checkpoint(by=request.user.get_username())
        except ChainBroken as exc:
            return Response({"message": str(exc), "status": 409}, status=409)
        return Response(checkpoint, status=201)


def _checkpoint_summary(checkpoint):
    if checkpoint is None:
        return None
    return {k: checkpoint[k] for k in ("seq", "hash", "at", "key_id")}


class SigningKeyView(APIView):
    """The public half of the key that signs evidence packs and audit checkpoints."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        public_pem = signing.public_key_pem()
        return Response({"algorithm": signing.ALGORITHM, "key_id": signing.key_id(public_pem),
                         "public_key_pem": public_pem})
