from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.hub.evidence import verify_pack


class Command(BaseCommand):
    help = ("Check an evidence pack offline: its manifest's Ed25519 signature (by this platform's key, one it has "
            "rotated out, or --public-key) and every file's SHA-256. Needs no database.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("pack", help="the evidence pack (zip)")
        parser.add_argument("--public-key", metavar="PEM", help="trust this public key instead of the platform's")

    def handle(self, *args, pack, public_key=None, **options):
        try:
            data = Path(pack).read_bytes()
            trusted = Path(public_key).read_text() if public_key else None
        except OSError as exc:
            raise CommandError(f"cannot read {exc.filename}: {exc.strerror}") from exc
        try:
            ok, reason = verify_pack(data, trusted)
        except ValueError as exc:  # a --public-key that is not an Ed25519 PEM
            raise CommandError(f"{public_key} is not an Ed25519 public key: {exc}") from exc
        if not ok:
            raise CommandError(f"{pack}: NOT verified: {reason}")
        self.stdout.write(self.style.SUCCESS(f"{pack}: verified, {reason}"))
