from decimal import Decimal

from django import template
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
