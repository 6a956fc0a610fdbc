"""Hub API throughput on a hub seeded with 10,000 model versions.

Prints requests/s of the model-list and lineage endpoints (full Django + DRF stack,
in-process test client, token auth, org filtering) against a baseline measured in the
same run: a raw ORM loop fetching the same rows. The ratio is what to watch; absolute
numbers depend on the machine.

    .venv/bin/python bench/hub_api.py [--versions 10000] [--seconds 5]
Uses a fresh SQLite database in a temp folder unless DATABASE_URL is set (then it
creates and drops its own test database there)."""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django():
    tmp = tempfile.mkdtemp(prefix="zhongtai-bench-")
    os.environ.setdefault("ZHONGTAI_VAR_DIR", tmp)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "core.settings.computed"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    return old_name


def seed(n_versions, versions_per_model=10):
    import hashlib

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from core.data.models import Dataset, DatasetVersion
    from core.hub.models import Artifact, LineageEdge, ModelVersion, RegisteredModel
    from core.platform.actions.organisations import create_organisation, create_user
    from core.training.models import Job, TrainingRun

    hq = create_organisation(name="HQ", code="hq", kind="hq", acting_user=None)
    branches = [create_organisation(name=f"Branch {i}", code=f"b{i}", kind="branch", parent=hq, acting_user=None)
                for i in range(4)]
    user = create_user(username="bench", password="bench-pw", acting_user=None, organisation=hq,
                       role="developer")
    get_user_model()
    n_models = n_versions // versions_per_model
    with transaction.atomic():
        arts = Artifact.objects.bulk_create([
            Artifact(sha256=hashlib.sha256(str(i).encode()).hexdigest(), size=100, filename=f"a{i}",
                     organisation=hq) for i in range(n_versions)])
        orgs = [hq, *branches]
        models = RegisteredModel.objects.bulk_create([
            RegisteredModel(name=f"model-{i:05d}", organisation=orgs[i % len(orgs)], published=(i % 5 == 0))
            for i in range(n_models)])
        versions = ModelVersion.objects.bulk_create([
            ModelVersion(model=models[i // versions_per_model], version=i % versions_per_model + 1, artifact=arts[i],
                         metrics={"map50": (i % 100) / 100})
            for i in range(n_versions)])
        ds = Dataset.objects.create(name="data", organisation=hq, kind="tabular")
        dvs = DatasetVersion.objects.bulk_create([
            DatasetVersion(dataset=ds, version=i + 1, artifact=arts[i]) for i in range(n_models)])
        job = Job.objects.create(organisation=hq, trainer="core.linear_regression")
        runs = TrainingRun.objects.bulk_create([
            TrainingRun(job=job, code_revision="bench", params={}, environment={}) for _ in range(n_versions)])
        edges = []
        for i, (v, r) in enumerate(zip(versions, runs)):
            edges.append(LineageEdge(src_kind="dataset_version", src_id=dvs[i // versions_per_model].pk,
                                     dst_kind="training_run", dst_id=r.pk, relation="input_to"))
            edges.append(LineageEdge(src_kind="training_run", src_id=r.pk, dst_kind="model_version", dst_id=v.pk,
                                     relation="produced"))
        LineageEdge.objects.bulk_create(edges, batch_size=5000)
    return user, versions[len(versions) // 2]


def rate(fn, seconds):
    fn()  # warm caches and connections
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        n += 1
    return n / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    old_name = setup_django()
    from django.db import connection
    from django.db.models import OuterRef, Q, Subquery
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from core.hub.models import LineageEdge, ModelVersion, RegisteredModel
    from core.platform import access

    t0 = time.perf_counter()
    user, version = seed(args.versions)
    print(f"seeded {args.versions} model versions on {connection.vendor} in {time.perf_counter() - t0:.1f}s")
    token = Token.objects.create(user=user).key
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")

    def api_list():
        r = client.get("/api/v1/models/?limit=50")
        assert r.status_code == 200 and len(r.json()["results"]) == 50

    def orm_list():
        access.forget(user)
        own = access.org_ids_with(user)
        above = access.ancestor_org_ids(user) - own
        rows = list(RegisteredModel.objects.filter(Q(organisation_id__in=own) | Q(organisation_id__in=above,
                                                                                  published=True))
                    .annotate(latest=Subquery(ModelVersion.objects.filter(model=OuterRef("pk"))
                                              .order_by("-version").values("version")[:1]))
                    .order_by("name", "id")
                    .values("id", "name", "organisation_id", "published", "latest")[:50])
        assert len(rows) == 50

    def api_lineage():
        r = client.get(f"/api/v1/lineage/model_version/{version.pk}/?depth=3")
        assert r.status_code == 200 and len(r.json()["nodes"]) == 3

    def orm_lineage():
        frontier, seen = [("model_version", version.pk)], set()
        for _ in range(3):
            nxt = []
            for kind, pk in frontier:
                for e in LineageEdge.objects.filter(dst_kind=kind, dst_id=pk):
                    node = (e.src_kind, e.src_id)
                    if node not in seen:
                        seen.add(node)
                        nxt.append(node)
            frontier = nxt
        assert len(seen) == 2

    results = {}
    for name, api_fn, orm_fn in (("model list", api_list, orm_list), ("lineage", api_lineage, orm_lineage)):
        api_rps = rate(api_fn, args.seconds)
        orm_rps = rate(orm_fn, args.seconds)
        results[name] = (api_rps, orm_rps)
        print(f"{name:11s}  API {api_rps:8.1f} req/s   raw ORM loop {orm_rps:8.1f} /s   "
              f"ratio API/ORM {api_rps / orm_rps:5.2f}  (API overhead {1e3 / api_rps - 1e3 / orm_rps:6.2f} ms/req)")
    connection.creation.destroy_test_db(old_name, verbosity=0)
    return results


if __name__ == "__main__":
    main()
