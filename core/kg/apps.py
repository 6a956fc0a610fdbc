from django.apps import AppConfig


class KgConfig(AppConfig):
    name = "core.kg"
    label = "kg"
    verbose_name = "Knowledge graph"

    def ready(self):
        from django.core import checks

        from .ontologies import check_registered_ontologies

        # Verticals register their ontologies after this app is ready; the system check
        # (run by migrate, runserver, check) and the first use of each both validate them.
        checks.register(check_registered_ontologies, "kg")
