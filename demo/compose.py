"""What a demo alliance is made of: member units, governance, work plan, targets, investment, agreement."""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from alliances import services
from alliances.models import GovernanceMember, Membership, Organisation, PlannedInvestment, Sector

from . import names
from .pdf import agreement_pdf
from .units import Directory, landline, person

Role = Membership.Role
Status = Membership.Status


@dataclass
class Spec:
    """One demo alliance: its name, sector, direction and the state its story ends in."""

    number: int
    sector: str
    name: str
    keywords: tuple[str, ...]
    direction: str
    targets: str
    call_year: int = 0
    chairman: Organisation | None = None
    vice_chairs: list[Organisation] = field(default_factory=list)
    secretariat: Organisation | None = None
    technical_support: list[Organisation] = field(default_factory=list)
    members: list[Organisation] = field(default_factory=list)
    invited: list[Organisation] = field(default_factory=list)  # still unanswered (drafts only)


def choose_members(rng: random.Random, spec: Spec, directory: Directory, chairmen: set[int], *,
                   pending_invitations: int = 0) -> None:
    """Pick the chairman (a large enterprise of the sector), vice-chairs, R&D support and members."""
    # Leaders come from the alliance's own trade (its keywords), the largest by revenue first.
    pool = sorted(directory.enterprises[spec.sector], key=lambda o: (not _fits(o, spec), -(o.revenue or 0)))
    spec.chairman = next(o for o in pool if o.pk not in chairmen)
    chairmen.add(spec.chairman.pk)
    others = [o for o in pool if o.pk != spec.chairman.pk]
    spec.vice_chairs = others[:2] if all(_fits(o, spec) for o in others[:2]) else rng.sample(others[:8], 2)
    rest = [o for o in others if o not in spec.vice_chairs]
    spec.members = rng.sample(rest, rng.randrange(9, 14))
    university = directory.universities[0] if rng.random() < 0.7 else rng.choice(directory.universities)
    spec.technical_support = [university, rng.choice(directory.institutes[spec.sector])]
    if rng.random() < 0.4:
        spec.technical_support.append(rng.choice([u for u in directory.universities if u != university]))
    if rng.random() < 0.5:
        spec.secretariat = rng.choice(directory.others[:8])
    if rng.random() < 0.4:
        spec.members.append(rng.choice(directory.others[8:]))
    if pending_invitations:
        spec.invited = [o for o in rest if o not in spec.members][:pending_invitations]


def _fits(organisation: Organisation, spec: Spec) -> bool:
    return any(word in organisation.name for word in spec.keywords)


def _share(amount: Decimal, part: str) -> Decimal:
    return (amount * Decimal(part)).quantize(Decimal("0.01"))


def work_plan_texts(spec: Spec) -> dict[str, str]:
    enterprises = 1 + len(spec.vice_chairs) + sum(o.kind == Organisation.Kind.ENTERPRISE for o in spec.members)
    rd = len(spec.technical_support)
    host = spec.secretariat.name if spec.secretariat else spec.chairman.name
    return {
        "composition": (
            f"联盟由{spec.chairman.name}牵头，联合{enterprises - 1}家骨干企业和{rd}家高校、科研院所共同组建。"
            f"设理事长单位1家、副理事长单位{len(spec.vice_chairs)}家、技术支撑单位{rd}家，"
            f"成员单位覆盖产业链上下游。"
        ),
        "main_goals": f"围绕{spec.direction}，{spec.targets}。",
        "work_tasks": (
            "一是联合开展产业共性关键技术攻关，每年组织实施联盟重点项目不少于3项；"
            "二是共建公共技术服务平台，向成员单位开放检测仪器和中试条件；"
            "三是制定联盟标准，推动成果在行业内推广应用；"
            "四是每年举办不少于两次高层次技术交流和商业模式创新活动；"
            "五是联合培养和引进产业急需的高层次技术人才。"
        ),
        "cooperation_mechanism": (
            "坚持“共同投入、联合开发、利益共享、风险共担”。成员单位按项目签订合作协议，"
            "明确各方投入、分工和成果归属；重大事项由理事会集体决策。"
        ),
        "management_organisation": (
            "联盟设理事会、专家技术委员会和秘书处。理事会是最高决策机构，每年至少召开一次全体会议；"
            f"专家技术委员会负责技术路线论证和项目评审；秘书处设在{host}，负责日常联络和工作推进。"
        ),
        "funds_rules": (
            "联盟经费由成员单位会费、项目自筹资金和政府引导资金构成，实行专款专用、独立核算，"
            "每年向理事会报告收支情况，并接受成员单位监督和审计。"
        ),
        "project_rules": "联盟项目实行立项论证、中期检查和结题验收制度，由专家技术委员会评审，秘书处跟踪实施进度。",
        "ip_rules": (
            "联合研发形成的知识产权按合作协议约定归属；成员单位在联盟内享有优先、优惠使用权，"
            "对联盟外许可须经理事会同意。"
        ),
        "information_sharing_rules": (
            "建立联盟信息平台，定期发布技术需求、研发进展和市场信息；成员单位坚持统计制度，及时上报工作动态。"
        ),
        "results_transfer_rules": (
            "研发成果优先在成员单位内部转化应用，收益按投入比例分配；"
            "鼓励通过技术转让、许可和作价入股等方式推广先进成果。"
        ),
    }


def targets(rng: random.Random, years: list[int]) -> list[dict]:
    rows = []
    indicators = rng.sample(names.TARGET_INDICATORS, 4)
    for step, year in enumerate(years):
        for indicator, unit, low, high in indicators:
            value = rng.randrange(low, high + 1) + step * max(1, (high - low) // 4)
            rows.append({"year": year, "indicator": indicator, "target_value": Decimal(value), "unit": unit})
    return rows


def investments(rng: random.Random, years: list[int]) -> list[dict]:
    rows = []
    base = Decimal(rng.randrange(3_000, 15_000))  # 万元 a year for the whole alliance
    for step, year in enumerate(years):
        total = (base * (Decimal("1") + Decimal(step) / 5)).quantize(Decimal("1"))
        rows += [
            {"year": year, "source": PlannedInvestment.Source.SELF_RAISED, "amount": _share(total, "0.72")},
            {"year": year, "source": PlannedInvestment.Source.BANK_LOAN, "amount": _share(total, "0.18")},
            {"year": year, "source": PlannedInvestment.Source.GOVERNMENT, "amount": _share(total, "0.10")},
        ]
    return rows


def governance(rng: random.Random, spec: Spec) -> list[dict]:
    council = [{"body": GovernanceMember.Body.COUNCIL, "person_name": spec.chairman.legal_representative,
                "position": "理事长", "title": "董事长", "organisation_name": spec.chairman.name}]
    council += [{"body": GovernanceMember.Body.COUNCIL, "person_name": o.legal_representative, "position": "副理事长",
                 "title": "总经理", "organisation_name": o.name} for o in spec.vice_chairs]
    council.append({"body": GovernanceMember.Body.COUNCIL, "person_name": person(rng), "position": "秘书长",
                    "title": "高级工程师", "organisation_name": (spec.secretariat or spec.chairman).name})
    council += [{"body": GovernanceMember.Body.COUNCIL, "person_name": o.legal_representative, "position": "理事",
                 "title": "", "organisation_name": o.name} for o in spec.members[:3]]
    committee = [{"body": GovernanceMember.Body.EXPERT_COMMITTEE, "person_name": person(rng), "position": "主任委员",
                  "title": "教授", "organisation_name": spec.technical_support[0].name}]
    committee += [{"body": GovernanceMember.Body.EXPERT_COMMITTEE, "person_name": person(rng), "position": "委员",
                   "title": rng.choice(["研究员", "正高级工程师", "教授", "高级工程师"]), "organisation_name": o.name}
                  for o in [*spec.technical_support[1:], spec.chairman, *spec.vice_chairs]]
    return council + committee


def create_draft(rng: random.Random, spec: Spec, *, chair_user, complete: bool = True):
    """Create the application as its chairman unit does, through the applicant's services."""
    years = [spec.call_year + 1, spec.call_year + 2, spec.call_year + 3]
    secretariat_contact = person(rng)
    alliance = services.create_alliance(
        by=chair_user, name=spec.name, sector=_sector(spec.sector), technical_direction=spec.direction,
        output_targets=spec.targets, secretariat_contact=secretariat_contact, secretariat_phone=landline(rng),
        secretariat_email=f"mishu{spec.number:02d}@example.com",
        secretariat_address=(spec.secretariat or spec.chairman).address,
    )
    _add_memberships(alliance, spec, chair_user)
    host = spec.secretariat.name if spec.secretariat else f"理事长单位{spec.chairman.name}"
    members = governance(rng, spec)
    if not complete:  # a draft still being filled in: no expert committee, targets or agreement yet
        members = [m for m in members if m["body"] == GovernanceMember.Body.COUNCIL]
    services.update_governance(alliance, by=chair_user, standing_body=f"联盟秘书处（设在{host}）", members=members)
    services.update_work_plan(alliance, by=chair_user, fields=work_plan_texts(spec),
                              targets=targets(rng, years) if complete else None,
                              investments=investments(rng, years) if complete else None)
    if complete:
        parties = 1 + len(spec.vice_chairs) + len(spec.technical_support) + len(spec.members) + bool(spec.secretariat)
        document = agreement_pdf(
            "Alliance agreement (demo placeholder)",
            [f"Alliance no. {spec.number:02d}, call of {spec.call_year}", f"Parties: {parties} member units",
             f"Signed: {timezone.localdate():%Y-%m-%d}", "Rights and duties of each party: see articles 1-24"],
            pages=rng.randrange(2, 5),
        )
        services.upload_agreement(alliance, by=chair_user, file=ContentFile(document, name="联盟协议（签章扫描件）.pdf"))
    return alliance


def _sector(code):
    return Sector.objects.get(code=code)


def _add_memberships(alliance, spec: Spec, chair_user) -> None:
    """The invited units' confirmations (the members' own step) are recorded as already given."""
    now = timezone.now()
    rows = []

    def add(organisation, role, is_core, status=Status.CONFIRMED):
        answered = status != Status.INVITED
        rows.append(Membership(
            alliance=alliance, organisation=organisation, role=role, is_core=is_core, status=status,
            invited_by=chair_user, invited_at=now - timezone.timedelta(days=3),
            responded_at=now if answered else None,
        ))

    for organisation in spec.vice_chairs:
        add(organisation, Role.VICE_CHAIRMAN, True)
    if spec.secretariat:
        add(spec.secretariat, Role.SECRETARIAT, False)
    for organisation in spec.technical_support:
        add(organisation, Role.TECHNICAL_SUPPORT, False)
    for index, organisation in enumerate(spec.members):
        add(organisation, Role.MEMBER, organisation.kind == Organisation.Kind.ENTERPRISE and index % 2 == 0)
    for organisation in spec.invited:
        add(organisation, Role.MEMBER, True, Status.INVITED)
    Membership.objects.bulk_create(rows)
