"""One machine, no services: two Celery workers on the file-system broker beside a
gunicorn web server. One worker (with beat) takes the short queues, the other the long
ones (detector trainings), each with its own slots, so a scorecard of seconds never
waits behind a training of hours. Ctrl-C stops all three."""
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.platform.demo import DEMO_PASSWORD, DEMO_USERS
from core.platform.queueing import LONG, SHORT, queue_names


def worker_commands(*, schedule, short_slots=2, long_slots=2):
    """The two worker command lines: short queues (and beat, which must run once) and long queues."""
    celery = [sys.executable, "-m", "celery", "-A", "core", "worker", "--loglevel", "INFO"]
    return [
        [*celery, "-n", f"{SHORT}@%h", "-Q", ",".join(queue_names(SHORT)), "-c", str(short_slots),
         "-B", "--schedule", str(schedule)],
        [*celery, "-n", f"{LONG}@%h", "-Q", ",".join(queue_names(LONG)), "-c", str(long_slots)],
    ]


class Command(BaseCommand):
    help = "Run the web server and two Celery workers, short and long queues (the embedded deployment)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("ZHONGTAI_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("ZHONGTAI_PORT", "8000")))
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--short-slots", type=int, default=2, help="jobs of the short queues run at once")
        parser.add_argument("--long-slots", type=int, default=2, help="trainings of the long queues run at once")

    def handle(self, *args, host, port, web_workers, short_slots, long_slots, **options):
        if short_slots < 1 or long_slots < 1:
            raise CommandError("--short-slots and --long-slots must be at least 1")
        var = settings.VAR_DIR
        var.mkdir(parents=True, exist_ok=True)
        (var / "static").mkdir(exist_ok=True)
        env = dict(os.environ)
        workers = [subprocess.Popen(cmd, env=env, start_new_session=True)
                   for cmd in worker_commands(schedule=var / "celerybeat-schedule", short_slots=short_slots,
                                              long_slots=long_slots)]
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "core.wsgi", "-b", f"{host}:{port}", "-w", str(web_workers),
             "--access-logfile", "-"],
            env=env, start_new_session=True)
        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\nZhongtai is running at {url}"))
        self.stdout.write(f"  API docs: {url}api/docs/   admin: {url}admin/")
        self.stdout.write(f"  logins (password '{DEMO_PASSWORD}'): admin (superuser), "
                          + ", ".join(f"{u} ({r} @ {o})" for u, o, r in DEMO_USERS))
        self.stdout.write(f"  workers: short queues x{short_slots}, long queues x{long_slots}")
        self.stdout.write("  Ctrl-C stops the web server and the workers.\n")

        def stop(signum, frame):
            raise KeyboardInterrupt

        # The children run in their own sessions; a SIGTERM to us must still stop them.
        signal.signal(signal.SIGTERM, stop)
        try:
            while web.poll() is None and all(w.poll() is None for w in workers):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for proc in (web, *workers):
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
            for proc in (web, *workers):
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
        clean = (None, 0, -signal.SIGTERM)
        if web.returncode not in clean or any(w.returncode not in clean for w in workers):
            raise SystemExit(f"stopped: worker exits {[w.returncode for w in workers]}, web exit {web.returncode}")
