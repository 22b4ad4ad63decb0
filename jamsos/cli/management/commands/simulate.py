"""``jamsos simulate contribution|benefit``: one JSON request in, one JSON result out."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from jamsos.core.errors import DomainError
from jamsos.rules.simulate import SIMULATIONS


class Command(BaseCommand):
    help = (
        "Compute a contribution or a benefit from one JSON request on standard input "
        "(or --file) and print the explained JSON result. Exit 2 with a JSON error on bad input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(SIMULATIONS))
        parser.add_argument("--file", help="read the request from this file instead of stdin")
        parser.add_argument(
            "--lang",
            choices=["id", "en"],
            default=settings.LANGUAGE_CODE,
            help="language of error messages (default: id)",
        )

    def handle(self, *args: Any, kind: str, file: str | None, lang: str, **options: Any) -> None:
        try:
            if file:
                with open(file, encoding="utf-8") as fh:
                    text = fh.read()
            else:
                text = sys.stdin.read()
        except OSError as exc:
            self._fail({"code": "file.unreadable", "field": "file", "message": str(exc)})
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            self._fail(
                {
                    "code": "invalid_json",
                    "field": "body",
                    "message": f"body: not valid JSON ({exc.msg} at line {exc.lineno})",
                }
            )
        try:
            result = SIMULATIONS[kind](payload)
        except DomainError as exc:
            self._fail(exc.as_dict(lang))
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _fail(self, error: dict[str, Any]) -> None:
        self.stdout.write(json.dumps({"error": error}, ensure_ascii=False))
        raise SystemExit(2)
