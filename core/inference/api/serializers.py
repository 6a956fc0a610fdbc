from rest_framework import serializers

from core.api.fields import OrganisationField

from ..models import Deployment


class DeploymentSerializer(serializers.ModelSerializer):
    organisation = OrganisationField(read_only=True)

    class Meta:
        model = Deployment
        fields = ["id", "name", "organisation", "model_version", "profile", "config", "status", "created_at"]
