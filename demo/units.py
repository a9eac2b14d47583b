"""Member units of the demo: enterprises per sector, universities, institutes and other bodies."""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from alliances.models import District, Organisation, RDPlatform, Sector

from . import codes, names

Kind = Organisation.Kind
Level = RDPlatform.Level
PlatformKind = RDPlatform.Kind
_LEVEL_PREFIX = {Level.NATIONAL: "国家", Level.PROVINCIAL: "山东省", Level.MUNICIPAL: "淄博市"}
_PLATFORM_WORD = {
    PlatformKind.ENGINEERING_CENTRE: "工程技术研究中心",
    PlatformKind.ENTERPRISE_CENTRE: "企业技术中心",
    PlatformKind.ENGINEERING_LAB: "工程实验室",
    PlatformKind.KEY_LAB: "重点实验室",
    PlatformKind.ACADEMICIAN: "院士工作站",
    PlatformKind.POSTDOC: "博士后科研工作站",
}


@dataclass
class Directory:
    """The demo's units, grouped the way alliances are put together."""

    enterprises: dict[str, list[Organisation]] = field(default_factory=dict)  # by sector code
    universities: list[Organisation] = field(default_factory=list)
    institutes: dict[str, list[Organisation]] = field(default_factory=dict)  # by sector code
    others: list[Organisation] = field(default_factory=list)
    pending: list[Organisation] = field(default_factory=list)  # registered, awaiting verification

    def all(self) -> list[Organisation]:
        rows = [o for group in self.enterprises.values() for o in group] + self.universities
        rows += [o for group in self.institutes.values() for o in group] + self.others + self.pending
        return rows


def person(rng: random.Random) -> str:
    return rng.choice(names.SURNAMES) + rng.choice(names.GIVEN_NAMES)


def mobile(rng: random.Random) -> str:
    return rng.choice(["131", "135", "138", "150", "153", "158", "177", "186", "189"]) + f"{rng.randrange(10**8):08d}"


def landline(rng: random.Random) -> str:
    return f"0533-{rng.randrange(2_000_000, 8_999_999)}"


def _district(rng: random.Random) -> str:
    codes_, weights = zip(*names.DISTRICT_WEIGHTS.items(), strict=True)
    return rng.choices(codes_, weights)[0]


def _address(rng: random.Random, district: District) -> str:
    return f"山东省淄博市{district.name}{rng.choice(names.ROADS[district.code])}{rng.randrange(1, 300)}号"


class UnitFactory:
    """Makes unsaved Organisation rows with valid, unique credit codes (serials count per kind prefix)."""

    def __init__(self, rng: random.Random, *, verified_by, verified_at, serial_start: int = 0):
        self.rng = rng
        self.verified_by = verified_by
        self.verified_at = verified_at
        self.serial = serial_start
        self.districts = {d.code: d for d in District.objects.all()}
        self.taken_names: set[str] = set(Organisation.objects.values_list("name", flat=True))

    def _unique(self, make_name) -> str:
        for _ in range(200):
            candidate = make_name()
            if candidate not in self.taken_names:
                self.taken_names.add(candidate)
                return candidate
        raise RuntimeError("ran out of demo names")

    def unit(self, *, name: str, kind: str, prefix: str, district_code: str | None = None,
             verified: bool = True) -> Organisation:
        rng = self.rng
        district = self.districts[district_code or _district(rng)]
        self.serial += 1
        return Organisation(
            name=name, kind=kind, credit_code=codes.make(prefix, district.code, self.serial),
            legal_representative=person(rng), address=_address(rng, district), district=district,
            contact_person=person(rng), phone=rng.choice([mobile(rng), landline(rng)]),
            email=f"contact{self.serial:04d}@example.com",
            verification=Organisation.Verification.VERIFIED if verified else Organisation.Verification.PENDING,
            verified_by=self.verified_by if verified else None,
            verified_at=self.verified_at if verified else None,
            created_at=self.verified_at - timezone.timedelta(days=rng.randrange(2, 60)) if verified else timezone.now(),
        )

    def enterprise(self, sector_code: str, *, verified: bool = True) -> Organisation:
        rng = self.rng

        def make_name():
            place = "淄博" if rng.random() < 0.8 else "山东"
            brand = rng.choice(names.BRAND_FIRST) + rng.choice(names.BRAND_SECOND)
            form = rng.choices(*zip(*names.COMPANY_FORMS, strict=True))[0]
            return f"{place}{brand}{rng.choice(names.INDUSTRY_WORDS[sector_code])}{form}"

        unit = self.unit(name=self._unique(make_name), kind=Kind.ENTERPRISE, prefix=codes.ENTERPRISE,
                         verified=verified)
        revenue = Decimal(rng.randrange(3_000, 600_000))  # 万元: 0.3 to 60 亿元
        unit.revenue = revenue
        unit.rd_spending = (revenue * Decimal(rng.randrange(25, 70)) / 1000).quantize(Decimal("0.01"))
        unit.rd_staff = rng.randrange(12, 420)
        unit.is_high_tech = rng.random() < 0.65
        return unit

    def university(self, name: str, district_code: str) -> Organisation:
        return self.unit(name=name, kind=Kind.UNIVERSITY, prefix=codes.PUBLIC_INSTITUTION, district_code=district_code)

    def institute(self, sector_code: str) -> Organisation:
        rng = self.rng

        def make_name():
            return rng.choice(names.INSTITUTE_PATTERNS).format(field=rng.choice(names.INSTITUTE_FIELDS[sector_code]))

        return self.unit(name=self._unique(make_name), kind=Kind.INSTITUTE, prefix=codes.PUBLIC_INSTITUTION,
                         district_code="370303" if rng.random() < 0.6 else None)

    def other(self, name: str) -> Organisation:
        prefix = codes.SOCIAL_ORGANISATION if name.endswith(("协会", "学会")) else codes.PUBLIC_INSTITUTION
        return self.unit(name=name, kind=Kind.OTHER, prefix=prefix, district_code="370303")


def build_units(rng: random.Random, *, enterprises_per_sector: int, institutes_per_sector: int, verified_by,
                verified_at) -> Directory:
    """Create the demo's member units and their R&D platforms (bulk inserts; a few queries)."""
    factory = UnitFactory(rng, verified_by=verified_by, verified_at=verified_at)
    directory = Directory()
    sectors = list(Sector.objects.filter(is_active=True).values_list("code", flat=True))
    for code in sectors:
        directory.enterprises[code] = [factory.enterprise(code) for _ in range(enterprises_per_sector)]
        directory.institutes[code] = [factory.institute(code) for _ in range(institutes_per_sector)]
    directory.universities = [factory.university(name, district) for name, district in names.UNIVERSITIES]
    directory.others = [factory.other(name) for name in names.OTHER_BODIES]
    directory.pending = [factory.enterprise(rng.choice(sectors), verified=False) for _ in range(3)]
    Organisation.objects.bulk_create(directory.all())
    RDPlatform.objects.bulk_create(_platforms(rng, directory))
    return directory


def _platform(rng, organisation, kind, level, field_name) -> RDPlatform:
    if kind in (PlatformKind.ACADEMICIAN, PlatformKind.POSTDOC, PlatformKind.ENTERPRISE_CENTRE):
        name = f"{organisation.name}{_PLATFORM_WORD[kind]}"
        if kind == PlatformKind.ENTERPRISE_CENTRE:
            name = f"{_LEVEL_PREFIX[level]}{_PLATFORM_WORD[kind]}（{organisation.name}）"
    else:
        name = f"{_LEVEL_PREFIX[level]}{field_name}{_PLATFORM_WORD[kind]}"
    return RDPlatform(organisation=organisation, kind=kind, level=level, name=name)


def _platforms(rng: random.Random, directory: Directory) -> list[RDPlatform]:
    rows = []
    for sector, enterprises in directory.enterprises.items():
        field_name = names.INSTITUTE_FIELDS[sector][0]
        for enterprise in enterprises:
            roll = rng.random()
            if roll < 0.35:
                level = rng.choices([Level.PROVINCIAL, Level.MUNICIPAL, Level.NATIONAL], [4, 5, 1])[0]
                rows.append(_platform(rng, enterprise, PlatformKind.ENTERPRISE_CENTRE, level, field_name))
            if roll < 0.12:
                rows.append(_platform(rng, enterprise, PlatformKind.ENGINEERING_CENTRE, Level.PROVINCIAL,
                                      rng.choice(names.INSTITUTE_FIELDS[sector])))
            if roll < 0.04:
                rows.append(_platform(rng, enterprise, rng.choice([PlatformKind.ACADEMICIAN, PlatformKind.POSTDOC]),
                                      Level.PROVINCIAL, field_name))
        for institute in directory.institutes[sector]:
            kind = rng.choice([PlatformKind.ENGINEERING_LAB, PlatformKind.ENGINEERING_CENTRE])
            rows.append(_platform(rng, institute, kind, Level.MUNICIPAL, rng.choice(names.INSTITUTE_FIELDS[sector])))
    for university in directory.universities:
        for sector in rng.sample(list(directory.enterprises), 2):
            rows.append(_platform(rng, university, PlatformKind.KEY_LAB, rng.choice([Level.PROVINCIAL, Level.MUNICIPAL]),
                                  rng.choice(names.INSTITUTE_FIELDS[sector])))
    return rows
