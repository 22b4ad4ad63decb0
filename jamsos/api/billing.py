"""Billing: run a month (system administrators and branch officers), read bills."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema
from pydantic import Field

from jamsos.api.auth import ApiRequest, bearer
from jamsos.api.schemas import ERRORS
from jamsos.contributions.billing import billing_run

router = Router(tags=["billing"], auth=bearer)


class RunIn(Schema):
    period: str = Field(max_length=7, description="YYYY-MM")


class RunOut(Schema):
    period: str
    bills_created: int
    bills_existing: int
    lines: int
    total_idr: int


@router.post("/billing/runs", response={200: RunOut, **ERRORS})
def run(request: ApiRequest, payload: RunIn) -> Any:
    """Issue the month's bills (idempotent: a second run issues nothing new)."""
    return billing_run(period=payload.period, acting_user=request.user).as_json()
