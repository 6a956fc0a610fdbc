from django.core.management.base import BaseCommand

from core.platform.demo import DEMO_PASSWORD, DEMO_USERS, seed_core
from core.platform.verticals import registry


class Command(BaseCommand):
    help = "Seed the demo organisation tree, users and every installed vertical's demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--light", action="store_true",
                            help="small training jobs and a few seconds of footage per camera (for tests)")

    def handle(self, *args, **options):
        admin, hq = seed_core(stdout=self.stdout)
        for slug, seed in registry["demo"].items():
            self.stdout.write(f"seeding vertical {slug} ...")
            seed(organisation=hq, acting_user=admin, light=options["light"])
        self.stdout.write(self.style.SUCCESS("demo data ready"))
        self.stdout.write(f"logins (password {DEMO_PASSWORD!r} for all): admin (superuser), "
                          + ", ".join(f"{u} ({r} @ {o})" for u, o, r in DEMO_USERS))
