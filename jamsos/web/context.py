from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from jamsos import __version__
from jamsos.web.navigation import navigation


def jamsos(request: HttpRequest) -> dict[str, object]:
    return {
        "jamsos_version": __version__,
        # the header's menu, worked out once and only when a page shows it
        "nav": SimpleLazyObject(lambda: navigation(request)),
        "account_url": reverse("web:account"),
    }
