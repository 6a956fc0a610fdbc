from django.apps import AppConfig


class KgConfig(AppConfig):
    name = "core.kg"
    label = "kg"
    verbose_name = "Knowledge graph"

    def ready(self):
        from django.core import checks

        from core.platform.verticals import registry

        from .ontologies import check_ontology, check_registered_ontologies

        # Verticals register their ontologies after this app is ready: each is parsed on
        # arrival, and again by the system check (migrate, runserver, check) and at first use.
        registry.expect("ontologies", check_ontology)

        from core.training.actions.inputs import register_input

        from .job_inputs import graph

        register_input("graph", graph)
        checks.register(check_registered_ontologies, "kg")
