"""``jamsos demo --scale S``: a realistic Kalimantan-like region, generated in bulk.

At scale 1.0 the counts are those of the regional report in PRODUCT.md (November 2024):
63,680 employers, 1,953,661 wage earners (PU), 889,957 informal workers (BPU), 443,402
construction workers on 17,580 projects; any scale keeps the proportions. Migrant workers (PMI)
are not in the report: 12,000 at scale 1.0 is this generator's assumption.

Every stage runs in batches. A batch draws from its own random generator seeded by
(seed, stage, batch), so the region is the same for a seed and a killed run resumes at the next
batch (``DemoRun`` keeps the progress). Rows are written with ``bulk_create``; each batch
writes one audit event per table naming the id range it added.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Min, Model
from django.utils import timezone

from jamsos.core.models import AuditEvent
from jamsos.demo.services import demo_npwp
from jamsos.registry.enrolment import name_key
from jamsos.registry.models import (
    BpuMembership,
    BranchOffice,
    DemoRun,
    Employer,
    EmployerDivision,
    EmployerRiskClass,
    Employment,
    Participant,
    Person,
    PmiPlacement,
    Project,
    ProjectWorker,
    Regency,
    Sponsor,
    WageRecord,
)
from jamsos.registry.nik import format_kpj

AT_SCALE_1 = {
    "employers": 63_680,
    "pu": 1_953_661,
    "bpu": 889_957,
    "projects": 17_580,
    "jakon_workers": 443_402,
    "pmi": 12_000,
}
BATCH = 5_000
KPJ_BASE = 500_000_000  # demo card numbers never meet those the services hand out
NPP_BASE = 20_000_000
EPOCH = date(2026, 11, 1)

#: Province weights: BPS labour force, August 2024 (Sakernas); Kalbar from the employed
#: population. UMP 2026 per province (the governors' decrees; Kaltara provisional).
PROVINCES = {
    "61": (2_860_000, 3_054_552),
    "62": (1_460_910, 3_686_138),
    "63": (2_220_000, 3_725_000),
    "64": (2_083_469, 3_762_431),
    "65": (393_704, 3_755_243),
}
SIZES = (
    ("micro", 0.55, 1, 4),
    ("small", 0.30, 5, 19),
    ("medium", 0.11, 20, 99),
    ("large", 0.04, 100, 600),
)
SECTORS = (
    ("A", 18),
    ("C", 12),
    ("F", 14),
    ("G", 22),
    ("H", 8),
    ("B", 5),
    ("I", 7),
    ("K", 3),
    ("M", 4),
    ("N", 4),
    ("P", 2),
    ("Q", 1),
)
RISK_BY_SECTOR = {
    "A": 4,
    "B": 5,
    "C": 3,
    "F": 5,
    "G": 2,
    "H": 3,
    "I": 2,
    "K": 1,
    "M": 1,
    "N": 2,
    "P": 1,
    "Q": 2,
}
OCCUPATIONS = (
    ("farmer", 24),
    ("trader", 22),
    ("fisher", 8),
    ("online_driver", 10),
    ("courier", 6),
    ("household_assistant", 9),
    ("freelancer", 11),
    ("other", 10),
)
PAYERS = (("self", 70), ("sponsor", 14), ("donor", 5), ("government", 11))
GOVERNMENT_GROUPS = ("SG", "SD", "SA", "SL", "SC", "SB")
FUNDING = (("APBD", 45), ("APBN", 20), ("private", 35))
DESTINATIONS = (("MY", 60), ("BN", 15), ("SA", 8), ("HK", 7), ("TW", 6), ("SG", 4))
WORKS = ("Jalan", "Jembatan", "Gedung", "Irigasi", "Dermaga", "Sekolah")
GIVEN = (
    "Agus",
    "Ahmad",
    "Andi",
    "Ani",
    "Ayu",
    "Bambang",
    "Budi",
    "Dedi",
    "Dewi",
    "Dian",
    "Eko",
    "Fajar",
    "Fitri",
    "Hendra",
    "Indah",
    "Irwan",
    "Joko",
    "Lestari",
    "Maria",
    "Muhammad",
    "Nur",
    "Putri",
    "Rahmat",
    "Rina",
    "Rizki",
    "Rudi",
    "Sari",
    "Siti",
    "Slamet",
    "Sri",
    "Taufik",
    "Tri",
    "Wahyu",
    "Wati",
    "Yanti",
    "Yusuf",
    "Zainal",
    "Aminah",
    "Hasan",
    "Kartini",
)
FAMILY = (
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Lestari",
    "Pratama",
    "Kurniawan",
    "Rahman",
    "Syahputra",
    "Siregar",
    "Nasution",
    "Setiawan",
    "Hakim",
    "Noor",
    "Fauzi",
    "Gunawan",
    "Susanto",
    "Hartono",
    "Yulianti",
    "Maulana",
    "Ramadhan",
    "Anwar",
    "Banjar",
    "Kusuma",
    "Effendi",
)
COMPANY_WORDS = (
    "Borneo",
    "Mahakam",
    "Barito",
    "Kapuas",
    "Khatulistiwa",
    "Banua",
    "Meratus",
    "Kahayan",
    "Sungai",
    "Tanjung",
    "Sentosa",
    "Makmur",
    "Jaya",
    "Abadi",
    "Lestari",
    "Sejahtera",
    "Mandiri",
    "Prima",
    "Nusantara",
    "Karya",
)
COMPANY_TRADES = {
    "A": "Sawit",
    "B": "Tambang",
    "C": "Industri",
    "F": "Konstruksi",
    "G": "Niaga",
    "H": "Logistik",
    "I": "Boga",
    "K": "Finansial",
    "M": "Konsultan",
    "N": "Jasa",
    "P": "Edukasi",
    "Q": "Medika",
}

Progress = Callable[[str, int, int], None]


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _w in weighted], weights=[w for _k, w in weighted])[0]


@dataclass
class Region:
    """What the stages share: regencies with their branch and province."""

    regencies: list[tuple[str, str, int]]  # code, province, branch id
    weights: list[float]

    @classmethod
    def load(cls) -> Region:
        branch_of = dict(
            BranchOffice.regencies.through.objects.values_list("regency_id", "branchoffice_id")
        )
        rows = [
            (r.code, r.province_id)
            for r in Regency.objects.filter(province_id__in=PROVINCES).order_by("code")
            if r.code in branch_of
        ]
        if not rows:
            raise RuntimeError("the demo offices are missing: run `jamsos demo` first")
        per_province: dict[str, int] = {}
        for _code, province in rows:
            per_province[province] = per_province.get(province, 0) + 1
        return cls(
            [(c, p, branch_of[c]) for c, p in rows],
            [PROVINCES[p][0] / per_province[p] for _c, p in rows],
        )

    def pick(self, rng: random.Random) -> tuple[str, str, int]:
        return rng.choices(self.regencies, weights=self.weights)[0]


def _nik(rng: random.Random, regency: str, birth: date, sex: str, serial: int) -> str:
    day = birth.day + (40 if sex == "F" else 0)
    district = 1 + rng.randrange(20)
    return (
        f"{regency.replace('.', '')}{district:02d}{day:02d}{birth.month:02d}"
        f"{birth.year % 100:02d}{serial:04d}"
    )


def _person(
    rng: random.Random, regency: str, index: int, min_age: int, max_age: int, now: datetime
) -> Person:
    sex = "F" if rng.random() < 0.42 else "M"
    age_days = rng.randrange(min_age * 365, max_age * 365)
    birth = EPOCH - timedelta(days=age_days)
    name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    return Person(
        nik=_nik(rng, regency, birth, sex, 1 + index % 9_999),
        full_name=name,
        name_key=name_key(name),
        birth_date=birth,
        sex=sex,
        created_at=now,
    )


def _unique_niks(people: list[Person]) -> None:
    """Make the batch's NIKs unique among themselves and against those already stored, by
    moving the serial on; deterministic for a given database state."""
    taken = set(
        Person.objects.filter(nik__in=[p.nik for p in people]).values_list("nik", flat=True)
    )
    for person in people:
        while person.nik in taken:
            serial = int(person.nik[12:]) % 9_999 + 1
            person.nik = person.nik[:12] + f"{serial:04d}"
        taken.add(person.nik)


def _audit_ranges(
    models: list[type[Model]], before: dict[str, int], stage: str, batch: int
) -> None:
    for model in models:
        label = model._meta.label_lower
        added = model._default_manager.filter(pk__gt=before[label]).aggregate(
            lo=Min("pk"), hi=Max("pk")
        )
        if added["lo"] is not None:
            AuditEvent.objects.create(
                actor=None,
                actor_username="",
                actor_role="system",
                action="demo.generate",
                object_type=label,
                object_id=f"{added['lo']}-{added['hi']}",
                after={"stage": stage, "batch": batch},
            )


def _high_water(models: list[type[Model]]) -> dict[str, int]:
    return {
        m._meta.label_lower: m._default_manager.aggregate(m=Max("pk"))["m"] or 0 for m in models
    }


@dataclass
class Plan:
    seed: int
    scale: Decimal
    counts: dict[str, int]

    @classmethod
    def make(cls, scale: Decimal, seed: int) -> Plan:
        counts = {k: int((Decimal(v) * scale).to_integral_value()) for k, v in AT_SCALE_1.items()}
        counts["projects"] = max(counts["projects"], 1 if counts["jakon_workers"] else 0)
        counts["employers"] = max(counts["employers"], 1 if counts["pu"] else 0)
        return cls(seed, scale, counts)

    def rng(self, stage: str, batch: int) -> random.Random:
        return random.Random(f"{self.seed}:{stage}:{batch}")  # noqa: S311 - demo data

    def headcounts(self) -> list[int]:
        """Workers per employer: by size band, scaled to the PU total exactly."""
        rng = self.rng("headcounts", 0)
        raw = []
        for _ in range(self.counts["employers"]):
            size = rng.choices(SIZES, weights=[s[1] for s in SIZES])[0]
            raw.append(rng.randint(size[2], size[3]))
        total = sum(raw) or 1
        scaled = [max(1, math.floor(r * self.counts["pu"] / total)) for r in raw]
        i = 0
        while sum(scaled) != self.counts["pu"] and scaled:
            step = 1 if sum(scaled) < self.counts["pu"] else -1
            if step > 0 or scaled[i % len(scaled)] > 1:
                scaled[i % len(scaled)] += step
            i += 1
        return scaled


def _stage(
    plan: Plan,
    stage: str,
    total_rows: int,
    progress: Progress,
    work: Callable[[int, int, int], None],
) -> None:
    batches = math.ceil(total_rows / BATCH)
    run, _created = DemoRun.objects.get_or_create(
        seed=plan.seed, scale=plan.scale, stage=stage, defaults={"batches_total": batches}
    )
    for batch in range(run.batches_done, batches):
        start, stop = batch * BATCH, min(total_rows, (batch + 1) * BATCH)
        with transaction.atomic():
            work(batch, start, stop)
            DemoRun.objects.filter(pk=run.pk).update(batches_done=batch + 1)
        progress(stage, batch + 1, batches)
    if batches == 0:
        progress(stage, 0, 0)


def demo_region_generate(
    *, scale: Decimal, seed: int = 2024, progress: Progress | None = None
) -> dict[str, int]:
    """Generate (or finish generating) the demo region; returns the counts."""
    if not Decimal("0") < scale <= Decimal("2"):
        raise ValueError("scale must be above 0 and at most 2")
    progress = progress or (lambda stage, done, total: None)
    plan = Plan.make(scale, seed)
    region = Region.load()
    now = timezone.now()
    employer_models: list[type[Model]] = [Employer]
    headcounts = plan.headcounts()

    def employers(batch: int, start: int, stop: int) -> None:
        rng = plan.rng("employers", batch)
        before = _high_water(employer_models)
        rows = []
        for index in range(start, stop):
            code, _province, branch = region.pick(rng)
            sector = _pick(rng, SECTORS)
            band = (
                next(s for s in SIZES if s[2] <= headcounts[index] <= s[3])
                if headcounts[index] <= SIZES[-1][3]
                else SIZES[-1]
            )
            name = (
                f"{rng.choice(('PT', 'PT', 'CV'))} {rng.choice(COMPANY_WORDS)} "
                f"{COMPANY_TRADES[sector]} {rng.choice(COMPANY_WORDS)}"
            )
            rows.append(
                Employer(
                    npp=f"{NPP_BASE + index:08d}",
                    legal_name=name,
                    branch_office_id=branch,
                    status="active",
                    registered_at=now - timedelta(days=rng.randrange(60, 3650)),
                    verified_at=now,
                    npwp=demo_npwp(9_000_000 + index),
                    sector=sector,
                    size=band[0],
                    regency_id=code,
                    address="Demo",
                )
            )
        created = Employer.objects.bulk_create(rows)
        EmployerDivision.objects.bulk_create(
            EmployerDivision(employer=e, code="000", name=e.legal_name) for e in created
        )
        EmployerRiskClass.objects.bulk_create(
            EmployerRiskClass(
                employer=e,
                risk_class=RISK_BY_SECTOR[e.sector],
                effective_from=timezone.localdate(e.registered_at),
                reason="demo",
            )
            for e in created
        )
        _audit_ranges(employer_models, before, "employers", batch)

    _stage(plan, "employers", plan.counts["employers"], progress, employers)

    demo_employers = list(
        Employer.objects.filter(npp__gte=f"{NPP_BASE:08d}")
        .order_by("npp")
        .values_list("pk", "regency_id", "branch_office_id", "sector", "registered_at")
    )
    divisions = dict(
        EmployerDivision.objects.filter(
            employer_id__in=[e[0] for e in demo_employers], code="000"
        ).values_list("employer_id", "pk")
    )
    bounds = [0]
    for count in headcounts:
        bounds.append(bounds[-1] + count)
    person_models: list[type[Model]] = [Person, Participant]
    kpj_offsets = {
        "pu": 0,
        "bpu": plan.counts["pu"],
        "jakon": plan.counts["pu"] + plan.counts["bpu"],
        "pmi": plan.counts["pu"] + plan.counts["bpu"] + plan.counts["jakon_workers"],
    }

    def people(
        rng: random.Random,
        stage: str,
        start: int,
        stop: int,
        regency_of: Callable[[int], str],
        segment: str,
        branch_of: Callable[[int], int],
        min_age: int = 18,
        max_age: int = 56,
    ) -> tuple[list[Participant], list[Any]]:
        before = _high_water(person_models)
        persons = [
            _person(rng, regency_of(i), kpj_offsets[stage] + i, min_age, max_age, now)
            for i in range(start, stop)
        ]
        _unique_niks(persons)
        persons = Person.objects.bulk_create(persons)
        participants = Participant.objects.bulk_create(
            Participant(
                kpj=format_kpj(2016 + (i % 10), KPJ_BASE + kpj_offsets[stage] + i),
                person=p,
                segment=segment,
                branch_office_id=branch_of(i),
                registered_at=now - timedelta(days=rng.randrange(30, 3000)),
            )
            for i, p in zip(range(start, stop), persons, strict=True)
        )
        return participants, [before]

    def pu(batch: int, start: int, stop: int) -> None:
        rng = plan.rng("pu", batch)

        def employer_of(i: int) -> tuple[Any, ...]:
            return demo_employers[bisect.bisect_right(bounds, i) - 1]

        participants, (before,) = people(
            rng, "pu", start, stop, lambda i: employer_of(i)[1], "PU", lambda i: employer_of(i)[2]
        )
        employments = Employment.objects.bulk_create(
            Employment(
                participant=p,
                employer_id=employer_of(i)[0],
                division_id=divisions[employer_of(i)[0]],
                start_on=timezone.localdate(max(employer_of(i)[4], p.registered_at)),
            )
            for i, p in zip(range(start, stop), participants, strict=True)
        )
        wages = []
        for i, employment in zip(range(start, stop), employments, strict=True):
            ump = PROVINCES[employer_of(i)[1][:2]][1]
            wage = max(2_400_000, round(ump * rng.lognormvariate(0.12, 0.33), -3))
            wages.append(
                WageRecord(
                    employment=employment,
                    effective_from=employment.start_on,
                    wage_idr=wage,
                    status="approved",
                    reported_at=now,
                )
            )
        WageRecord.objects.bulk_create(wages)
        _audit_ranges(person_models, before, "pu", batch)

    _stage(plan, "pu", plan.counts["pu"], progress, pu)

    def bpu(batch: int, start: int, stop: int) -> None:
        rng = plan.rng("bpu", batch)
        picks = {i: region.pick(rng) for i in range(start, stop)}
        before_sponsors = _high_water([Sponsor])
        participants, (before,) = people(
            rng, "bpu", start, stop, lambda i: picks[i][0], "BPU", lambda i: picks[i][2], max_age=60
        )
        memberships = []
        sponsor: Sponsor | None = None
        for participant in participants:
            payer = _pick(rng, PAYERS)
            if payer == "sponsor" and (sponsor is None or rng.random() < 1 / 8):
                sponsor = Sponsor.objects.create(
                    name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                    kind="company" if rng.random() < 0.3 else "person",
                    created_at=now,
                )
            income = max(500_000, round(rng.lognormvariate(14.7, 0.45), -4))
            memberships.append(
                BpuMembership(
                    participant=participant,
                    occupation=_pick(rng, OCCUPATIONS),
                    declared_income_idr=income,
                    with_jht=rng.random() < 0.3,
                    payer_type=payer,
                    payer_group=rng.choice(GOVERNMENT_GROUPS) if payer == "government" else "",
                    sponsor=sponsor if payer == "sponsor" else None,
                )
            )
        BpuMembership.objects.bulk_create(memberships)
        _audit_ranges([*person_models, Sponsor], {**before, **before_sponsors}, "bpu", batch)

    _stage(plan, "bpu", plan.counts["bpu"], progress, bpu)

    contractors = [e for e in demo_employers if e[3] == "F"] or demo_employers

    def projects(batch: int, start: int, stop: int) -> None:
        rng = plan.rng("projects", batch)
        before = _high_water([Project])
        rows = []
        for index in range(start, stop):
            contractor = contractors[index % len(contractors)]
            code, _province, branch = region.pick(rng)
            order = EPOCH - timedelta(days=rng.randrange(10, 900))
            rows.append(
                Project(
                    number=f"JK{index + 1:08d}",
                    name=f"Pembangunan {rng.choice(COMPANY_WORDS)} {rng.choice(WORKS)}",
                    owner_name=rng.choice(("Dinas PUPR", "Pemerintah Kabupaten", "BUMN", "Swasta")),
                    contractor_id=contractor[0],
                    regency_id=code,
                    branch_office_id=branch,
                    work_order_on=order,
                    contract_value_idr=int(round(rng.lognormvariate(20.2, 1.2), -6)) or 1_000_000,
                    funding=_pick(rng, FUNDING),
                    start_on=order + timedelta(days=7),
                    end_on=order + timedelta(days=7 + rng.randrange(60, 540)),
                    registered_at=now - timedelta(days=rng.randrange(0, 30)),
                )
            )
        Project.objects.bulk_create(rows)
        _audit_ranges([Project], before, "projects", batch)

    _stage(plan, "projects", plan.counts["projects"], progress, projects)

    project_rows = list(
        Project.objects.filter(number__startswith="JK")
        .order_by("number")
        .values_list("pk", "regency_id", "branch_office_id", "start_on")
    )

    def jakon(batch: int, start: int, stop: int) -> None:
        rng = plan.rng("jakon", batch)

        def project_of(i: int) -> tuple[Any, ...]:
            return project_rows[i % len(project_rows)]

        participants, (before,) = people(
            rng,
            "jakon",
            start,
            stop,
            lambda i: project_of(i)[1],
            "JAKON",
            lambda i: project_of(i)[2],
        )
        ProjectWorker.objects.bulk_create(
            ProjectWorker(
                project_id=project_of(i)[0],
                participant=p,
                kind=rng.choice(("daily", "daily", "piece", "fixed_term")),
                start_on=project_of(i)[3],
            )
            for i, p in zip(range(start, stop), participants, strict=True)
        )
        _audit_ranges(person_models, before, "jakon", batch)

    _stage(plan, "jakon", plan.counts["jakon_workers"], progress, jakon)

    def pmi(batch: int, start: int, stop: int) -> None:
        rng = plan.rng("pmi", batch)
        picks = {i: region.pick(rng) for i in range(start, stop)}
        participants, (before,) = people(
            rng, "pmi", start, stop, lambda i: picks[i][0], "PMI", lambda i: picks[i][2], max_age=45
        )
        PmiPlacement.objects.bulk_create(
            PmiPlacement(
                participant=p,
                agreement_on=EPOCH - timedelta(days=rng.randrange(700)),
                destination_country=_pick(rng, DESTINATIONS),
                via_agency=rng.random() < 0.85,
                contract_months=rng.choice((6, 12, 24, 24, 24, 30)),
            )
            for p in participants
        )
        _audit_ranges(person_models, before, "pmi", batch)

    _stage(plan, "pmi", plan.counts["pmi"], progress, pmi)
    return demo_region_counts()


def demo_region_counts() -> dict[str, int]:
    """The counts the demo region reports (``--json``)."""
    return {
        "employers": Employer.objects.filter(npp__gte=f"{NPP_BASE:08d}").count(),
        "pu": Employment.objects.filter(
            participant__kpj__gte="0", end_on__isnull=True, employer__npp__gte=f"{NPP_BASE:08d}"
        ).count(),
        "bpu": BpuMembership.objects.count(),
        "sponsors": Sponsor.objects.count(),
        "jakon_workers": ProjectWorker.objects.count(),
        "projects": Project.objects.count(),
        "pmi": PmiPlacement.objects.count(),
    }
