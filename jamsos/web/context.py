from __future__ import annotations

from django.http import HttpRequest

from jamsos import __version__


def jamsos(request: HttpRequest) -> dict[str, object]:
    return {"jamsos_version": __version__}
