from django.conf import settings
from django.db import transaction

from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..models import Artifact, ArtifactHolding
from ..storage import get_storage


def store_artifact(stream, *, filename, organisation, acting_user, content_type="", expected_sha256=None,
                   max_bytes=None):
    """Hash while copying, refuse before keeping anything when the stream is too large
    or does not match expected_sha256, then keep the bytes once under their SHA-256.
    Returns (artifact, created): created is True when `organisation` had no record of
    these bytes before, whoever else holds them (which it is never told)."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, organisation):
        raise PermissionError("you may not upload artifacts for this organisation")
    storage = get_storage()
    temp_path, sha, size = storage.spool(
        stream, max_bytes=max_bytes or settings.ARTIFACT_MAX_UPLOAD_BYTES, expected_sha256=expected_sha256
    )
    try:
        with transaction.atomic():
            artifact, _ = Artifact.objects.get_or_create(
                sha256=sha,
                defaults={"size": size, "filename": filename[:255], "content_type": content_type[:100],
                          "organisation": organisation, "created_by": acting_user},
            )
            holding, created = hold(artifact, organisation=organisation, filename=filename,
                                    content_type=content_type, acting_user=acting_user)
            # Bytes go in place last: a failed transaction leaves no row, and an orphan
            # file named by its own hash is harmless and reused by the next upload.
            storage.put_verified(temp_path, sha)
    except BaseException:
        if temp_path.exists():
            temp_path.unlink()
        raise
    return artifact, created


def hold(artifact, *, organisation, acting_user, filename="", content_type=""):
    """`organisation`'s own record of `artifact` (created once, audited then).
    Returns (holding, created)."""
    holding, created = ArtifactHolding.objects.get_or_create(
        artifact=artifact, organisation=organisation,
        defaults={"filename": filename[:255], "content_type": content_type[:100], "created_by": acting_user})
    if created:
        record("artifact.store", acting_user=acting_user, organisation=organisation, obj=artifact,
               data={"sha256": artifact.sha256, "size": artifact.size, "filename": filename})
    return holding, created


def store_file(path, **kwargs):
    with open(path, "rb") as fh:
        return store_artifact(fh, filename=kwargs.pop("filename", str(path).rsplit("/", 1)[-1]), **kwargs)


class ArtifactCorrupt(Exception):
    pass


def open_verified_path(artifact):
    """The path of an artifact's bytes after checking they still hash to its name:
    model files are never loaded unverified."""
    storage = get_storage()
    if not storage.exists(artifact.sha256):
        raise ArtifactCorrupt(f"artifact {artifact.sha256} is missing from storage")
    if not storage.verify(artifact.sha256):
        raise ArtifactCorrupt(f"artifact {artifact.sha256} no longer matches its hash")
    return storage.local_path(artifact.sha256)
