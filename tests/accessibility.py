"""The accessibility check the browser tests run on every page they visit: axe-core (vendored,
tests/vendor/axe-core) against the page as Chromium renders it. Serious and critical
violations fail the test, each named with its rule, its help text and the elements at fault.

axe is injected with ``page.evaluate`` (DevTools evaluation is not subject to the page's
Content-Security-Policy, which refuses inline scripts), so the check changes nothing the
tests also assert about the CSP."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
FAILING = ("serious", "critical")


@lru_cache(maxsize=1)
def axe_source() -> str:
    body = AXE.read_bytes()
    assert hashlib.sha256(body).hexdigest() == AXE_SHA256, "tests/vendor/axe-core changed"
    return body.decode("utf-8")


def violations(page: object) -> list[str]:
    """The serious and critical violations on the page, as readable lines."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):  # type: ignore[attr-defined]
        page.evaluate(axe_source())  # type: ignore[attr-defined]
    found = page.evaluate(  # type: ignore[attr-defined]
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(v['nodes'])}"
        for v in found
        if v["impact"] in FAILING
    ]


def assert_accessible(page: object) -> None:
    """Fail on any serious or critical violation of the page now shown."""
    found = violations(page)
    url = page.url  # type: ignore[attr-defined]
    assert found == [], f"accessibility violations on {url}:\n" + "\n".join(found)
