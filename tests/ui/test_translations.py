"""Chinese means Chinese: every zh_Hans catalogue translates every msgid, none is fuzzy,
every compiled .mo says what its .po says, and the vertical pages show the stored English
keys (class names, event titles, camera messages) in Chinese."""
import ast
import gettext
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(p.relative_to(ROOT) for base in ("core", "verticals")
                    for p in (ROOT / base).rglob("locale/zh_Hans/LC_MESSAGES/django.po"))


def entries(path):
    """(msgid, [msgstr...], flags) for each live entry of a .po file (obsolete #~ entries
    and the header skipped)."""
    out = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, flags, current = {}, set(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
            elif line.strip():
                current, _, value = line.partition(" ")
                fields[current] = ast.literal_eval(value)
        if fields.get("msgid"):
            out.append((fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")], flags))
    return out


def test_every_installed_app_with_a_catalogue_is_checked():
    names = {str(p) for p in CATALOGUES}
    assert "core/locale/zh_Hans/LC_MESSAGES/django.po" in names
    for vertical in ("city", "energy", "finance", "manufacturing"):
        assert f"verticals/{vertical}/locale/zh_Hans/LC_MESSAGES/django.po" in names


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=str)
def test_catalogue_translates_every_msgid_and_none_is_fuzzy(catalogue):
    found = entries(ROOT / catalogue)
    assert found, catalogue
    untranslated = [msgid for msgid, strs, _ in found if not strs or not all(strs)]
    fuzzy = [msgid for msgid, _, flags in found if "fuzzy" in flags]
    assert untranslated == [], f"{catalogue}: untranslated {untranslated}"
    assert fuzzy == [], f"{catalogue}: fuzzy {fuzzy}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("catalogue", CATALOGUES, ids=str)
def test_compiled_catalogue_is_current(catalogue, tmp_path):
    po = ROOT / catalogue
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True, capture_output=True)
    with open(fresh, "rb") as fh:
        expected = gettext.GNUTranslations(fh)._catalog
    with open(po.with_suffix(".mo"), "rb") as fh:
        shipped = gettext.GNUTranslations(fh)._catalog
    assert shipped == expected, f"{catalogue}: django.mo is stale; run `make messages`"


# Where `makemessages` runs (as `make messages` compiles): each writes the catalogues below it.
MESSAGE_ROOTS = sorted({Path(*c.parts[:2]) if c.parts[0] == "verticals" else Path(c.parts[0]) for c in CATALOGUES})


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext's xgettext is not installed")
@pytest.mark.parametrize("root", MESSAGE_ROOTS, ids=str)
def test_every_string_marked_in_the_code_is_in_a_catalogue(root, tmp_path):
    """A string marked for translation in a template or module but missing from its
    catalogue would reach a Chinese page in English; makemessages, run on a copy, finds it."""
    import os
    import sys

    copy = tmp_path / root.name
    shutil.copytree(ROOT / root, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "core.settings.test"}
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "zh_Hans", "--no-obsolete"],
                          cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    missing = {}
    for po in copy.rglob("locale/zh_Hans/LC_MESSAGES/django.po"):
        lacking = [msgid for msgid, strs, flags in entries(po) if not strs or not all(strs) or "fuzzy" in flags]
        if lacking:
            missing[str(root / po.relative_to(copy))] = lacking
    assert missing == {}, f"marked for translation but not translated (run makemessages, translate): {missing}"


# --- pages ------------------------------------------------------------------------------

def test_class_names_and_camera_messages_come_out_in_chinese():
    from verticals.city.views import labels as city
    from verticals.energy.views.labels import category_label
    from verticals.manufacturing.views.labels import class_label as defect_label

    with translation.override("zh-hans"):
        assert city.class_label("muck_truck") == "渣土车"
        assert city.class_label("a-customer-class") == "a-customer-class"
        assert defect_label("pinhole") == "针孔" and category_label("bird_nest") == "鸟巢"
        assert (city.message_label("end of file after 250 frames; 1 rule(s) skipped: Gate")
                == "文件已播放完毕，共 250 帧; 跳过 1 条规则：Gate")
        assert city.message_label("no NVIDIA GPU on this host (nvidia-smi finds none)").startswith("本机没有")
        assert city.message_label("something new") == "something new"
    with translation.override("en"):
        assert city.class_label("muck_truck") == "muck truck"


@pytest.fixture
def city_events(db):
    from core.platform.actions.organisations import create_organisation, create_user
    from verticals.city.models import Camera, Event, Rule

    org = create_organisation(name="Translations HQ", code="tr-hq", kind="hq", acting_user=None)
    user = create_user(username="tr-operator", password="correct-horse-battery", organisation=org,
                       role="operator", acting_user=None)
    camera = Camera.objects.create(organisation=org, code="gate", name="Gate camera", source="gate.mp4",
                                   status=Camera.Status.OFFLINE, status_message="end of file after 250 frames")
    doors = Rule.objects.create(camera=camera, name="Ticket hall doors", kind="line_crossing",
                                geometry=[[0, 0], [10, 10]])
    zone = Rule.objects.create(camera=camera, name="Yard", kind="muck_restricted")
    now = timezone.now()
    Event.objects.create(organisation=org, camera=camera, rule=doors, kind="line_crossing", cls="person",
                         title="person crossed Ticket hall doors (a_to_b)", details={"direction": "a_to_b"},
                         occurred_at=now)
    Event.objects.create(organisation=org, camera=camera, rule=zone, kind="muck_restricted", cls="muck_truck",
                         title="muck truck in restricted Yard", occurred_at=now - timedelta(seconds=5))
    return user


def test_city_pages_show_event_titles_and_camera_messages_in_chinese(city_events, client):
    client.force_login(city_events)
    events = client.get(reverse("city:events"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "行人越过Ticket hall doors（A→B）" in events
    assert "渣土车驶入限行区域：Yard" in events
    assert "person crossed" not in events
    cameras = client.get(reverse("city:cameras"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "文件已播放完毕，共 250 帧" in cameras and "end of file" not in cameras
    english = client.get(reverse("city:events"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "person crossed Ticket hall doors (A to B)" in english
