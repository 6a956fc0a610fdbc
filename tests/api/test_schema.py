import re


def test_openapi_schema_served(api, users):
    r = api(users["a_viewer"]).get("/api/schema/?format=json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for p in ("/api/v1/models/", "/api/v1/lineage/{kind}/{id}/", "/api/v1/jobs/", "/api/v1/artifacts/",
              "/api/v1/alias-requests/{id}/approve/", "/api/v1/audit/events/"):
        assert p in paths, p


def test_docs_page_uses_only_local_assets(client, users):
    client.force_login(users["a_viewer"])
    html = client.get("/api/docs/").content.decode()
    assert "swagger" in html.lower()
    external = [u for u in re.findall(r'(?:src|href)="([^"]+)"', html) if u.startswith(("http://", "https://", "//"))]
    assert external == []
    scripts = re.findall(r'src="([^"]+)"', html)
    assert scripts, html
    for src in scripts:
        if src.startswith("/static/"):
            assert client.get(src).status_code == 200, src


def test_session_auth_works_for_api(client, users):
    client.force_login(users["a_viewer"])
    assert client.get("/api/v1/me/").json()["username"] == "a_viewer"
    assert client.get("/api/v1/me/").json()["roles"] == ["viewer"]
