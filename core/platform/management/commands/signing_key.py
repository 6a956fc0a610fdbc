from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.platform import signing


class Command(BaseCommand):
    help = ("--generate PATH: write a new Ed25519 signing key (PEM, mode 0600; never overwrites one) and print "
            "its public half. --rotate: replace the current key, keeping the old public half trusted. Without "
            "either: print the public half and key id of settings.SIGNING_KEY_FILE.")

    def add_arguments(self, parser):
        parser.add_argument("--generate", metavar="PATH", help="where to write the new private key")
        parser.add_argument("--rotate", action="store_true",
                            help="replace settings.SIGNING_KEY_FILE with a new key; the old public half stays in the "
                                 "keyring so evidence packs and checkpoints it signed still verify")

    def handle(self, *args, generate=None, rotate=False, **options):
        if rotate:
            return self._rotate()
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

    def _rotate(self):
        from core.platform.actions.audit import record, write_checkpoint

        if not Path(settings.SIGNING_KEY_FILE).is_file():
            raise CommandError(f"no signing key at {settings.SIGNING_KEY_FILE} to rotate; create one with --generate")
        old_id, new_id = signing.rotate()
        record("platform.signing_key.rotate", acting_user=None, data={"old_key_id": old_id, "new_key_id": new_id})
        # The chain's head is signed by the new key at once, so no stretch of events is left to the old one.
        write_checkpoint(by="signing_key --rotate")
        self.stdout.write(f"signing key rotated: {old_id} -> {new_id}; {old_id}'s public key is kept in "
                          f"{signing.keyring_dir()}. Publish the new public key:")
        self.stdout.write(signing.public_key_pem())
