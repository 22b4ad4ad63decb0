"""The REST API under /api/v1; OpenAPI at /api/v1/openapi.json, browsable at /api/v1/docs."""

from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import get_language
from ninja import NinjaAPI, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Response
from pydantic import Field

from jamsos import __version__
from jamsos.accounts.access import access_employer, employers_visible_to
from jamsos.accounts.models import ApiToken
from jamsos.accounts.services import (
    employer_user_bind,
    token_by_raw,
    token_issue,
    token_revoke,
    token_rotate,
    tokens_of,
)
from jamsos.api.auth import ApiRequest, bearer
from jamsos.api.billing import router as billing_router
from jamsos.api.bpu import router as bpu_router
from jamsos.api.bpu import sponsor_router
from jamsos.api.claims import router as claims_router
from jamsos.api.errors import document_common_statuses, install_error_handlers
from jamsos.api.jobs import router as jobs_router
from jamsos.api.payments import notifications_router
from jamsos.api.payments import router as payments_router
from jamsos.api.people import router as people_router
from jamsos.api.projects import router as projects_router
from jamsos.api.reports import router as reports_router
from jamsos.api.schemas import (
    ERRORS,
    AuditEventOut,
    EmployerOut,
    EmployerRegisterIn,
    ErrorOut,
    IsoDate,
    MeOut,
    ReasonIn,
    RiskClassIn,
    StatusIn,
    TokenIn,
    TokenInfoOut,
    TokenOut,
)
from jamsos.api.settlements import router as settlements_router
from jamsos.api.simulations import router as simulations_router
from jamsos.api.uploads import router as uploads_router
from jamsos.api.workers import router as workers_router
from jamsos.core.net import client_address
from jamsos.core.selectors import AuditFilter, audit_events
from jamsos.registry.models import Employer
from jamsos.registry.services import (
    employer_labour_intensive_set,
    employer_register,
    employer_risk_class_set,
    employer_status_change,
    employer_verify,
)


class JamsosAPI(NinjaAPI):
    """The API. Its OpenAPI document is built and serialised once per process for each path
    prefix and language and then kept (the operations change only with the code, which
    restarts the process), so ``/api/v1/openapi.json`` costs no more than sending the bytes."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        documents = self.__dict__.setdefault("_openapi_documents", {})
        key = (path_prefix, get_language() or "")
        if key not in documents:
            documents[key] = document_common_statuses(
                self, super().get_openapi_schema(path_prefix=path_prefix)
            )
        return documents[key]

    def openapi_json(self, request: HttpRequest, **path_params: Any) -> HttpResponse:
        path_prefix = self.get_root_path(path_params)
        bodies = self.__dict__.setdefault("_openapi_bodies", {})
        key = (path_prefix, get_language() or "")
        if key not in bodies:
            bodies[key] = Response(self.get_openapi_schema(path_prefix=path_prefix)).content
        return HttpResponse(bodies[key], content_type="application/json")

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        """ninja's URLs, with the OpenAPI document served from :meth:`openapi_json`."""
        return [
            path(str(url.pattern), self.openapi_json, name=url.name)
            if isinstance(url, URLPattern) and url.name == "openapi-json"
            else url
            for url in super()._get_urls()
        ]


api = JamsosAPI(
    title="Jamsos API",
    version=__version__,
    description=(
        "Employment social security administration. Authenticate with "
        "`POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`. "
        'Errors are `{"error": {"code", "field", "message"}}`.'
    ),
    urls_namespace="api",
)
install_error_handlers(api)

auth_router = Router(tags=["auth"])


@auth_router.post(
    "/token", response={200: TokenOut, 400: ErrorOut, 403: ErrorOut, 429: ErrorOut}, auth=None
)
def create_token(request: HttpRequest, payload: TokenIn) -> dict[str, object]:
    """Exchange a username and password for a bearer token (shown once) that expires after
    `JAMSOS_TOKEN_DAYS` days (30 by default).

    Wrong passwords lock the account and the client address out for a while (HTTP 429
    `auth.locked` with `Retry-After`); every attempt is audited."""
    raw = token_issue(
        username=payload.username,
        password=payload.password,
        label=payload.label,
        address=client_address(request),
        otp=payload.otp,
    )
    token = token_by_raw(raw)
    return {"token": raw, "expires_at": token.expires_at if token else None}


@auth_router.post("/token/rotate", response={200: TokenOut, **ERRORS}, auth=bearer)
def rotate_token(request: ApiRequest) -> dict[str, object]:
    """Swap the token this request was made with for a new one (same label, fresh expiry);
    the old token stops working at once."""
    raw, token = token_rotate(
        acting_user=request.user,
        token_id=request.api_token.pk,
    )
    return {"token": raw, "expires_at": token.expires_at}


@auth_router.get("/tokens", response={200: list[TokenInfoOut], **ERRORS}, auth=bearer)
def list_tokens(request: ApiRequest) -> list[ApiToken]:
    """The caller's tokens, newest first, with when each was last used."""
    return tokens_of(request.user)


@auth_router.delete("/token", response={204: None, **ERRORS}, auth=bearer)
def revoke_token(request: ApiRequest) -> Status[None]:
    """Revoke the token this request was made with."""
    token_revoke(acting_user=request.user, token_id=request.api_token.pk)
    return Status(204, None)


@auth_router.get("/me", response={200: MeOut, **ERRORS}, auth=bearer)
def me(request: ApiRequest) -> dict[str, object]:
    user = request.user
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "role": user.role,
        "branch_office": user.branch_office.code if user.branch_office else None,
        "regional_office": user.regional_office.code if user.regional_office else None,
        "employers": sorted(user.administered_employers.values_list("npp", flat=True)),
    }


employers_router = Router(tags=["employers"], auth=bearer)


@employers_router.get("", response={200: list[EmployerOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_employers(request: ApiRequest) -> QuerySet[Employer]:
    """Employers the caller may see (own employers, own branch, own region, or all for staff)."""
    return employers_visible_to(request.user)


@employers_router.get("/{employer_id}", response={200: EmployerOut, **ERRORS})
def get_employer(request: ApiRequest, employer_id: int) -> Employer:
    return access_employer(request.user, employer_id)


@employers_router.post("", response={201: EmployerOut, **ERRORS})
def register_employer(request: ApiRequest, payload: EmployerRegisterIn) -> Status[Employer]:
    employer = employer_register(
        acting_user=request.user,
        legal_name=payload.legal_name,
        npwp=payload.npwp,
        sector=payload.sector,
        size=payload.size,
        regency_code=payload.regency,
        risk_class=payload.risk_class,
        address=payload.address,
        branch_office_code=payload.branch_office,
    )
    return Status(201, employer)


@employers_router.post("/{employer_id}/risk-class", response={200: EmployerOut, **ERRORS})
def set_risk_class(request: ApiRequest, employer_id: int, payload: RiskClassIn) -> Employer:
    """A branch officer re-assesses the JKK risk class from a date."""
    employer_risk_class_set(
        acting_user=request.user,
        employer_id=employer_id,
        risk_class=payload.risk_class,
        effective_from=payload.effective_from,
        reason=payload.reason,
    )
    return access_employer(request.user, employer_id)


@employers_router.post("/{employer_id}/status", response={200: EmployerOut, **ERRORS})
def change_status(request: ApiRequest, employer_id: int, payload: StatusIn) -> Employer:
    """A branch officer marks the employer active, inactive or closed, with the reason."""
    return employer_status_change(
        acting_user=request.user,
        employer_id=employer_id,
        status=payload.status,
        reason=payload.reason,
    )


class LabourIntensiveIn(Schema):
    labour_intensive: bool
    reason: str = Field(max_length=2000)


@employers_router.post("/{employer_id}/labour-intensive", response={200: EmployerOut, **ERRORS})
def set_labour_intensive(
    request: ApiRequest, employer_id: int, payload: LabourIntensiveIn
) -> Employer:
    """A branch officer records eligibility for the PP 7/2025 labour-intensive JKK discount."""
    return employer_labour_intensive_set(
        acting_user=request.user,
        employer_id=employer_id,
        labour_intensive=payload.labour_intensive,
        reason=payload.reason,
    )


@employers_router.post("/{employer_id}/verify", response={200: EmployerOut, **ERRORS})
def verify_employer(request: ApiRequest, employer_id: int, payload: ReasonIn) -> Employer:
    return employer_verify(
        acting_user=request.user,
        employer_id=employer_id,
        reason=payload.reason,
    )


class EmployerUserBindIn(Schema):
    username: str = Field(min_length=1, max_length=150)


class EmployerUserBindOut(Schema):
    username: str
    npp: str
    bound: bool


@employers_router.post(
    "/{employer_id}/administrators", response={200: EmployerUserBindOut, **ERRORS}
)
def bind_employer_user(
    request: HttpRequest, employer_id: int, payload: EmployerUserBindIn
) -> dict[str, object]:
    """Bind an employer administrator's or a contractor's login to the employer (an officer of
    its branch or a system administrator). `bound` is false when it was bound already."""
    bound = employer_user_bind(
        acting_user=request.user,  # type: ignore[arg-type]
        employer_id=employer_id,
        username=payload.username,
    )
    employer = access_employer(request.user, employer_id)  # type: ignore[arg-type]
    return {"username": payload.username.strip(), "npp": employer.npp, "bound": bound}


audit_router = Router(tags=["audit"], auth=bearer)


@audit_router.get("/events", response={200: list[AuditEventOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_audit_events(
    request: ApiRequest,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    since: Annotated[IsoDate | None, Query()] = None,
    until: Annotated[IsoDate | None, Query()] = None,
    person: Annotated[
        str, Query(max_length=32, description="NIK or KPJ: who looked at this person")
    ] = "",
) -> object:
    """The audit trail, newest first (auditors and system administrators); ``person`` answers
    who looked at or changed a person's record, cards and claims."""
    return audit_events(
        user=request.user,
        filters=AuditFilter(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            since=since,
            until=until,
            person=person,
        ),
    )


api.add_router("/auth", auth_router)
api.add_router("/employers", employers_router)
api.add_router("/audit", audit_router)
api.add_router("/simulations", simulations_router)
api.add_router("/bpu", bpu_router)
api.add_router("/sponsor", sponsor_router)
api.add_router("", workers_router)
api.add_router("", uploads_router)
api.add_router("", projects_router)
api.add_router("", people_router)
api.add_router("", billing_router)
api.add_router("", payments_router)
api.add_router("", claims_router)
api.add_router("", reports_router)
api.add_router("", notifications_router)
api.add_router("", jobs_router)
api.add_router("", settlements_router)
