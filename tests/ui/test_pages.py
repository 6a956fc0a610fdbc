import ast
import gettext
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from core.platform.models import AuditEvent

pytestmark = pytest.mark.django_db


def pages(world):
    a = world["a"]
    return [
        reverse("ui:home"),
        reverse("ui:models"),
        reverse("ui:model", args=[a["model"].pk]),
        reverse("ui:version", args=[a["version"].pk]),
        reverse("ui:lineage", args=["model_version", a["version"].pk]),
        reverse("ui:lineage", args=["dataset_version", a["dataset_version"].pk]) + "?depth=2&direction=downstream",
        reverse("ui:jobs"),
        reverse("ui:job", args=[a["job"].pk]),
    ]


def text(response):
    return response.content.decode()


# --- every page renders ---------------------------------------------------------

def test_every_page_renders_for_a_branch_developer(world, client_for):
    client = client_for(world["users"]["a_dev"])
    for url in pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<nav" in text(response), url


def test_audit_page_and_verify_render_for_an_auditor(world, client_for):
    client = client_for(world["users"]["hq_auditor"])
    response = client.get(reverse("ui:audit"))
    assert response.status_code == 200
    assert "model_version.create" in text(response)
    verify = client.post(reverse("ui:audit_verify"), HTTP_HX_REQUEST="true")
    assert verify.status_code == 200
    assert 'data-intact="true"' in text(verify)
    assert "<html" not in text(verify)  # a fragment for HTMX, not a page
    from core.platform import signing
    from core.platform.actions.audit import record, write_checkpoint

    assert "No signed checkpoint yet" in text(verify) and signing.key_id() in text(verify)
    checkpoint = write_checkpoint(by="hq_auditor")
    record("test.after", acting_user=None)  # the chain moves on past the checkpoint
    verify = text(client.post(reverse("ui:audit_verify"), HTTP_HX_REQUEST="true"))
    assert f"Latest signed checkpoint: event #{checkpoint['seq']}" in verify
    assert "1 event since, not yet covered by a signature." in verify


def test_pages_need_login(world, client):
    response = client.get(reverse("ui:models"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_form_signs_in_and_logout_is_a_post(world, client):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and 'name="password"' in text(page)
    response = client.post(reverse("login"), {"username": "a_dev", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == reverse("ui:home")
    assert client.get(reverse("ui:home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("ui:home")).status_code == 302


def test_home_counts_what_the_user_may_see(world, client_for):
    response = client_for(world["users"]["a_dev"]).get(reverse("ui:home"))
    assert response.context["model_count"] == 2  # its own and the one HQ published
    assert "Dummy vertical" in text(response)  # installed verticals as cards
    assert "plant-b-detector" not in text(response)


# --- branches never see each other ------------------------------------------------

def test_models_page_hides_sibling_branch_and_unpublished_hq_models(world, client_for):
    body = text(client_for(world["users"]["a_dev"]).get(reverse("ui:models")))
    assert "plant-a-detector" in body
    assert "hq-shared-ocr" in body
    assert "plant-b-detector" not in body
    assert "hq-private" not in body


def test_models_filter_returns_a_fragment_for_htmx(world, client_for):
    client = client_for(world["users"]["a_dev"])
    response = client.get(reverse("ui:models"), {"q": "ocr"}, HTTP_HX_REQUEST="true")
    body = text(response)
    assert response.status_code == 200
    assert "<html" not in body
    assert "hq-shared-ocr" in body and "plant-a-detector" not in body
    assert "HX-Request" in response["Vary"]
    # The sibling's model stays hidden whatever the filter says.
    assert "plant-b-detector" not in text(client.get(reverse("ui:models"), {"q": "plant-b"}))


def test_sibling_branch_pages_are_404(world, client_for):
    client = client_for(world["users"]["a_dev"])
    b = world["b"]
    for url in [
        reverse("ui:model", args=[b["model"].pk]),
        reverse("ui:version", args=[b["version"].pk]),
        reverse("ui:lineage", args=["model_version", b["version"].pk]),
        reverse("ui:lineage", args=["dataset_version", b["dataset_version"].pk]),
        reverse("ui:lineage", args=["deployment", b["deployment"].pk]),
        reverse("ui:job", args=[b["job"].pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_jobs_page_lists_only_own_branch_jobs(world, client_for):
    response = client_for(world["users"]["a_dev"]).get(reverse("ui:jobs"))
    shown = {job.pk for job in response.context["page"]}
    assert shown == {world["a"]["job"].pk}


def test_lineage_page_shows_the_chain_and_404s_on_unknown_nodes(world, client_for):
    client = client_for(world["users"]["a_dev"])
    a = world["a"]
    response = client.get(reverse("ui:lineage", args=["model_version", a["version"].pk]))
    body = text(response)
    assert 'id="lineage-graph"' in body and 'id="lineage-data"' in body
    for label in ["plant-a-images v1", "plant-a-detector v1", "deployment plant-a-line-1"]:
        assert label in body
    chart = response.context["chart"]
    kinds = [n["kind"] for n in chart["nodes"]]
    xs = {n["kind"]: n["x"] for n in chart["nodes"]}
    assert xs["dataset_version"] < xs["training_run"] < xs["model_version"] < xs["deployment"]
    assert [n["start"] for n in chart["nodes"]].count(True) == 1
    assert {l["label"] for l in chart["links"]} >= {"input to", "produced", "deployed as"}
    assert "prediction" not in kinds or xs["prediction"] > xs["deployment"]
    assert client.get(reverse("ui:lineage", args=["spaceship", 1])).status_code == 404
    assert client.get(reverse("ui:lineage", args=["model_version", 999999])).status_code == 404


def test_lineage_page_refuses_bad_depth_with_400(world, client_for):
    client = client_for(world["users"]["a_dev"])
    url = reverse("ui:lineage", args=["model_version", world["a"]["version"].pk])
    assert client.get(url, {"depth": "99"}).status_code == 400
    assert client.get(url, {"direction": "sideways"}).status_code == 400


def test_version_page_shows_metrics_chart_artifact_and_lineage(world, client_for):
    a = world["a"]
    response = client_for(world["users"]["a_dev"]).get(reverse("ui:version", args=[a["version"].pk]))
    body = text(response)
    assert a["version"].artifact_id in body
    assert response.context["bars"] == {"names": ["accuracy", "f1"], "values": [0.93, 0.88]}
    assert 'data-chart="bars"' in body and 'data-chart="lineage"' in body
    assert reverse("ui:lineage", args=["model_version", a["version"].pk]) in body


def test_model_page_lists_aliases_and_pending_requests(world, client_for):
    response = client_for(world["users"]["a_dev"]).get(reverse("ui:model", args=[world["a"]["model"].pk]))
    assert [a.name for a in response.context["aliases"]] == ["challenger"]
    assert [r.alias for r in response.context["pending_requests"]] == ["champion"]
    assert "beats v0 on the March set" in text(response)


# --- audit ------------------------------------------------------------------------

def test_audit_needs_the_auditor_role(world, client_for):
    client = client_for(world["users"]["a_dev"])
    assert client.get(reverse("ui:audit")).status_code == 403
    assert client.post(reverse("ui:audit_verify")).status_code == 403
    assert 'href="/audit/"' not in text(client.get(reverse("ui:home")))


def test_audit_shows_only_the_auditors_subtree(world, client_for):
    response = client_for(world["users"]["b_auditor"]).get(reverse("ui:audit"), {"object_type": "hub.registeredmodel"})
    orgs = {e.organisation_id for e in response.context["page"]}
    assert orgs == {world["orgs"]["b"].pk}
    assert "Audit" in text(response)


def test_system_wide_audit_events_are_for_superusers_only(world, client_for):
    from django.contrib.auth import get_user_model

    from core.platform.actions.audit import record

    record("platform.maintenance", acting_user=None, data={"why": "test"})
    root = get_user_model().objects.create_superuser("root", password="x")
    seen = client_for(root).get(reverse("ui:audit"), {"action": "platform.maintenance"}).context["page"]
    assert [e.organisation_id for e in seen] == [None]
    hidden = client_for(world["users"]["hq_auditor"]).get(reverse("ui:audit"), {"action": "platform.maintenance"})
    assert list(hidden.context["page"]) == []


def test_audit_filters_and_paginates_with_htmx_fragments(world, client_for):
    client = client_for(world["users"]["hq_auditor"])
    response = client.get(reverse("ui:audit"), {"action": "deployment.create"}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(response)
    assert {e.action for e in response.context["page"]} == {"deployment.create"}
    assert len(response.context["page"]) == 2
    by_actor = client.get(reverse("ui:audit"), {"actor": "b_dev"})
    assert {e.actor_name for e in by_actor.context["page"]} == {"b_dev"}
    today = AuditEvent.objects.first().at.date().isoformat()
    dated = client.get(reverse("ui:audit"), {"since": today, "until": today})
    assert dated.context["page"].paginator.count == AuditEvent.objects.exclude(organisation=None).count()
    assert client.get(reverse("ui:audit"), {"since": "2030-01-02", "until": "2030-01-01"}).status_code == 400
    assert client.get(reverse("ui:audit"), {"since": "yesterday"}).status_code == 400


def test_audit_pagination(world, client_for, monkeypatch):
    from core.ui.views import audit

    monkeypatch.setattr(audit, "PAGE_SIZE", 5)
    client = client_for(world["users"]["hq_auditor"])
    first = client.get(reverse("ui:audit"), {"action": "create"})
    page = first.context["page"]
    assert page.paginator.num_pages > 1 and len(page) == 5
    assert "action=create&amp;page=2" in text(first)
    second = client.get(reverse("ui:audit"), {"action": "create", "page": "2"}, HTTP_HX_REQUEST="true")
    assert [e.seq for e in second.context["page"]][0] < [e.seq for e in page][-1]
    last = client.get(reverse("ui:audit"), {"page": "999"}).context["page"]
    assert last.number == last.paginator.num_pages


# --- jobs -------------------------------------------------------------------------

def test_running_job_polls_every_two_seconds_and_finished_job_does_not(world, client_for):
    from core.training.models import Job

    client = client_for(world["users"]["a_dev"])
    job = world["a"]["job"]
    finished = text(client.get(reverse("ui:job", args=[job.pk])))
    assert 'hx-trigger="every 2s"' not in finished
    assert "step 20/20" in finished
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, progress=0.4, finished_at=None)
    running = client.get(reverse("ui:job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in text(running)
    assert "<html" not in text(running)
    assert 'aria-valuenow="40"' in text(running)
    assert 'hx-trigger="every 2s"' in text(client.get(reverse("ui:jobs")))


# --- language and assets ----------------------------------------------------------

def test_language_switch_gives_chinese(world, client_for):
    client = client_for(world["users"]["a_dev"])
    assert "Models" in text(client.get(reverse("ui:models")))
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("ui:models")})
    assert response.status_code == 302
    body = text(client.get(reverse("ui:models")))
    assert 'lang="zh-hans"' in body
    assert "模型" in body and "组织" in body
    lineage = text(client.get(reverse("ui:lineage", args=["model_version", world["a"]["version"].pk])))
    assert "血缘" in lineage
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Models" in text(client.get(reverse("ui:models")))


LOCALE = Path(__file__).resolve().parents[2] / "core" / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries(path):
    """(references, msgid, [msgstr...]) per entry of a .po file; enough of the format
    for the catalogue makemessages writes."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        refs, fields, current = [], {}, None
        for line in block.splitlines():
            if line.startswith("#:"):
                refs.extend(line[2:].split())
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            else:
                current, _, value = line.partition(" ")
                fields[current] = ast.literal_eval(value)
        if fields.get("msgid"):
            entries.append((refs, fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")]))
    return entries


def test_chinese_catalogue_translates_every_ui_string_and_the_mo_is_current():
    entries = po_entries(LOCALE / "django.po")
    assert len(entries) > 100
    untranslated = [msgid for refs, msgid, strs in entries
                    if any("core/ui/" in r for r in refs) and not all(strs)]
    assert untranslated == []
    with open(LOCALE / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = [msgid for refs, msgid, strs in entries if strs[0] and compiled.gettext(msgid) != strs[0]]
    assert stale == [], "run manage.py compilemessages: django.mo is older than django.po"


EXTERNAL = re.compile(r'''(?:src|href|action|data-src)\s*=\s*["']\s*(?:https?:)?//''', re.I)
STATIC_REF = re.compile(r'''(?:src|href)\s*=\s*["'](/static/[^"'#?]+)''')


def test_no_page_references_an_external_host_and_every_asset_exists(world, client_for):
    seen_assets = set()
    bodies = {}
    for username, urls in [("a_dev", pages(world)), ("hq_auditor", [reverse("ui:audit")])]:
        client = client_for(world["users"][username])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            bodies[url] = text(response)
    client.logout()
    bodies["login"] = text(client.get(reverse("login")))
    for url, body in bodies.items():
        found = EXTERNAL.search(body)
        assert found is None, f"{url} references an external host: {found and found.group(0)}"
        seen_assets.update(STATIC_REF.findall(body))
    assert {"/static/vendor/htmx/htmx.min.js", "/static/vendor/echarts/echarts.min.js", "/static/ui/app.css",
            "/static/ui/icons.svg", "/static/ui/favicon.svg"} <= seen_assets
    for asset in seen_assets:
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not shipped"
        assert client.get(asset).status_code == 200, asset


def test_templates_hold_no_external_urls():
    root = Path(__file__).resolve().parents[2] / "core" / "ui"
    for path in list((root / "templates").rglob("*.html")) + list((root / "static" / "ui").rglob("*.*")):
        content = path.read_text(encoding="utf-8")
        # SVG files carry the namespace URI, which names a spec and loads nothing.
        content = content.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert not re.search(r"https?://", content), path


def test_audit_verification_speaks_chinese(world, client_for):
    client = client_for(world["users"]["hq_auditor"])
    verify = client.post(reverse("ui:audit_verify"), HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "尚无签名检查点" in text(verify) and "签名密钥 ID" in text(verify) and "公钥" in text(verify)


def test_home_cards_claim_only_what_is_built(world, client_for):
    """Each number on the home page comes from data, and no application card names a
    capability the platform does not have (manufacturing once promised engine fault
    diagnosis and smelting mix optimisation)."""
    client = client_for(world["users"]["a_dev"])
    page = text(client.get(reverse("ui:home")))
    assert "engine fault diagnosis" not in page and "smelting" not in page
    assert "Battery-separator defect QC" in page
    from core.hub.queries import visible_models

    assert f'<a href="{reverse("ui:models")}">{visible_models(world["users"]["a_dev"]).count()}</a>' in page
    zh = text(client.get(reverse("ui:home"), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "电池隔膜缺陷质检：产线工位" in zh
