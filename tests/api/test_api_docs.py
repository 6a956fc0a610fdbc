"""API docs an integrator can use (issue 18, B.8): every operation under one tag from its
URL (a vertical's title, a core area's name), tag descriptions, the schema's word on
authentication and errors, documented request bodies, the finance deployments list and
each scorecard deployment's record schema, and a way back to the app from the docs pages."""
import pytest

from core.hub.actions.artifacts import store_artifact
from core.hub.actions.registry import create_model, create_version
from core.inference.actions.deployments import create_deployment
from core.inference.lib.bundle import write_bundle
from core.platform.verticals import registry

FEATURES = ["status_of_existing_checking_account", "duration_in_month", "credit_history", "age_in_years",
            "credit_amount"]


@pytest.fixture(scope="module")
def schema_doc(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(doc):
    return [(path, method, op) for path, ops in doc["paths"].items() for method, op in ops.items()]


def test_every_operation_has_exactly_one_described_tag(schema_doc):
    described = {t["name"]: t.get("description") for t in schema_doc["tags"]}
    for path, method, op in operations(schema_doc):
        assert len(op["tags"]) == 1, (method, path, op["tags"])
        assert described.get(op["tags"][0]), f"{method} {path}: tag {op['tags'][0]!r} has no description"
    assert len(described) == len(schema_doc["tags"])


def test_vertical_operations_carry_the_verticals_title(schema_doc):
    titles = {slug: str(v.title) for slug, v in registry["verticals"].items()}
    seen = set()
    for path, method, op in operations(schema_doc):
        slug = path.split("/")[3]
        if slug in titles:
            assert op["tags"] == [titles[slug]], (method, path)
            seen.add(slug)
    assert {"finance", "city", "energy", "manufacturing"} <= seen


@pytest.mark.parametrize("path,tag", [
    ("/api/v1/models/", "Models & versions"), ("/api/v1/alias-requests/{id}/approve/", "Models & versions"),
    ("/api/v1/artifacts/", "Artifacts"), ("/api/v1/lineage/{kind}/{id}/", "Lineage"),
    ("/api/v1/datasets/", "Datasets"), ("/api/v1/jobs/", "Jobs & training"),
    ("/api/v1/deployments/{id}/predict/", "Deployments & predictions"), ("/api/v1/kg/graphs/", "Knowledge graph"),
    ("/api/v1/organisations/", "Organisations & audit"), ("/api/v1/audit/events/", "Organisations & audit"),
    ("/api/v1/auth/token/", "Authentication"),
])
def test_core_paths_are_grouped_by_area(schema_doc, path, tag):
    assert {op["tags"][0] for op in schema_doc["paths"][path].values()} == {tag}


def test_info_says_how_to_authenticate_and_what_an_error_looks_like(schema_doc):
    info = schema_doc["info"]
    assert info["title"] == "Zhongtai API" and info["version"]
    assert "contact" not in info
    text = info["description"]
    assert "/api/v1/auth/token/" in text and "Authorization: Token" in text and "24 hours" in text
    assert '"message"' in text and '"errors"' in text and "404" in text


def test_request_bodies_have_schemas_and_score_fields_are_described(schema_doc):
    components = schema_doc["components"]["schemas"]
    for path, method, op in operations(schema_doc):
        body = op.get("requestBody")
        if body:
            assert all(media.get("schema") for media in body["content"].values()), (method, path)
    score = schema_doc["paths"]["/api/v1/finance/deployments/{id}/score/"]["post"]
    assert "/api/v1/finance/deployments/{id}/input-schema/" in score["description"]
    ref = score["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    fields = components[ref]["properties"]
    assert "input-schema" in fields["record"]["description"] and fields["records"]["description"]


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_link_back_to_the_app(client, users, url):
    client.force_login(users["a_viewer"])
    html = client.get(url).content.decode()
    assert '<a class="zt-back" href="/">' in html or '<a href="/">' in html
    assert "Zhongtai AI platform" in html
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "中台 AI 平台" in html


# --- the finance deployments: list and record schema -------------------------------------

@pytest.fixture(scope="module")
def card():
    """A German credit scorecard built by the library on five fields (no training job)."""
    from verticals.finance.lib.datasets import load_german_credit
    from verticals.finance.lib.scorecard.build import build_scorecard

    frame = load_german_credit()
    return {"frame": frame, "card": build_scorecard(frame, "creditability", features=FEATURES)}


@pytest.fixture
def scorecard_deployment(card, orgs, users, tmp_path):
    from verticals.finance.lib.scorecard.artifact import scorecard_to_json

    dev, a = users["a_dev"], orgs["a"]
    (tmp_path / "scorecard.json").write_text(scorecard_to_json(card["card"]))
    bundle = write_bundle(tmp_path / "bundle.zip", {"task": "scorecard", "labels": [],
                                                    "files": {"scorecard": "scorecard.json"}},
                          {"scorecard.json": tmp_path / "scorecard.json"})
    with open(bundle, "rb") as f:
        artifact, _ = store_artifact(f, filename="bundle.zip", organisation=a, acting_user=dev)
    model = create_model(name="retail-scorecard", organisation=a, vertical="finance",
                         model_type="credit_scorecard", acting_user=dev)
    version = create_version(model, artifact=artifact, acting_user=dev)
    return create_deployment(name="retail-scoring", organisation=a, model_version=version,
                             profile="cpu-scorecard", acting_user=dev)


def test_input_schema_of_a_scorecard_deployment(api, users, card, scorecard_deployment):
    url = f"/api/v1/finance/deployments/{scorecard_deployment.pk}/input-schema/"
    r = api(users["a_viewer"]).get(url)
    assert r.status_code == 200, r.content
    doc = r.json()
    assert doc["type"] == "object" and doc["title"] == "retail-scorecard v1 record"
    assert set(doc["properties"]) == set(FEATURES) == set(doc["required"])
    duration = doc["properties"]["duration_in_month"]
    spec = card["card"]["schema"]["duration_in_month"]
    assert duration["type"] == "number"
    assert (duration["minimum"], duration["maximum"]) == (spec["accepted_min"], spec["accepted_max"])
    assert duration["minimum"] < 4 and duration["maximum"] > 72  # the training range 4..72, widened
    checking = doc["properties"]["status_of_existing_checking_account"]
    assert checking["type"] == "string" and "no checking account" in checking["enum"]
    assert checking["x-bins"] and doc["x-score-range"]["min"] < doc["x-score-range"]["max"]
    # What the schema allows scores; what it rules out is refused by name.
    record = {k: (v.item() if hasattr(v, "item") else v)
              for k, v in card["frame"][FEATURES].iloc[0].to_dict().items()}
    assert all(record[k] in doc["properties"][k]["enum"] for k in FEATURES if "enum" in doc["properties"][k])
    scored = api(users["a_operator"]).post(f"/api/v1/finance/deployments/{scorecard_deployment.pk}/score/",
                                           {"record": record}, format="json")
    assert scored.status_code == 200, scored.content
    bad = api(users["a_operator"]).post(f"/api/v1/finance/deployments/{scorecard_deployment.pk}/score/",
                                        {"record": {**record, "duration_in_month": duration["maximum"] + 1}},
                                        format="json")
    assert bad.status_code == 400 and "duration_in_month" in bad.json()["errors"]


def test_input_schema_is_scoped_and_refuses_what_is_not_a_scorecard(api, users, orgs, scorecard_deployment):
    r = api(users["b_dev"]).get(f"/api/v1/finance/deployments/{scorecard_deployment.pk}/input-schema/")
    assert r.status_code == 404 and r.json()["message"]
    assert api(users["a_viewer"]).get("/api/v1/finance/deployments/999999/input-schema/").status_code == 404
    assert api().get(f"/api/v1/finance/deployments/{scorecard_deployment.pk}/input-schema/").status_code == 401


def test_deployments_list_shows_the_callers_scorecard_deployments(api, users, scorecard_deployment):
    r = api(users["a_viewer"]).get("/api/v1/finance/deployments/")
    assert r.status_code == 200
    (row,) = r.json()["results"]
    assert row["id"] == scorecard_deployment.pk and row["name"] == "retail-scoring"
    assert (row["model"], row["version"], row["status"]) == ("retail-scorecard", 1, "active")
    assert row["organisation"]["code"] == "plant-a"
    assert row["input_schema"].endswith(f"/api/v1/finance/deployments/{row['id']}/input-schema/")
    assert api(users["a_viewer"]).get(row["input_schema"]).status_code == 200
    assert api(users["hq_auditor"]).get("/api/v1/finance/deployments/").json()["count"] == 1
    # A sibling branch sees none.
    assert api(users["b_dev"]).get("/api/v1/finance/deployments/").json() == {
        "count": 0, "next": None, "previous": None, "results": []}
