"""What `make demo` seeds for the core: an HQ -> two branches tree and a user per role
(each vertical's demo.py seeds its own data, for HQ and for a branch, acting as the demo
users below). Idempotent: a second run changes nothing."""
from django.contrib.auth import get_user_model
from django.db import transaction

from core.platform.actions.organisations import (
    create_organisation,
    create_user,
    grant_role,
)
from core.platform.models import Organisation

DEMO_PASSWORD = "zhongtai-demo"

# (username, organisation code, role)
DEMO_USERS = [
    ("hq-admin", "hq", "admin"),
    ("hq-dev", "hq", "developer"),
    ("hq-approver", "hq", "approver"),
    ("auditor", "hq", "auditor"),
    ("hq-annotator", "hq", "annotator"),
    ("north-dev", "north", "developer"),
    ("north-operator", "north", "operator"),
    ("north-approver", "north", "approver"),
    ("south-viewer", "south", "viewer"),
    ("south-dev", "south", "developer"),
    ("south-approver", "south", "approver"),
]


def seed_core(stdout=None):
    User = get_user_model()
    say = (lambda msg: stdout.write(msg)) if stdout else (lambda msg: None)
    with transaction.atomic():
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = User.objects.create_superuser("admin", "admin@example.invalid", DEMO_PASSWORD)
            say("created superuser admin")
        hq = Organisation.objects.filter(code="hq").first() or create_organisation(
            name="Zhongtai Group HQ", code="hq", kind="hq", acting_user=admin)
        for code, name in (("north", "North Plant"), ("south", "South Plant")):
            if not Organisation.objects.filter(code=code).exists():
                create_organisation(name=name, code=code, kind="branch", parent=hq, acting_user=admin)
        for username, code, role in DEMO_USERS:
            org = Organisation.objects.get(code=code)
            user = User.objects.filter(username=username).first()
            if user is None:
                create_user(username=username, password=DEMO_PASSWORD, acting_user=admin, organisation=org, role=role)
            else:
                grant_role(user=user, organisation=org, role=role, acting_user=admin)
    return admin, hq


def demo_member(username):
    """(user, organisation) of a demo login, or None where the demo tree was not seeded (a
    vertical's seed run on its own, in a test, seeds only what its organisation needs)."""
    code = next((c for u, c, _ in DEMO_USERS if u == username), None)
    user = get_user_model().objects.filter(username=username).first()
    org = Organisation.objects.filter(code=code).first() if code else None
    return (user, org) if user is not None and org is not None else None


def demo_user(username, default):
    """The demo login `username`, or `default` (the seed's acting user) where there is none."""
    return get_user_model().objects.filter(username=username).first() or default
