from rest_framework import serializers

from core.hub.models import name_validator
from core.platform.rest.fields import OrganisationField

from ..models import Dataset, DatasetVersion


class DatasetVersionSerializer(serializers.ModelSerializer):
    content_hash = serializers.CharField(read_only=True)

    class Meta:
        model = DatasetVersion
        fields = ["id", "dataset", "version", "content_hash", "num_records", "stats", "source", "created_at"]


class DatasetSerializer(serializers.ModelSerializer):
    organisation = OrganisationField()
    name = serializers.CharField(max_length=100, validators=[name_validator])

    class Meta:
        model = Dataset
        fields = ["id", "name", "organisation", "vertical", "kind", "description", "published", "created_at"]
        read_only_fields = ["id", "published", "created_at"]
        validators = []  # uniqueness is checked by the action, with a clearer message


class DatasetVersionCreateSerializer(serializers.Serializer):
    artifact = serializers.RegexField(r"^[0-9a-f]{64}$")
    num_records = serializers.IntegerField(min_value=0, max_value=2**62, default=0)
    source = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CocoImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="a zip holding a COCO annotations JSON and its images")
    source = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                   help_text="where the data came from; defaults to the uploaded file's name")


class TableImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="a CSV (UTF-8, or GB18030/GBK with encoding=gb18030) or Parquet table")
    source = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                   help_text="where the data came from; defaults to the uploaded file's name")
    encoding = serializers.ChoiceField(
        choices=["utf-8", "gb18030"], required=False, allow_null=True, default=None,
        help_text="the CSV's text encoding: UTF-8 is detected on its own; a file saved as GBK or GB18030 "
                  "(Excel on Chinese Windows) is refused unless this says gb18030")
