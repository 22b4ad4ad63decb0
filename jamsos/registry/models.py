"""Offices and employers. The registry issue adds people, participants, projects and regions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimeZone(models.TextChoices):
    """Indonesia's three time zones, by the IANA name the database and Python use."""

    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


class Province(models.Model):
    """A province with its Kemendagri code (two digits, e.g. 65 Kalimantan Utara)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    """A regency (kabupaten) or city (kota) with its Kemendagri code, e.g. ``63.71``."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency or city")
        verbose_name_plural = _("regencies and cities")

    def __str__(self) -> str:
        return self.name

    @property
    def is_city(self) -> bool:
        return self.name.startswith("Kota ")


class RegionalOffice(models.Model):
    """A regional office (Kantor Wilayah), e.g. Kalimantan in Banjarmasin."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    city = models.CharField(_("city"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=32, choices=TimeZone.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("regional office")
        verbose_name_plural = _("regional offices")

    def __str__(self) -> str:
        return self.name


class BranchOffice(models.Model):
    """A branch office (Kantor Cabang) reporting to one regional office."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    regional_office = models.ForeignKey(
        RegionalOffice, on_delete=models.PROTECT, related_name="branches"
    )
    time_zone = models.CharField(_("time zone"), max_length=32, choices=TimeZone.choices)
    regencies = models.ManyToManyField(
        Regency,
        blank=True,
        related_name="branch_offices",
        help_text=_("The regencies and cities this branch serves."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("branch office")
        verbose_name_plural = _("branch offices")

    def __str__(self) -> str:
        return self.name


class EmployerStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    CLOSED = "closed", _("Closed")


class EnterpriseSize(models.TextChoices):
    """Sets the mandatory programmes (Perpres 109/2013 Pasal 6)."""

    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class Sector(models.TextChoices):
    """KBLI 2020 sections (Indonesian standard industrial classification)."""

    A = "A", _("A — Agriculture, forestry and fishing")
    B = "B", _("B — Mining and quarrying")
    C = "C", _("C — Manufacturing")
    D = "D", _("D — Electricity and gas")
    E = "E", _("E — Water supply and waste")
    F = "F", _("F — Construction")
    G = "G", _("G — Wholesale and retail trade")
    H = "H", _("H — Transport and storage")
    I = "I", _("I — Accommodation and food")  # noqa: E741 - the KBLI section letter
    J = "J", _("J — Information and communication")
    K = "K", _("K — Finance and insurance")
    L = "L", _("L — Real estate")
    M = "M", _("M — Professional and technical services")
    N = "N", _("N — Administrative and support services")
    O = "O", _("O — Public administration")  # noqa: E741 - the KBLI section letter
    P = "P", _("P — Education")
    Q = "Q", _("Q — Health and social work")
    R = "R", _("R — Arts and recreation")
    S = "S", _("S — Other services")
    T = "T", _("T — Households as employers")
    U = "U", _("U — Extraterritorial organisations")


class Employer(models.Model):
    """A company (pemberi kerja) identified by its NPP, with divisions for reporting units."""

    npp = models.CharField(_("NPP"), max_length=8, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=200)
    branch_office = models.ForeignKey(
        BranchOffice,
        verbose_name=_("branch office"),
        on_delete=models.PROTECT,
        related_name="employers",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EmployerStatus.choices, default=EmployerStatus.PENDING
    )
    status_reason = models.TextField(_("status reason"), blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True, db_index=True)
    sector = models.CharField(_("sector (KBLI)"), max_length=1, choices=Sector.choices, blank=True)
    size = models.CharField(
        _("enterprise size"), max_length=8, choices=EnterpriseSize.choices, blank=True
    )
    address = models.TextField(_("address"), blank=True)
    regency = models.ForeignKey(
        "Regency",
        verbose_name=_("regency or city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employers",
    )
    registered_at = models.DateTimeField(_("registered at"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    labour_intensive = models.BooleanField(
        _("certain labour-intensive industry"),
        default=False,
        help_text=_(
            "Eligible for the PP 7/2025 JKK discount (listed industries, at least 50 workers); "
            "set by a branch officer."
        ),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="administered_employers"
    )

    class Meta:
        ordering = ["legal_name"]
        indexes = [
            models.Index(fields=["branch_office", "status"], name="employer_branch_status_idx")
        ]
        constraints = [
            models.CheckConstraint(
                name="employer_npp_8_digits", condition=Q(npp__regex=r"^[0-9]{8}$")
            ),
            models.CheckConstraint(
                name="employer_status_valid", condition=Q(status__in=EmployerStatus.values)
            ),
        ]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.npp})"


class EmployerDivision(models.Model):
    """A reporting unit of an employer: NPP plus a 3-digit division code ("000" is the main)."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="divisions")
    code = models.CharField(_("division"), max_length=3)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employer", "code"], name="division_unique_code"),
            models.CheckConstraint(
                name="division_3_digits", condition=Q(code__regex=r"^[0-9]{3}$")
            ),
        ]
        ordering = ["employer", "code"]

    def __str__(self) -> str:
        return f"{self.employer.npp}/{self.code}"


class EmployerRiskClass(models.Model):
    """The JKK risk class of an employer from a date (PP 44/2015 Lampiran I), one row a period."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="risk_classes")
    risk_class = models.PositiveSmallIntegerField(_("JKK risk class"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["employer", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "effective_from"], name="risk_class_unique_start"
            ),
            models.CheckConstraint(
                name="risk_class_1_to_5", condition=Q(risk_class__gte=1, risk_class__lte=5)
            ),
            models.CheckConstraint(
                name="risk_class_period",
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} class {self.risk_class} from {self.effective_from}"


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Person(models.Model):
    """One human being, identified by NIK. Memberships (participants) hang off a person."""

    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    full_name = models.CharField(_("full name"), max_length=100)
    name_key = models.CharField(max_length=100, help_text=_("Normalised name for duplicates."))
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="person",
        help_text=_("The participant's own login: sees their cards, payments and JHT."),
    )

    class Meta:
        indexes = [models.Index(fields=["name_key", "birth_date"], name="person_duplicate_idx")]
        constraints = [
            models.CheckConstraint(
                name="person_nik_16_digits", condition=Q(nik__regex=r"^[0-9]{16}$")
            ),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name


class Segment(models.TextChoices):
    PU = "PU", _("Wage earner (PU)")
    BPU = "BPU", _("Informal worker (BPU)")
    JAKON = "JAKON", _("Construction worker (Jakon)")
    PMI = "PMI", _("Migrant worker (PMI)")


class Participant(models.Model):
    """A membership with its KPJ card number."""

    kpj = models.CharField(_("KPJ"), max_length=11, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    segment = models.CharField(_("segment"), max_length=8, choices=Segment.choices)
    branch_office = models.ForeignKey(
        BranchOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="participants"
    )
    registered_at = models.DateTimeField(_("registered at"))

    class Meta:
        indexes = [models.Index(fields=["branch_office", "segment"], name="participant_branch_idx")]
        constraints = [
            models.CheckConstraint(
                name="participant_kpj_11_digits", condition=Q(kpj__regex=r"^[0-9]{11}$")
            ),
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.kpj} {self.person}"


class KpjCounter(models.Model):
    """The last KPJ serial given out for a year of first enrolment."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_serial = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_serial}"


class Occupation(models.TextChoices):
    FARMER = "farmer", _("Farmer")
    FISHER = "fisher", _("Fisher")
    TRADER = "trader", _("Trader")
    ONLINE_DRIVER = "online_driver", _("Online driver")
    COURIER = "courier", _("Courier")
    HOUSEHOLD_ASSISTANT = "household_assistant", _("Household assistant")
    FREELANCER = "freelancer", _("Freelancer")
    OTHER = "other", _("Other")


class PayerType(models.TextChoices):
    SELF = "self", _("The member")
    SPONSOR = "sponsor", _("A sponsor (Sertakan)")
    DONOR = "donor", _("A donor programme")
    GOVERNMENT = "government", _("A government payer group")


class PayerGroup(models.TextChoices):
    """Vulnerable-worker payer groups ("wadah") of the BPJS process manual (PROBIS p.67)."""

    SC = "SC", _("SC — corporate")
    SB = "SB", _("SB — banking")
    SG = "SG", _("SG — government")
    SD = "SD", _("SD — village (APBDes)")
    SA = "SA", _("SA — village (APBD)")
    SL = "SL", _("SL — village (other funds)")


class BpuMembership(models.Model):
    """An informal worker's membership: what they declared and who pays.

    Status (awaiting first payment, active, in grace, lapsed) is derived from what is paid,
    which the contributions issue records.
    """

    participant = models.OneToOneField(Participant, on_delete=models.PROTECT, related_name="bpu")
    occupation = models.CharField(_("occupation"), max_length=32, choices=Occupation.choices)
    declared_income_idr = models.BigIntegerField(_("declared monthly income"))
    with_jht = models.BooleanField(_("with JHT"), default=False)
    payer_type = models.CharField(_("paid by"), max_length=16, choices=PayerType.choices)
    payer_group = models.CharField(
        _("payer group"), max_length=2, choices=PayerGroup.choices, blank=True
    )
    sponsor = models.ForeignKey(
        "Sponsor", null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="bpu_income_not_negative", condition=Q(declared_income_idr__gte=0)
            ),
            models.CheckConstraint(
                name="bpu_government_needs_group",
                condition=Q(payer_type="government", payer_group__in=PayerGroup.values)
                | (~Q(payer_type="government") & Q(payer_group="")),
            ),
        ]

    def __str__(self) -> str:
        return f"BPU {self.participant_id}"


class PhoneVerification(models.Model):
    """A one-time code sent to confirm that a person owns a phone number."""

    class Purpose(models.TextChoices):
        PHONE = "phone", _("confirm the phone")
        LINK = "link", _("link a login to the person")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phone_codes")
    purpose = models.CharField(max_length=8, choices=Purpose.choices, default=Purpose.PHONE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The login asking to be linked (purpose link)."),
    )
    phone = models.CharField(max_length=16)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"code for {self.phone}"


class ExitReason(models.TextChoices):
    RESIGNATION = "resignation", _("Resignation")
    TERMINATION = "termination", _("Termination (PHK)")
    CONTRACT_END = "contract_end", _("End of a fixed-term contract")
    RETIREMENT = "retirement", _("Retirement")
    DEATH = "death", _("Death")


class Employment(models.Model):
    """A wage earner's job at an employer: the PU participation the monthly bill reads."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="employments"
    )
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="employments")
    division = models.ForeignKey(
        EmployerDivision, on_delete=models.PROTECT, related_name="employments"
    )
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"), null=True, blank=True)
    exit_reason = models.CharField(
        _("exit reason"), max_length=16, choices=ExitReason.choices, blank=True
    )

    class Meta:
        indexes = [models.Index(fields=["employer", "end_on"], name="employment_employer_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "employer"],
                condition=Q(end_on__isnull=True),
                name="employment_one_open_per_employer",
            ),
            models.CheckConstraint(
                name="employment_end_after_start",
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
            ),
            models.CheckConstraint(
                name="employment_exit_reason_with_end",
                condition=(Q(end_on__isnull=True) & Q(exit_reason=""))
                | (Q(end_on__isnull=False) & ~Q(exit_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} at {self.employer_id} from {self.start_on}"


class WageStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    PENDING = "pending_approval", _("Awaiting an officer's approval")


class WageRecord(models.Model):
    """The reported monthly wage from a date; below the floor it waits for an officer."""

    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, related_name="wages")
    effective_from = models.DateField(_("effective from"))
    wage_idr = models.BigIntegerField(_("monthly wage"))
    status = models.CharField(_("status"), max_length=16, choices=WageStatus.choices)
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Who reported the wage: never the officer who approves it."),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["employment", "effective_from"]
        indexes = [  # the billing run looks for wages reported or approved since a bill
            models.Index(fields=["reported_at"], name="wage_reported_idx"),
            models.Index(fields=["approved_at"], name="wage_approved_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "effective_from"], name="wage_one_per_date"
            ),
            models.CheckConstraint(name="wage_positive", condition=Q(wage_idr__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.employment_id}: {self.wage_idr} from {self.effective_from}"


class Sponsor(models.Model):
    """Someone who registers and pays for informal workers (*Sertakan*): a person or a company."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        COMPANY = "company", _("Company")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsor",
    )
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("created at"))

    def __str__(self) -> str:
        return self.name


class Funding(models.TextChoices):
    APBN = "APBN", _("National budget (APBN)")
    APBD = "APBD", _("Regional budget (APBD)")
    PRIVATE = "private", _("Private")


class Project(models.Model):
    """A construction project (Jakon) covered by a project contribution."""

    number = models.CharField(_("project number"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=200)
    owner_name = models.CharField(_("project owner"), max_length=200)
    contractor = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="projects")
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="projects")
    branch_office = models.ForeignKey(
        BranchOffice, on_delete=models.PROTECT, related_name="projects"
    )
    work_order_on = models.DateField(_("work order (SPK) date"))
    contract_value_idr = models.BigIntegerField(_("contract value"))
    funding = models.CharField(_("funding"), max_length=8, choices=Funding.choices)
    start_on = models.DateField(_("planned start"))
    end_on = models.DateField(_("planned end"))
    registered_at = models.DateTimeField(_("registered at"))
    registered_late = models.BooleanField(
        _("registered late"),
        null=True,
        help_text=_("More than 14 working days after the SPK; empty without holiday data."),
    )

    class Meta:
        indexes = [
            models.Index(fields=["branch_office", "registered_at"], name="project_branch_idx")
        ]
        constraints = [
            models.CheckConstraint(
                name="project_value_positive", condition=Q(contract_value_idr__gt=0)
            ),
            models.CheckConstraint(
                name="project_end_after_start", condition=Q(end_on__gte=models.F("start_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class ProjectWorker(models.Model):
    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily paid")
        PIECE = "piece", _("Piece rate")
        FIXED_TERM = "fixed_term", _("Fixed-term (PKWT)")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="workers")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="project_work"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    reported_late = models.BooleanField(
        _("reported late"),
        null=True,
        help_text=_(
            "Reported more than 7 working days after starting; empty without holiday data."
        ),
    )

    class Meta:
        indexes = [models.Index(fields=["project", "end_on"], name="project_worker_idx")]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.project_id}"


class PmiPlacement(models.Model):
    """A migrant worker's placement (Permenaker 4/2023)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="placements"
    )
    agreement_on = models.DateField(_("placement agreement date"))
    destination_country = models.CharField(_("destination country (ISO)"), max_length=2)
    via_agency = models.BooleanField(_("through an agency"))
    contract_months = models.PositiveSmallIntegerField(_("contract months"))

    def __str__(self) -> str:
        return f"{self.participant_id} to {self.destination_country}"


class DemoRun(models.Model):
    """Progress of ``jamsos demo --scale``: the batches done per stage, so a run can resume."""

    seed = models.IntegerField()
    scale = models.DecimalField(max_digits=8, decimal_places=4)
    stage = models.CharField(max_length=32)
    batches_done = models.PositiveIntegerField(default=0)
    batches_total = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seed", "scale", "stage"], name="demo_run_stage")
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.batches_done}/{self.batches_total}"


class EmployerUpload(models.Model):
    """A monthly worker list uploaded by an employer: dry run first, then finalised at once."""

    class Status(models.TextChoices):
        DRY_RUN = "dry_run", _("Checked, not applied")
        FINALISED = "finalised", _("Applied")

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="uploads")
    period = models.CharField(_("period"), max_length=7)
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRY_RUN
    )
    summary = models.JSONField(default=dict)
    rows = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    finalised_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "sha256"],
                condition=Q(status="finalised"),
                name="upload_file_applied_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.period} {self.filename} ({self.status})"


class PersonMerge(models.Model):
    """Two records of one human being merged by an officer; undone by moving the cards back."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_merged")
    moved_participants = models.JSONField(default=list)
    reason = models.TextField(_("reason"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged at"))
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverted_at = models.DateTimeField(_("reverted at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["merged"], condition=Q(reverted_at__isnull=True), name="person_merged_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} into {self.kept_id}"
