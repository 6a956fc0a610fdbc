from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.platform import signing


class Command(BaseCommand):
    help = "Create the Ed25519 signing key (mode 0600) at SIGNING_KEY_FILE or --path; never overwrites one."

    def add_arguments(self, parser):
        parser.add_argument("--path", help="where to write the private key (default: SIGNING_KEY_FILE)")

    def handle(self, *args, path=None, **options):
        target = Path(path or settings.SIGNING_KEY_FILE)
        try:
            public_pem = signing.generate(target)
        except FileExistsError as exc:
            raise CommandError(f"{target} already exists; refusing to replace a signing key") from exc
        self.stdout.write(self.style.SUCCESS(f"signing key written to {target}; its public key:"))
        self.stdout.write(public_pem)
