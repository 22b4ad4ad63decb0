"""Typed readers for configuration from environment variables.

Pure module: no Django. Each helper returns a value of one type or raises
:class:`ConfigError` naming the variable and the rule it broke, so a bad
deployment fails at start-up with a message an operator can act on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

TRUE_WORDS: Final = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS: Final = frozenset({"0", "false", "no", "off"})


class ConfigError(ValueError):
    """A configuration value is missing or malformed."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


def env_str(environ: Mapping[str, str], name: str, default: str) -> str:
    """The variable's text, or ``default`` when it is unset or empty."""
    value = environ.get(name, "").strip()
    return value or default


def env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """A boolean spelled 1/0, true/false, yes/no or on/off (any case).

    >>> env_bool({"X": "Yes"}, "X", False)
    True
    >>> env_bool({}, "X", True)
    True
    """
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ConfigError(name, f"expected one of true/false, yes/no, on/off, 1/0, got {raw!r}")


def env_int(
    environ: Mapping[str, str],
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """A whole number, optionally within ``[minimum, maximum]``."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw, 10)
    except ValueError:
        raise ConfigError(name, f"expected a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(name, f"must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ConfigError(name, f"must be at most {maximum}, got {value}")
    return value


def env_list(environ: Mapping[str, str], name: str, default: tuple[str, ...]) -> list[str]:
    """A comma-separated list; blanks around items are dropped.

    >>> env_list({"H": " a.example, b.example ,"}, "H", ())
    ['a.example', 'b.example']
    """
    raw = environ.get(name, "")
    if not raw.strip():
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(
    environ: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]
) -> str:
    """One of a fixed set of words."""
    value = env_str(environ, name, default)
    if value not in choices:
        raise ConfigError(name, f"must be one of {', '.join(choices)}, got {value!r}")
    return value
