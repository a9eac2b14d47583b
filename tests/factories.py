"""factory_boy factories shared by every test package."""

import random
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from alliances import credit_code
from alliances import tally as member_tally
from alliances.models import (
    Alliance,
    District,
    GovernanceMember,
    Membership,
    Organisation,
    PlannedInvestment,
    RDPlatform,
    Sector,
    WorkPlan,
    YearlyTarget,
)
from calls.models import Call

_rng = random.Random(20261125)


PASSWORD = "correct horse battery staple"  # every factory-made user's password


def make_credit_code(division: str = "370303") -> str:
    """A valid unified social credit code (enterprise legal person, 91…)."""
    body = "".join(_rng.choice(credit_code.ALPHABET) for _ in range(9))
    return credit_code.complete("91" + division + body)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = "new-materials"
    name = "新材料"
    name_en = "New materials"


def district(code: str = "370303") -> District:
    return District.objects.get(code=code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"淄博测试材料有限公司{n}")
    kind = Organisation.Kind.ENTERPRISE
    credit_code = factory.LazyFunction(make_credit_code)
    address = "山东省淄博市张店区人民西路1号"
    district = factory.LazyFunction(district)
    contact_person = "张伟"
    phone = "13800000000"
    email = factory.Sequence(lambda n: f"contact{n}@example.cn")
    verification = Organisation.Verification.VERIFIED


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    full_name = "李娜"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.groups.add(Group.objects.get(name=Role(role).value))


class CallFactory(factory.django.DjangoModelFactory):
    """A published call, open from a month ago for another month, using both optional stages."""

    class Meta:
        model = Call

    year = 2026
    batch_number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"{o.year}年度第{o.batch_number}批产业技术创新战略联盟申报")
    guide = "## 申报条件\n\n- 联盟成员不少于5家"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=30))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=30))
    requires_district_recommendation = True
    uses_site_visits = True
    is_published = True


def district_reviewer(district_obj=None, **kwargs) -> User:
    """A district reviewer scoped to ``district_obj`` (the factories' default district if none)."""
    return UserFactory(roles=[Role.DISTRICT_REVIEWER], district=district_obj or district(), **kwargs)


def member_user(organisation=None, **kwargs) -> User:
    """A member-unit user, organisation admin of its (verified) organisation."""
    return UserFactory(organisation=organisation or OrganisationFactory(), is_org_admin=True,
                       roles=[Role.MEMBER], **kwargs)


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance
        skip_postgeneration_save = True  # the hook creates a Membership; the alliance needs no second save

    name = factory.Sequence(lambda n: f"淄博新材料产业技术创新战略联盟{n}")
    sector = factory.SubFactory(SectorFactory)
    technical_direction = "高性能陶瓷与先进高分子材料共性技术"
    output_targets = "三年内制定联盟标准3项，申请发明专利30项"
    chairman = factory.SubFactory(OrganisationFactory)
    secretariat_contact = "王芳"
    secretariat_phone = "0533-2345678"
    secretariat_email = "mishu@example.cn"
    standing_body = "联盟秘书处（设在理事长单位）"

    @factory.post_generation
    def with_chairman_membership(self, create, extracted, **kwargs):
        """Written directly, and counted in the dashboard's member-unit tally as the services count it."""
        if create:
            with member_tally.kept(Organisation.objects.filter(pk=self.chairman_id)):
                Membership.objects.get_or_create(
                    alliance=self, organisation=self.chairman,
                    defaults={"role": Membership.Role.CHAIRMAN, "is_core": True,
                              "status": Membership.Status.CONFIRMED},
                )


def confirmed_member(alliance, *, kind=Organisation.Kind.ENTERPRISE, role=Membership.Role.MEMBER, is_core=True,
                     **org_kwargs) -> Membership:
    organisation = OrganisationFactory(kind=kind, **org_kwargs)
    with member_tally.kept(Organisation.objects.filter(pk=organisation.pk)):
        return Membership.objects.create(alliance=alliance, organisation=organisation, role=role, is_core=is_core,
                                         status=Membership.Status.CONFIRMED)


def eligible_alliance(**kwargs) -> Alliance:
    """An alliance that passes every default eligibility check (agreement row included, no file body)."""
    alliance = AllianceFactory(**kwargs)
    for _ in range(2):
        confirmed_member(alliance)
    research = confirmed_member(alliance, kind=Organisation.Kind.UNIVERSITY, role=Membership.Role.TECHNICAL_SUPPORT,
                                is_core=False, name="山东理工大学")
    RDPlatform.objects.create(organisation=research.organisation, kind=RDPlatform.Kind.KEY_LAB,
                              level=RDPlatform.Level.PROVINCIAL)
    GovernanceMember.objects.create(alliance=alliance, body=GovernanceMember.Body.COUNCIL, person_name="赵强",
                                    position="理事长")
    GovernanceMember.objects.create(alliance=alliance, body=GovernanceMember.Body.EXPERT_COMMITTEE,
                                    person_name="孙教授", position="主任", title="教授")
    plan = WorkPlan.objects.create(alliance=alliance, **{name: f"{name} 内容" for name in WorkPlan.TEXT_FIELDS})
    YearlyTarget.objects.create(work_plan=plan, year=2027, indicator="发明专利申请", target_value=Decimal("10"),
                                unit="项")
    PlannedInvestment.objects.create(work_plan=plan, year=2027, source=PlannedInvestment.Source.SELF_RAISED,
                                     amount=Decimal("1200.5000"))
    from alliances.models import AllianceAgreement

    AllianceAgreement.objects.create(alliance=alliance, file="agreements/test.pdf", original_name="协议.pdf",
                                     size=1024, sha256="0" * 64, pages=3)
    return alliance


def health_ratings(rating: int = 4, comment: str = "稳定") -> dict:
    """The six health dimensions of a life-cycle stage, each rated ``rating`` with ``comment``."""
    from assessments.models import HealthDimension

    return {dimension: (rating, f"{comment}（{dimension}）") for dimension in HealthDimension.values}


def health_payload(rating: int = 4, comment: str = "稳定") -> list[dict]:
    """The same, as the API's ``health`` list."""
    return [{"dimension": dimension, "rating": value, "comment": text}
            for dimension, (value, text) in health_ratings(rating, comment).items()]
