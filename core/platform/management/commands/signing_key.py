from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.platform import signing


class Command(BaseCommand):
    help = ("--generate PATH: write a new Ed25519 signing key (PEM, mode 0600; never overwrites one) and print "
            "its public half. Without it: print the public half and key id of settings.SIGNING_KEY_FILE.")

    def add_arguments(self, parser):
        parser.add_argument("--generate", metavar="PATH", help="where to write the new private key")

    def handle(self, *args, generate=None, **options):
        if generate:
            target = Path(generate)
            try:
                public_pem = signing.generate(target)
            except FileExistsError as exc:
                raise CommandError(f"{target} already exists; refusing to replace a signing key") from exc
            except OSError as exc:
                raise CommandError(f"cannot write {target}: {exc}") from exc
            self.stdout.write(f"signing key written to {target} (key id {signing.key_id(public_pem)}); "
                              f"point ZHONGTAI_SIGNING_KEY_FILE at it. Its public key:")
            self.stdout.write(public_pem)
            return
        if not Path(settings.SIGNING_KEY_FILE).is_file():
            raise CommandError(f"no signing key at {settings.SIGNING_KEY_FILE}; create one with --generate PATH")
        self.stdout.write(f"key id {signing.key_id()} ({settings.SIGNING_KEY_FILE})")
        self.stdout.write(signing.public_key_pem())
