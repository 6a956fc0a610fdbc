from django.core.management.base import BaseCommand

from core.training.actions.reaper import reap_lost_jobs


class Command(BaseCommand):
    help = "Retry or fail jobs whose worker stopped sending heartbeats."

    def handle(self, *args, **options):
        outcomes = reap_lost_jobs()
        for job_id, outcome in outcomes.items():
            self.stdout.write(f"job {job_id}: {outcome}")
        self.stdout.write(f"{len(outcomes)} lost jobs handled")
