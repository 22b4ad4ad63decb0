"""The header's navigation: each signed-in user's own work, asked of the access gate.

Every entry names the action its page needs; an entry is shown when the gate lets the user take
that action (``accounts.access.can``), so the menu follows the one table of roles and actions
in ``accounts/policy.py`` and no template or view names a role. Showing is not authorising:
each page asks the gate again.

Entries marked ``employer_side`` are the work of someone acting for employers (an employer
administrator): they open that employer's pages when the user acts for one employer, and the
list of their employers when they act for several. Entries marked ``office_side`` are for
everyone else (the agency's offices).

The current place is the entry whose address is the longest prefix of the page's path; it is
marked with ``aria-current="page"``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jamsos.accounts.access import Action, acts_for_employers, can, employers_visible_to


@dataclass(frozen=True)
class Entry:
    label: str | Promise
    url_name: str
    #: the action the page needs (None: any signed-in user)
    action: Action | None
    #: True: only for users acting for employers (the URL takes their employer's id);
    #: False: only for everyone else; None: for anyone the action allows.
    employer_side: bool | None = None
    #: the part of the site the entry stands for, when wider than its page
    within: str = ""


ENTRIES: tuple[Entry, ...] = (
    # a participant's own record
    Entry(_("My card"), "web:my_cards", Action.OWN_RECORD_READ),
    Entry(_("Payments"), "web:my_payments", Action.OWN_RECORD_READ),
    Entry(_("My claims"), "web:claims", Action.OWN_RECORD_READ),
    Entry(_("Messages"), "web:my_messages", Action.OWN_RECORD_READ),
    # sponsors
    Entry(_("Sponsored workers"), "web:sponsor", Action.SPONSOR_ENROL),
    # an employer's administrator
    Entry(_("Workers"), "web:employer_workers", Action.WORKER_MANAGE, employer_side=True),
    Entry(_("Monthly list"), "web:upload_new", Action.UPLOAD, employer_side=True),
    Entry(_("Bills"), "web:employer_statement", Action.BILL_READ, employer_side=True),
    Entry(_("Accidents"), "web:accidents", Action.ACCIDENT_REPORT),
    # offices
    Entry(_("Work queues"), "web:queues", Action.BRANCH_QUEUES),
    Entry(_("Claims queue"), "web:claim_queue", Action.CLAIM_QUEUE),
    Entry(_("Participants"), "web:participants", Action.PARTICIPANT_READ, employer_side=False),
    Entry(_("Employers"), "web:employers", Action.EMPLOYER_READ, employer_side=False),
    Entry(_("Projects"), "web:projects", Action.PROJECT_READ),
    Entry(_("Arrears"), "web:arrears", Action.ARREARS_READ, employer_side=False),
    Entry(_("Reports"), "web:reports", Action.REPORT_READ),
    Entry(_("Audit trail"), "web:audit", Action.AUDIT_READ),
    # the system's administration
    Entry(_("Users"), "web:users", Action.USER_CREATE),
    Entry(_("Payment channels"), "web:channels", Action.CHANNEL_CREATE),
    Entry(_("Rules"), "web:rules", Action.RULE_HORIZON),
    Entry(_("Monthly billing"), "web:billing_run", Action.BILLING_RUN),
    Entry(_("Jobs"), "web:jobs", Action.JOB_READ_ALL),
    Entry(_("Simulator"), "web:simulate_contribution", None, within="/simulasi/"),
)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


def navigation(request: HttpRequest) -> list[Link]:
    """The signed-in user's menu, in order, with the current place marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    employer_side = acts_for_employers(user)
    employer_ids: list[int] = []
    if employer_side:
        employer_ids = list(employers_visible_to(user).values_list("pk", flat=True)[:2])
    links: list[tuple[str, str, str]] = []  # label, url, the place it stands for
    for entry in ENTRIES:
        if entry.employer_side is not None and entry.employer_side != employer_side:
            continue
        if entry.action is not None and not can(user, entry.action):
            continue
        if not entry.employer_side:
            url = reverse(entry.url_name)
            links.append((str(entry.label), url, entry.within or url))
        elif len(employer_ids) == 1:
            url = reverse(entry.url_name, args=[employer_ids[0]])
            links.append((str(entry.label), url, url))
        elif employer_ids and not any(url == reverse("web:employers") for _l, url, _p in links):
            # several employers: their list, once, in place of one employer's pages
            url = reverse("web:employers")
            links.append((str(_("Your companies")), url, url))
    # the current place: the longest one the path starts with
    path = request.path
    here = max((place for *_x, place in links if path.startswith(place)), key=len, default=None)
    return [Link(label, url, place == here) for label, url, place in links]
