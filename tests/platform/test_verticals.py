"""The contract test: runs over every installed vertical, and the dummy vertical
in tests/ proves the framework on its own."""
import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from core.platform.verticals import (SLUG_RE, ModelType, Registry, VerticalConfig, register_model_type, registry)


def installed_verticals():
    return [c for c in apps.get_app_configs() if isinstance(c, VerticalConfig)]


def test_dummy_vertical_is_installed_and_registered():
    slugs = {v.slug for v in installed_verticals()}
    assert "dummy" in slugs
    assert registry["verticals"]["dummy"].title == "Dummy vertical"
    assert "dummy.linear" in registry["model_types"]
    assert "dummy.least_squares" in registry["trainers"]
    assert registry["menu"]["dummy"][0].url_name == "ui:home"
    assert "dummy-cpu-numpy" in registry["profiles"]
    assert "dummy" in registry.queues()


@pytest.mark.parametrize("vertical", installed_verticals(), ids=lambda v: v.slug)
def test_every_vertical_keeps_the_contract(vertical):
    assert SLUG_RE.match(vertical.slug)
    assert vertical.title
    for key, mt in registry["model_types"].items():
        if key.startswith(vertical.slug + "."):
            assert isinstance(mt, ModelType)
            if mt.trainer:
                assert mt.trainer in registry["trainers"], f"{key} names unknown trainer {mt.trainer}"
    for name, profile in registry["profiles"].items():
        if profile["vertical"] == vertical.slug:
            assert {"name", "backend", "device"} <= set(profile)
    assert not vertical.name.startswith("core."), "verticals live outside core"


def test_core_never_imports_a_vertical():
    import ast
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "core"
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path}: {n}" for n in names if n == "verticals" or n.startswith("verticals.")]
    assert offenders == []


def test_registry_keys_are_fixed():
    with pytest.raises(KeyError, match="keys are fixed"):
        registry["model_type"]  # typo of model_types


def test_registration_is_type_checked():
    with pytest.raises(ImproperlyConfigured, match="must be ModelType"):
        register_model_type("dummy", {"name": "linear"})
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        register_model_type("dummy", ModelType(name="linear", task="regression"))


def test_bad_manifest_is_refused(monkeypatch):
    import tests.dummy_vertical as module

    monkeypatch.setattr("core.platform.verticals.registry", Registry())

    class Broken(VerticalConfig):
        name = "tests.dummy_vertical"
        slug = "Bad Slug"
        title = "x"

    with pytest.raises(ImproperlyConfigured, match="slug"):
        Broken("tests.dummy_vertical", module).ready()

    class Untitled(VerticalConfig):
        name = "tests.dummy_vertical"
        slug = "untitled"

    with pytest.raises(ImproperlyConfigured, match="title"):
        Untitled("tests.dummy_vertical", module).ready()


def test_the_consuming_core_app_checks_each_entry(monkeypatch):
    """Backends are checked by core.inference and ontologies by core.kg (each in its own
    ready()), so the platform's registry imports neither."""
    from core.platform.verticals import register_backend, register_ontology

    monkeypatch.setattr(registry, "_store", {key: {} for key in Registry.KEYS})

    class NotABackend:
        name = "fake"

    with pytest.raises(ImproperlyConfigured, match="not a Backend subclass"):
        register_backend("dummy", NotABackend)
    with pytest.raises(ImproperlyConfigured, match="ontologies 'dummy' is refused"):
        register_ontology("dummy", {"classes": "not a list"})


def test_built_in_and_vertical_backends_share_one_registry():
    from core.inference.backends import get_backend

    assert {"onnxruntime", "paddle-inference", "numpy"} <= set(registry["backends"])
    assert type(get_backend("numpy")) is registry["backends"]["numpy"]


def test_setting_lookup_prefers_django_settings(settings):
    dummy = registry["verticals"]["dummy"]
    assert dummy.setting("threshold") == 0.5
    settings.ZHONGTAI_DUMMY_THRESHOLD = 0.9
    assert dummy.setting("threshold") == 0.9


def test_verticals_api(api, users):
    r = api(users["a_viewer"]).get("/api/v1/verticals/")
    dummy = next(v for v in r.json()["results"] if v["slug"] == "dummy")
    assert dummy["model_types"][0]["trainer"] == "dummy.least_squares"
    assert dummy["aliases_requiring_approval"] == ["champion", "production"]


def test_a_vertical_backend_serves_through_the_engine(tmp_path, settings):
    import hashlib
    import json

    from core.inference.engine import load_bundle, run
    from core.inference.lib.bundle import write_bundle
    from core.inference.profiles import get_profile, host_problem

    assert "numpy" in registry["backends"]
    weights = tmp_path / "weights.json"
    weights.write_text(json.dumps({"weights": [2.0, -1.0]}))
    bundle = write_bundle(tmp_path / "b.zip", {"task": "regression", "labels": [], "files": {"numpy": "w.json"}},
                          {"w.json": weights})
    profile = get_profile("dummy-cpu-numpy")
    assert host_problem(profile) is None
    loaded = load_bundle(bundle, hashlib.sha256(bundle.read_bytes()).hexdigest(), profile)
    assert run(loaded, {"x": [[1.0, 1.0], [3.0, 1.0]]})["y"].tolist() == [1.0, 5.0]


def test_qa_words_are_type_checked():
    from core.platform.verticals import QAPhrasing, QAWords, register_qa

    with pytest.raises(ImproperlyConfigured, match="must be QAWords"):
        register_qa("dummy", {"phrasings": ()})
    asks = QAPhrasing(en=("what feeds X",), zh=("X的电源",), says_en="{x}", says_zh="{x}", relation="feeds")
    for bad, reason in ((QAWords(phrasings=({"relation": "feeds"},)), "must be QAPhrasing"),
                        (QAWords(phrasings=(QAPhrasing(en=("what feeds",), zh=(), says_en="", says_zh="",
                                                       relation="feeds"),)), "needs X"),
                        (QAWords(phrasings=(QAPhrasing(en=("X",), zh=(), says_en="", says_zh=""),)), "neither or both"),
                        (QAWords(phrasings=(asks,), class_words={"Pump": ("pump", "泵")}), "Chinese words"),
                        (QAWords(reject=("how much",)), "templates with X")):
        with pytest.raises(ImproperlyConfigured, match=reason):
            register_qa("dummy", bad)
    assert "dummy" not in registry["qa"]


def test_a_demo_seed_must_offer_a_light_run():
    from core.platform.verticals import register_demo

    def old_seed(*, organisation, acting_user):
        return {}

    with pytest.raises(ImproperlyConfigured, match="light="):
        register_demo("dummy", old_seed)
