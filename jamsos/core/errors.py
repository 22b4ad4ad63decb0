"""Domain errors raised by services and mapped by each interface.

Pure module: no Django. Every error carries a stable ``code`` (clients match
on it), a human ``message`` and, where one input is at fault, the ``field``.
The API maps them to ``{"error": {"code", "field", "message"}}`` with the
status below; pages show the message beside the field; the CLI prints it and
exits non-zero.
"""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    status = 400
    default_code = "error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        message_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field
        # Pure modules cannot use Django's translations, so they give the Indonesian text too.
        self.message_id = message_id

    def message_for(self, language: str | None) -> str:
        """The message in ``language`` ("id" or "en") where the raiser gave both."""
        if language and language.startswith("id") and self.message_id:
            return self.message_id
        return self.message

    def page_message(self, language: str | None) -> str:
        """The message for a page, which shows it at its field or names the field in words:
        without the leading ``field:`` that the API and the command line keep.

        >>> field_error("wage_idr", "must be above 0", "harus di atas 0").page_message("id")
        'harus di atas 0'
        >>> RuleViolation("No such month.", field="period").page_message("en")
        'No such month.'
        """
        text = self.message_for(language)
        prefix = f"{self.field}: "
        return text[len(prefix) :] if self.field and text.startswith(prefix) else text

    def as_dict(self, language: str | None = None) -> dict[str, str | None]:
        return {"code": self.code, "field": self.field, "message": self.message_for(language)}


class RuleViolation(DomainError):
    """The input breaks a validation or business rule."""

    status = 400
    default_code = "rule_violation"


class NotFound(DomainError):
    """The object does not exist, or the acting user may not see it."""

    status = 404
    default_code = "not_found"


class PermissionDenied(DomainError):
    """The acting user may see the object but not do this to it."""

    status = 403
    default_code = "permission_denied"


class Conflict(DomainError):
    """The request contradicts the current state (already done, duplicate)."""

    status = 409
    default_code = "conflict"


class TooManyRequests(DomainError):
    """Too many attempts or requests in a time window; try again after ``retry_after`` seconds."""

    status = 429
    default_code = "rate_limited"

    def __init__(
        self,
        message: str,
        *,
        retry_after: int = 60,
        code: str | None = None,
        field: str | None = None,
        message_id: str | None = None,
    ) -> None:
        super().__init__(message, code=code, field=field, message_id=message_id)
        self.retry_after = max(1, retry_after)


def field_error(field: str, en: str, id_: str, code: str = "invalid") -> RuleViolation:
    """A rule violation about one input field, in English and Bahasa Indonesia.

    >>> field_error("wage_idr", "must be above 0", "harus di atas 0").message_for("id")
    'wage_idr: harus di atas 0'
    """
    return RuleViolation(f"{field}: {en}", field=field, code=code, message_id=f"{field}: {id_}")


def check_choice(field: str, value: object, choices: Sequence[str]) -> None:
    """Refuse a value outside a fixed set, naming the set.

    >>> check_choice("size", "small", ("small", "large"))
    >>> check_choice("size", "huge", ("small", "large"))
    Traceback (most recent call last):
    jamsos.core.errors.RuleViolation: size: must be one of small, large
    """
    if value not in choices:
        allowed = ", ".join(choices)
        raise field_error(field, f"must be one of {allowed}", f"harus salah satu dari {allowed}")


def required_text(field: str, value: str | None) -> str:
    """The text with runs of white space folded; refused when empty.

    >>> required_text("full_name", "  Siti   Aminah ")
    'Siti Aminah'
    >>> required_text("full_name", "   ")
    Traceback (most recent call last):
    jamsos.core.errors.RuleViolation: full_name: is required
    """
    text = " ".join((value or "").split())
    if not text:
        raise field_error(field, "is required", "wajib diisi", code="required")
    return text
