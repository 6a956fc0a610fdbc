from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .lib import roles


class Organisation(models.Model):
    """A node of the HQ -> province -> plant/branch tree. `path` is the chain of
    ancestor ids ("/1/4/9/") so a subtree is one indexed prefix query."""

    class Kind(models.TextChoices):
        HQ = "hq", _("Headquarters")
        PROVINCE = "province", _("Province")
        BRANCH = "branch", _("Plant / branch")

    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=64, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=512, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def depth(self):
        return self.path.count("/") - 2

    def ancestor_ids(self):
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Membership(models.Model):
    """A role held at an organisation; it applies to that organisation's whole subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=[(r, roles.ROLE_LABELS[r]) for r in roles.ROLES])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} {self.role} @ {self.organisation}"


class AuditHead(models.Model):
    """One row, locked while an event is appended so the chain stays linear
    under concurrent writers (select_for_update on PostgreSQL). On PostgreSQL a
    trigger refuses to move it backwards or delete it."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """Append-only, hash-chained record of every write. Updates and deletes are
    refused here and, on PostgreSQL, by triggers and by the table belonging to a
    role the application does not hold.

    `body` is the exact canonical text that was hashed (version 2); the typed
    columns are copies for querying, checked against it. Events written before
    bodies existed (version 1) have none and hash a re-encoding of the columns."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_name = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=100, blank=True)
    data = models.JSONField(default=dict, blank=True)
    body = models.TextField(null=True, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]

    @property
    def version(self):
        return 1 if self.body is None else 2

    def payload(self):
        """Version 1: the fields the hash covers, as stored (ids, not objects)."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor_name,
            "organisation": self.organisation_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "data": self.data,
        }

    def columns(self):
        """Version 2: the typed columns under the names the body uses."""
        return {
            "seq": self.seq,
            "at": self.at,
            "actor_id": self.actor_id,
            "actor": self.actor_name,
            "organisation": self.organisation_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "data": self.data,
        }

    def chain_link(self):
        """What the chain check reads (core.platform.lib.hashchain.check_event)."""
        link = {"seq": self.seq, "prev_hash": self.prev_hash, "hash": self.hash, "body": self.body}
        if self.body is None:
            link["payload"] = self.payload()
        else:
            link["columns"] = self.columns()
        return link

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")
