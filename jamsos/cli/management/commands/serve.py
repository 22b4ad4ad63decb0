from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve Jamsos with gunicorn (a production WSGI server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("JAMSOS_WEB_WORKERS", "3"))
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Django's development server with auto-reload (needs DEBUG on).",
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, dev: bool, **options: Any
    ) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"--port: must be between 1 and 65535, got {port}")
        if workers < 1:
            raise CommandError(f"--workers: must be at least 1, got {workers}")
        if dev:
            if not settings.DEBUG:
                raise CommandError("--dev: the development server runs only with JAMSOS_DEBUG=true")
            call_command("runserver", f"{host}:{port}")
            return
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)

        from gunicorn.app.base import BaseApplication

        from jamsos.config.wsgi import application

        class _Server(BaseApplication):
            def load_config(self) -> None:
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("accesslog", "-")
                self.cfg.set("timeout", 120)
                # gunicorn's control socket: one per instance, beside its data, never the
                # one default path every server on the machine would share
                self.cfg.set("control_socket", str(Path(settings.VAR_DIR) / f"gunicorn-{port}.ctl"))

            def load(self) -> Any:
                return application

        self.stdout.write(f"Jamsos at http://{host}:{port}/ (gunicorn, {workers} workers)")
        if settings.DEBUG:
            self.stdout.write(
                "DEBUG is on: a development demo, not for real data. Text messages (phone "
                "codes, reminders) are not sent to phones: with JAMSOS_NOTIFICATION_SENDER="
                "console (the default) they are written to this terminal's log."
            )
        _Server().run()
