"""The vertical contract (documented surface for integrators).

A vertical is a Django app whose AppConfig subclasses VerticalConfig. In ready() the
core imports the vertical's resource modules by file name and hands what they declare
to the type-checked register_* functions below. The registry's keys are fixed at
start-up, so a typo fails loudly. ready() never touches the database.

The core app that consumes a key says what a valid entry is (Registry.expect, in its
own ready(), which runs before any vertical's): the platform knows no app above it.

Resource modules (all optional), each exporting the named list:
    model_types.py  -> MODEL_TYPES: list[ModelType]
    ontology.py     -> ONTOLOGY: dict (classes, relations), consumed by core.kg
    profiles.py     -> PROFILES: list[dict] deployment profiles, consumed by core.inference
    dashboards.py   -> DASHBOARDS: list[Dashboard]
    navigation.py   -> MENU: list[MenuItem]
    backends.py     -> BACKENDS: list[core.inference.backends.base.Backend subclasses], consumed by core.inference
    codecs.py       -> CODECS: list[core.inference.codecs.Codec instances], a task's inputs and answers,
                       consumed by core.inference's predict
    trainers.py     -> TRAINERS: dict "<slug>.<name>" -> callable(JobContext) -> dict
    recipes.py      -> RECIPES: list[core.training.recipes.Recipe instances] named "<slug>.<name>": tasks
                       a study can search without code (core.training checks them on arrival)
    demo.py         -> seed(*, organisation, acting_user, light=False): what `make demo` seeds, for HQ
                       (organisation) and for the branches, as core.platform.demo's logins; light: small
                       jobs and short runs, for tests
    qa.py           -> WORDS: QAWords, the words its knowledge graph is asked in, consumed by core.kg
"""
import importlib
import inspect
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured

SLUG_RE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


@dataclass(frozen=True)
class ModelType:
    """A kind of model a vertical adds: what it does, what goes in and out, how it is
    trained (a trainer name in core.training's registry) and served (a backend name)."""

    name: str
    task: str
    input_schema: dict = field(default_factory=dict)
    output_schema: dict = field(default_factory=dict)
    trainer: str | None = None
    default_backend: str | None = None
    description: str = ""


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str = ""


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    url_name: str


@dataclass(frozen=True)
class QAPhrasing:
    """One kind of question a vertical's graph answers: follow `relation` from the subject
    ("out": the subject is its source, "in": its target), keeping answers of class
    `target`; or read the subject's `attribute`. `en` / `zh`: question templates, X
    standing for the subject; `says_en` / `says_zh`: how the answer begins, {x} the
    subject; `cues`: space-separated words (English, stemmed by the parser, or Chinese
    phrases) that show a question asks this."""

    en: tuple
    zh: tuple
    says_en: str
    says_zh: str
    relation: str | None = None
    direction: str = "out"
    target: str | None = None
    attribute: str | None = None
    cues: str = ""


@dataclass(frozen=True)
class QAWords:
    """The words a vertical's knowledge graph is asked in (qa.py -> WORDS): its phrasings,
    its class words (class -> (English word, (Chinese words, ...)): a "Bus 3" is also
    "母线3" and "3号母线", and "the bus X" names X) and the kinds of question its graphs
    hold no facts for (templates with X, answered "I don't know")."""

    phrasings: tuple = ()
    class_words: dict = field(default_factory=dict)
    reject: tuple = ()
    # How its graphs' topology is asked about (each optional):
    numbered: str = ""            # the class people name by number alone: "2-4线", "between 2 and 4"
    abbreviations: dict = field(default_factory=dict)  # class -> short prefixes: "B5" is Bus 5
    joins: dict = field(default_factory=dict)  # class -> (relation, (short words,)): "line between A and B"
    units: dict = field(default_factory=dict)  # unit (or attribute) word -> attribute: "135 kV" filters on vn_kv
    inactive: tuple = ()          # (attribute, value) pairs of entities out of operation
    topology: Callable | None = None  # graph -> networkx Graph over the numbered class, edges' "via": keys
    what_if: Callable | None = None   # (graph, [entity keys]) -> {outcome: [keys], "cited": [keys]}
    what_if_words: tuple = ()     # words that make a question "what if X ...": trips, 跳闸
    outcomes: dict = field(default_factory=dict)  # outcome -> QAOutcome; the first is the default
    synonyms: tuple = ()          # groups of interchangeable words in names: ("电流互感器", "CT")
    class_aliases: dict = field(default_factory=dict)  # class -> more words for it: "generating unit", "node"
    number_suffixes: dict = field(default_factory=dict)  # class -> letters written after its number: "8M"


@dataclass(frozen=True)
class QAOutcome:
    """One thing a what-if question may ask (e.g. which buses lose supply): the words that
    ask it and how the answer begins ({x}: what was taken out)."""

    words: tuple
    says_en: str
    says_zh: str


class Registry:
    KEYS = ("verticals", "model_types", "trainers", "profiles", "backends", "codecs", "ontologies", "dashboards",
            "menu", "demo", "qa", "recipes")

    def __init__(self):
        self._store = {key: {} for key in self.KEYS}
        self._checks = {}

    def expect(self, key, check: Callable[[str, Any], str | None]):
        """Entries under `key` must pass check(name, value), which returns None or the
        reason the entry is refused."""
        self[key]  # a typo fails here too
        self._checks[key] = check

    def __getitem__(self, key):
        if key not in self._store:
            raise KeyError(f"unknown registry key {key!r}; keys are fixed: {', '.join(self.KEYS)}")
        return self._store[key]

    def add(self, key, name, value):
        store = self[key]
        check = self._checks.get(key)
        problem = check(name, value) if check else None
        if problem:
            raise ImproperlyConfigured(f"{key} {name!r} is refused: {problem}")
        if name in store:
            raise ImproperlyConfigured(f"{key} {name!r} registered twice")
        store[name] = value

    def queues(self):
        names = []
        for vertical in self["verticals"].values():
            names.extend(vertical.celery_queues)
        return names

    def reset(self):
        """Tests only: a fresh registry for a dummy vertical's own run (the core apps'
        checks stay)."""
        self._store = {key: {} for key in self.KEYS}


registry = Registry()


def _check(value, kind, what):
    if not isinstance(value, kind):
        raise ImproperlyConfigured(f"{what} must be {kind.__name__}, got {type(value).__name__}")


def register_model_type(vertical: str, model_type: ModelType):
    _check(model_type, ModelType, f"{vertical}.model_types entry")
    registry.add("model_types", f"{vertical}.{model_type.name}", model_type)


def register_profile(vertical: str, profile: dict):
    _check(profile, dict, f"{vertical}.profiles entry")
    for key in ("name", "backend", "device"):
        if key not in profile:
            raise ImproperlyConfigured(f"{vertical} profile lacks {key!r}: {profile}")
    registry.add("profiles", profile["name"], {**profile, "vertical": vertical})


def register_ontology(vertical: str, ontology: dict):
    _check(ontology, dict, f"{vertical}.ontology.ONTOLOGY")
    registry.add("ontologies", vertical, ontology)


def register_dashboard(vertical: str, dashboard: Dashboard):
    _check(dashboard, Dashboard, f"{vertical}.dashboards entry")
    registry.add("dashboards", f"{vertical}.{dashboard.slug}", dashboard)


def register_menu(vertical: str, items):
    for item in items:
        _check(item, MenuItem, f"{vertical}.navigation.MENU entry")
    registry.add("menu", vertical, list(items))


def register_trainer(vertical: str, name: str, fn):
    if not callable(fn):
        raise ImproperlyConfigured(f"{vertical}.trainers.TRAINERS[{name!r}] must be callable")
    if not name.startswith(f"{vertical}."):
        raise ImproperlyConfigured(f"{vertical} trainer {name!r} must be named '{vertical}.<name>'")
    registry.add("trainers", name, fn)


def register_recipe(vertical: str, recipe):
    name = getattr(recipe, "name", "")
    if not (isinstance(name, str) and name.startswith(f"{vertical}.")):
        raise ImproperlyConfigured(f"{vertical} recipe {name!r} must be named '{vertical}.<name>'")
    registry.add("recipes", name, recipe)


def register_backend(vertical: str, backend_cls):
    name = getattr(backend_cls, "name", "")
    if not (isinstance(backend_cls, type) and isinstance(name, str) and name):
        raise ImproperlyConfigured(f"{vertical}.backends.BACKENDS entries must be named Backend subclasses")
    registry.add("backends", name, backend_cls)


def register_codec(vertical: str, codec):
    key = getattr(codec, "key", "")
    if not (isinstance(key, str) and key):
        raise ImproperlyConfigured(f"{vertical}.codecs.CODECS entries must be Codec instances naming a task")
    registry.add("codecs", key, codec)


def register_demo(vertical: str, seed: Callable[..., Any]):
    if not callable(seed):
        raise ImproperlyConfigured(f"{vertical}.demo.seed must be callable")
    if "light" not in inspect.signature(seed).parameters:
        raise ImproperlyConfigured(f"{vertical}.demo.seed must take light= (small jobs and short runs, for tests)")
    registry.add("demo", vertical, seed)


def register_qa(vertical: str, words: QAWords):
    _check(words, QAWords, f"{vertical}.qa.WORDS")
    for p in words.phrasings:
        _check(p, QAPhrasing, f"{vertical}.qa.WORDS phrasing")
        if (p.relation is None) == (p.attribute is None):
            raise ImproperlyConfigured(f"{vertical}.qa phrasing {p.en[:1]} names neither or both of "
                                       "relation and attribute")
        if p.direction not in ("out", "in"):
            raise ImproperlyConfigured(f"{vertical}.qa phrasing of {p.relation}: direction must be out or in")
        if not p.en or any("X" not in t for t in (*p.en, *p.zh)):
            raise ImproperlyConfigured(f"{vertical}.qa phrasing of {p.relation or p.attribute}: "
                                       "every template needs X for the subject")
    for cls, spec in words.class_words.items():
        if not (isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[0], str)
                and isinstance(spec[1], tuple) and all(isinstance(w, str) for w in spec[1])):
            raise ImproperlyConfigured(f"{vertical}.qa class words of {cls!r} must be (English word, (Chinese words,))")
    if any(not isinstance(t, str) or "X" not in t for t in words.reject):
        raise ImproperlyConfigured(f"{vertical}.qa reject entries must be templates with X")
    for name, outcome in words.outcomes.items():
        _check(outcome, QAOutcome, f"{vertical}.qa outcome {name!r}")
    for cls, spec in words.joins.items():
        if not (isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[0], str) and isinstance(spec[1], tuple)):
            raise ImproperlyConfigured(f"{vertical}.qa joins of {cls!r} must be (relation, (short words,))")
    if words.numbered and words.numbered not in words.class_words:
        raise ImproperlyConfigured(f"{vertical}.qa numbered class {words.numbered!r} needs class words")
    for name in ("topology", "what_if"):
        if getattr(words, name) is not None and not callable(getattr(words, name)):
            raise ImproperlyConfigured(f"{vertical}.qa {name} must be callable")
    if words.what_if is not None and not (words.what_if_words and words.outcomes):
        raise ImproperlyConfigured(f"{vertical}.qa what_if needs what_if_words and outcomes")
    registry.add("qa", vertical, words)


RESOURCES = {
    "model_types": ("MODEL_TYPES", lambda slug, items: [register_model_type(slug, i) for i in items]),
    "ontology": ("ONTOLOGY", register_ontology),
    "profiles": ("PROFILES", lambda slug, items: [register_profile(slug, i) for i in items]),
    "dashboards": ("DASHBOARDS", lambda slug, items: [register_dashboard(slug, i) for i in items]),
    "navigation": ("MENU", register_menu),
    "demo": ("seed", register_demo),
    "qa": ("WORDS", register_qa),
    "backends": ("BACKENDS", lambda slug, items: [register_backend(slug, b) for b in items]),
    "codecs": ("CODECS", lambda slug, items: [register_codec(slug, c) for c in items]),
    "trainers": ("TRAINERS", lambda slug, items: [register_trainer(slug, n, f) for n, f in items.items()]),
    "recipes": ("RECIPES", lambda slug, items: [register_recipe(slug, r) for r in items]),
}


class VerticalConfig(AppConfig):
    """Subclass in your vertical's apps.py; set the manifest attributes below."""

    slug: str = ""
    title: str = ""
    icon: str = "box"
    description: str = ""
    default_settings: dict = {}
    celery_queues: list = []
    # Aliases whose move needs a second person with the approver role.
    aliases_requiring_approval: tuple = ("champion",)
    # Django picks the single AppConfig found in apps.py; this base is imported there
    # too, so it opts out and every subclass opts back in.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.default = True

    def ready(self):
        if not SLUG_RE.match(self.slug or ""):
            raise ImproperlyConfigured(f"{self.name}: VerticalConfig.slug {self.slug!r} must match {SLUG_RE.pattern}")
        if not self.title:
            raise ImproperlyConfigured(f"{self.name}: VerticalConfig.title is required")
        registry.add("verticals", self.slug, self)
        for module_name, (attr, register) in RESOURCES.items():
            try:
                module = importlib.import_module(f"{self.name}.{module_name}")
            except ModuleNotFoundError as exc:
                if exc.name == f"{self.name}.{module_name}":
                    continue
                raise
            if not hasattr(module, attr):
                raise ImproperlyConfigured(f"{self.name}.{module_name} must define {attr}")
            register(self.slug, getattr(module, attr))

    def setting(self, key):
        """A vertical setting: ZHONGTAI_<SLUG>_<KEY> in Django settings wins over the default."""
        from django.conf import settings

        return getattr(settings, f"ZHONGTAI_{self.slug.upper()}_{key.upper()}", self.default_settings.get(key))


def aliases_requiring_approval(vertical_slug: str) -> set:
    vertical = registry["verticals"].get(vertical_slug)
    if vertical is None:
        return {"champion"}  # core models: the champion is always maker-checked
    return set(vertical.aliases_requiring_approval)
