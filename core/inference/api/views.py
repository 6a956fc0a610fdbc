from rest_framework import mixins, viewsets

from core.platform import access
from core.platform.lib import roles

from ..models import Deployment
from .serializers import DeploymentSerializer


class DeploymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DeploymentSerializer

    def get_queryset(self):
        return Deployment.objects.filter(
            organisation_id__in=access.org_ids_with(self.request.user, roles.READ)).select_related("organisation")
