from django.core.management.base import BaseCommand, CommandError

from core.platform.actions.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; report the first broken link."

    def handle(self, *args, **options):
        count, broken = verify_chain()
        if broken is None:
            self.stdout.write(self.style.SUCCESS(f"audit chain intact: {count} events verified"))
            return
        seq, reason = broken
        raise CommandError(f"audit chain broken at event {seq}: {reason} ({count} events read)")
