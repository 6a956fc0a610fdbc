"""One machine, no services: a Celery worker (with beat) on the file-system broker
beside a gunicorn web server. Ctrl-C stops both."""
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from core.platform.demo import DEMO_PASSWORD, DEMO_USERS
from core.platform.verticals import registry


class Command(BaseCommand):
    help = "Run the web server and a Celery worker together (the embedded deployment)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("ZHONGTAI_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("ZHONGTAI_PORT", "8000")))
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args, host, port, web_workers, **options):
        queues = ",".join(dict.fromkeys(["default", *registry.queues()]))
        var = settings.VAR_DIR
        var.mkdir(parents=True, exist_ok=True)
        (var / "static").mkdir(exist_ok=True)
        env = dict(os.environ)
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "core", "worker", "-B", "-Q", queues, "-c", "2",
             "--schedule", str(var / "celerybeat-schedule"), "--loglevel", "INFO"],
            env=env, start_new_session=True)
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "core.wsgi", "-b", f"{host}:{port}", "-w", str(web_workers),
             "--access-logfile", "-"],
            env=env, start_new_session=True)
        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\nZhongtai is running at {url}"))
        self.stdout.write(f"  API docs: {url}api/docs/   admin: {url}admin/")
        self.stdout.write(f"  logins (password '{DEMO_PASSWORD}'): admin (superuser), "
                          + ", ".join(f"{u} ({r} @ {o})" for u, o, r in DEMO_USERS))
        self.stdout.write("  Ctrl-C stops the web server and the worker.\n")

        def stop(signum, frame):
            raise KeyboardInterrupt

        # The children run in their own sessions; a SIGTERM to us must still stop them.
        signal.signal(signal.SIGTERM, stop)
        try:
            while worker.poll() is None and web.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for proc in (web, worker):
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
            for proc in (web, worker):
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
        if worker.returncode not in (None, 0, -signal.SIGTERM) or web.returncode not in (None, 0, -signal.SIGTERM):
            raise SystemExit(f"stopped: worker exit {worker.returncode}, web exit {web.returncode}")
