from django.core.management.base import BaseCommand, CommandError

from core.platform.actions.audit import verify


class Command(BaseCommand):
    help = ("Verify the audit log's hash chain from its first event and against the latest signed "
            "checkpoint; report the first broken link and how many events no checkpoint covers yet.")

    def handle(self, *args, **options):
        result = verify()
        if result.broken is not None:
            seq, reason = result.broken
            raise CommandError(f"audit chain broken at event {seq}: {reason} ({result.checked} events read)")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {result.checked} events verified"))
        if result.checkpoint is None:
            self.stdout.write(self.style.WARNING(
                f"no signed checkpoint yet: all {result.last_seq} events rest on the database alone "
                f"(run `manage.py audit_checkpoint`)"))
        else:
            cp = result.checkpoint
            self.stdout.write(f"latest signed checkpoint: event {cp['seq']} at {cp['at']} (key {cp['key_id']})")
            self.stdout.write(f"{result.after_checkpoint} events after it, not yet covered by a signed checkpoint")
