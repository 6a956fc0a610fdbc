from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.platform.models import Organisation
from core.platform.rest.exceptions import FieldErrors

from ...actions.fault_kb import DEFAULT_GRAPH, load_fault_kb
from ...lib.fault_kb import KB_FILE


class Command(BaseCommand):
    help = ("Load the dispatch fault knowledge base (faults, alarms and symptoms, handling procedures; "
            "Chinese and English) into an energy knowledge graph.")

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="organisation code")
        parser.add_argument("--name", help=f"new graph name (default {DEFAULT_GRAPH})")
        parser.add_argument("--into", help="an existing energy graph of the organisation (e.g. grid-case14) to add it to")
        parser.add_argument("--file", help=f"knowledge-base JSON (default the shipped {KB_FILE.name})")
        parser.add_argument("--user", help="username recorded as the importer (default: system)")

    def handle(self, *args, organisation, name=None, into=None, file=None, user=None, **options):
        if name and into:
            raise CommandError("give --name (a new graph) or --into (an existing one), not both")
        org = Organisation.objects.filter(code=organisation).first()
        if org is None:
            raise CommandError(f"no organisation with code {organisation!r}")
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"no user {user!r}")
        try:
            graph, figures = load_fault_kb(organisation=org, acting_user=acting_user, name=name, into=into, path=file)
        except (ValidationError, FieldErrors, PermissionError) as exc:
            raise CommandError(str(getattr(exc, "message_dict", exc))) from None
        if figures.get("already_loaded"):
            self.stdout.write(f"graph {graph.name!r} (id {graph.pk}) already holds the fault knowledge base")
            return
        self.stdout.write(self.style.SUCCESS(
            f"loaded the fault knowledge base into graph {graph.name!r} (id {graph.pk}, version {figures['version']}): "
            f"{figures['entities']} entities, {figures['relations']} relations"))
