from django.core.management.base import BaseCommand, CommandError

from core.platform.actions.audit import ChainBroken, write_checkpoint


class Command(BaseCommand):
    help = ("Sign the audit chain's head (sequence and hash) with the platform key and append it to "
            "the checkpoint file (and syslog). Refuses when the events since the last checkpoint do not verify.")

    def handle(self, *args, **options):
        try:
            checkpoint = write_checkpoint(by="manage.py audit_checkpoint")
        except ChainBroken as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"checkpoint signed: event {checkpoint['seq']} hash {checkpoint['hash']} (key {checkpoint['key_id']})"))
