from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.platform.models import Organisation
from core.platform.rest.exceptions import FieldErrors

from ...actions.grids import import_grid
from ...lib.grid_import import CASES


class Command(BaseCommand):
    help = "Import a power grid shipped with pandapower as an energy knowledge graph."

    def add_arguments(self, parser):
        parser.add_argument("--case", required=True, choices=sorted(CASES))
        parser.add_argument("--organisation", required=True, help="organisation code")
        parser.add_argument("--name", help="graph name (default grid-<case>)")
        parser.add_argument("--user", help="username recorded as the importer (default: system)")

    def handle(self, *args, case, organisation, name=None, user=None, **options):
        org = Organisation.objects.filter(code=organisation).first()
        if org is None:
            raise CommandError(f"no organisation with code {organisation!r}")
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"no user {user!r}")
        try:
            grid, figures = import_grid(case=case, organisation=org, acting_user=acting_user, name=name)
        except (ValidationError, FieldErrors, PermissionError) as exc:
            raise CommandError(str(getattr(exc, "message_dict", exc))) from None
        self.stdout.write(self.style.SUCCESS(
            f"imported {case} as graph {grid.graph.name!r} (id {grid.graph.pk}, version {figures['version']}): "
            f"{figures['entities']} entities, {figures['relations']} relations, {grid.buses} buses, "
            f"{grid.branches} branches; built in {figures['build_s']} s, written in {figures['import_s']} s"))
