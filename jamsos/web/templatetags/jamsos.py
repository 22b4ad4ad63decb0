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
