from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamsos.core.money import format_idr

register = template.Library()

PAYERS = {
    "employer": _("Employer"),
    "worker": _("Worker"),
    "participant": _("Participant"),
    "government": _("Government"),
}


@register.filter
def rupiah(amount: int | None) -> str:
    return "" if amount is None else format_idr(int(amount))


@register.filter
def percent(rate: str) -> str:
    """A decimal rate string as a percentage in Indonesian style: "0.0089" -> "0,89 %"."""
    value = (Decimal(rate) * 100).normalize()
    return f"{value:f}".replace(".", ",") + " %"


@register.filter
def payer_name(payer: str) -> str:
    return str(PAYERS.get(payer, payer))


COMPONENTS = {
    "death_lump_sum": _("Death lump sum"),
    "periodic_benefit": _("Periodic benefit (paid at once)"),
    "funeral": _("Funeral costs"),
    "scholarship": _("Scholarship"),
    "total_disability_lump_sum": _("Total disability lump sum"),
    "partial_disability_lump_sum": _("Partial disability lump sum"),
    "transport_land": _("Land transport"),
    "transport_sea": _("Sea transport"),
    "transport_air": _("Air transport"),
    "home_care": _("Home care"),
    "balance": _("JHT balance"),
    "partial_10": _("JHT 10 %"),
    "partial_30": _("JHT 30 %"),
    "lump_sum": _("Lump sum"),
    "cash_month_1": _("Cash benefit, first month"),
    "old_age_pension_monthly": _("Old-age pension, monthly"),
    "disability_pension_monthly": _("Disability pension, monthly"),
    "widow_pension_monthly": _("Widow or widower pension, monthly"),
    "child_pension_monthly": _("Child pension, monthly"),
    "parent_pension_monthly": _("Parent pension, monthly"),
}


@register.filter
def component_name(name: str) -> str:
    """A benefit component's code as words: "scholarship_child_1_SMP" -> "Scholarship, child 1
    (SMP)"; unknown codes are shown as they are."""
    if name.startswith("scholarship_child_"):
        _prefix, number, level = name.rsplit("_", 2)
        return str(_("Scholarship, child %(n)s (%(level)s)") % {"n": number, "level": level})
    if name.startswith("stmb_months_"):
        start, end = name.removeprefix("stmb_months_").split("_")
        if end == "on":
            return str(_("STMB from month %(start)s") % {"start": start})
        return str(_("STMB months %(start)s–%(end)s") % {"start": start, "end": end})
    return str(COMPONENTS.get(name, name))


BILL_STATUSES = {
    "open": _("open"),
    "overdue": _("overdue"),
    "part_paid": _("part paid"),
    "paid": _("paid"),
    "cancelled": _("withdrawn"),
}


@register.filter
def bill_status(status: str) -> str:
    return str(BILL_STATUSES.get(status, status))


@register.filter
def micro_percent(rate_micro: int) -> str:
    """A rate in millionths as an Indonesian-style percentage: 20000 -> "2 %"."""
    return percent(str(Decimal(rate_micro) / Decimal(1_000_000)))


CLAIM_ACTIONS = {
    "file": _("filed"),
    "verify": _("Documents verified"),
    "incomplete": _("Back to the claimant: incomplete"),
    "resubmit": _("Submit again"),
    "approve": _("Approve"),
    "second_approve": _("Second approval"),
    "pay": _("Pay"),
    "reject": _("Reject"),
    "straight_through": _("paid straight through"),
    "override_documents": _("went on without every document"),
}


@register.filter
def claim_action(action: str) -> str:
    return str(CLAIM_ACTIONS.get(action, action))


@register.filter
def rate(value: float | None, digits: int = 2) -> str:
    """A ratio as a percentage with two decimals, Indonesian style: 0.45342 -> "45,34 %"."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}".replace(".", ",") + " %"


@register.filter
def thousands(value: int | None) -> str:
    """A count with Indonesian thousands separators: 3200000 -> "3.200.000"."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".")


@register.filter
def get(mapping: dict[str, object] | None, key: str) -> object:
    """A dictionary entry by a variable key."""
    return (mapping or {}).get(key, "")


@register.filter
def index(items: list[object] | tuple[object, ...], position: int) -> object:
    return items[position] if 0 <= position < len(items) else ""


#: Indonesia's time zones by the short names people use.
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def _as_date_or_time(value: date | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    return value


@register.filter
def day(value: date | str | None) -> str:
    """A day in the page's language, one format everywhere: "4 Maret 1992" / "4 March 1992".
    Takes a date, a datetime (its day in the office's time zone) or ISO text."""
    when = _as_date_or_time(value)
    if when is None:
        return "" if value in (None, "") else str(value)
    if isinstance(when, datetime):
        when = timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    return formats.date_format(when, "j F Y")


@register.filter
def moment(value: datetime | str | None) -> str:
    """A moment in the office's time zone with the zone's name: "4 Maret 2026 14.05 WITA"."""
    when = _as_date_or_time(value)
    if not isinstance(when, datetime):
        return day(value)
    if timezone.is_aware(when):
        when = timezone.localtime(when)
    zone = ZONE_NAMES.get(timezone.get_current_timezone_name(), "")
    clock = "H.i" if (get_language() or "id").startswith("id") else "H:i"
    return f"{formats.date_format(when, 'j F Y')} {formats.date_format(when, clock)} {zone}".strip()


AUDIT_ACTIONS = {
    "auth.login": _("signed in"),
    "auth.password_accepted": _("password accepted, code awaited"),
    "auth.failure": _("sign-in refused"),
    "auth.unlock": _("sign-in unlocked"),
    "auth.second_factor_enrol": _("two-step verification set up"),
    "auth.second_factor_reset": _("two-step verification reset"),
    "auth.recovery_code_use": _("recovery code used"),
    "auth.recovery_codes_renew": _("recovery codes renewed"),
    "user.create": _("user created"),
    "user.deactivate": _("user deactivated"),
    "user.password_change": _("password changed"),
    "token.issue": _("API token issued"),
    "token.revoke": _("API token revoked"),
    "token.rotate": _("API token rotated"),
    "employer.register": _("employer registered"),
    "employer.verify": _("employer verified"),
    "employer.status": _("employer status changed"),
    "employer.risk_class": _("risk class changed"),
    "employment.start": _("employment started"),
    "employment.end": _("employment ended"),
    "employment.wage": _("wage reported"),
    "employment.wage_approved": _("wage approved"),
    "person.create": _("person recorded"),
    "person.read": _("personal data read"),
    "person.balance_read": _("JHT balance read"),
    "person.merge": _("records merged"),
    "person.merge_undo": _("merge undone"),
    "person.link_user": _("login linked to a record"),
    "person.phone_recorded": _("phone recorded"),
    "person.phone_verified": _("phone confirmed"),
    "participant.create": _("participant registered"),
    "bpu.register": _("informal worker registered"),
    "bpu.payment_request": _("payment code requested"),
    "billing.run": _("monthly billing run"),
    "payment.payment": _("payment received"),
    "payment.reversal": _("payment reversed"),
    "payment_channel.create": _("payment channel registered"),
    "claim.file": _("claim filed"),
    "claim.verify": _("claim documents verified"),
    "claim.approve": _("claim approved"),
    "claim.reject": _("claim rejected"),
    "claim.pay": _("claim paid"),
    "claim.document": _("claim document uploaded"),
    "claim.document_read": _("claim document read"),
    "accident.report": _("accident reported"),
    "accident.close": _("accident closed"),
    "project.register": _("project registered"),
    "project.bill": _("project billed"),
    "pmi.register": _("migrant worker registered"),
    "upload.create": _("list uploaded"),
    "upload.finalise": _("list applied"),
    "job.enqueue": _("job queued"),
    "job.retry": _("job retried"),
    "employer.user_bind": _("login bound to the employer"),
}


@register.filter
def audit_action(action: str) -> str:
    """An audit event's action in words (its code stays beside it for searching)."""
    return str(AUDIT_ACTIONS.get(action, ""))


@register.filter
def change_text(change: object) -> str:
    """A recorded change as "name: value; name: value" rather than Python's dict text."""
    if not change:
        return ""
    if isinstance(change, dict):
        return "; ".join(f"{key}: {change_text(value) or '—'}" for key, value in change.items())
    if isinstance(change, list | tuple):
        return ", ".join(change_text(item) for item in change)
    return str(change)


@register.filter
def role_name(role: str) -> str:
    from jamsos.accounts.models import RoleChoices

    return str(dict(RoleChoices.choices).get(role, role or ""))


#: Relations of a claimant to the participant, as the claim form offers them (codes in
#: ``rules.calc.claims``; ``widow`` is the JP survivor's spouse).
RELATIONS = {
    "spouse": _("Husband or wife"),
    "child": _("Child"),
    "widow": _("Widow or widower (JP survivor)"),
    "parent": _("Parent"),
    "grandparent": _("Grandparent"),
    "grandchild": _("Grandchild"),
    "sibling": _("Brother or sister"),
    "parent_in_law": _("Parent-in-law"),
    "designated": _("Heir designated by the participant"),
    "funeral_organiser": _("Who arranged the funeral"),
    "employer": _("Employer"),
    "self": _("The participant"),
}


@register.filter
def relation_name(code: str) -> str:
    """The words for a claimant's relation to the participant: "spouse" -> "Suami atau istri"."""
    return str(RELATIONS.get(code, code))
