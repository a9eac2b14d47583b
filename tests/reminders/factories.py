"""Subjects for reminder tests, one at a time (factories) or by the thousand (bulk inserts)."""

from datetime import datetime

from accounts.models import User
from alliances.models import Alliance, Organisation
from reviews.workflow import State
from tests.factories import AllianceFactory, OrganisationFactory, SectorFactory, district, member_user


def returned_application(returned_at: datetime, *, users: int = 1) -> tuple[Alliance, list[User]]:
    """An application returned for revision at ``returned_at`` and the chairman unit's users."""
    alliance = AllianceFactory(state=State.RETURNED, state_changed_at=returned_at)
    applicants = [member_user(organisation=alliance.chairman) for _ in range(users)]
    return alliance, applicants


def returned_applications_in_bulk(count: int, returned_at: datetime) -> list[Alliance]:
    """``count`` returned applications, each with one applicant user, in a handful of INSERTs."""
    sector = SectorFactory()
    zhangdian = district()
    base = Organisation.objects.count()
    stub = OrganisationFactory.build()
    organisations = Organisation.objects.bulk_create([
        Organisation(name=f"批量测试企业{base + n}", kind=Organisation.Kind.ENTERPRISE,
                     credit_code=f"{base + n:018d}", address=stub.address, district=zhangdian,
                     contact_person=stub.contact_person, phone=stub.phone, email=f"bulk{base + n}@example.cn",
                     verification=Organisation.Verification.VERIFIED)
        for n in range(count)
    ])
    User.objects.bulk_create([
        User(username=f"bulk-applicant-{base + n}", email=f"applicant{base + n}@example.cn", organisation=org,
             is_org_admin=True)
        for n, org in enumerate(organisations)
    ])
    return Alliance.objects.bulk_create([
        Alliance(name=f"批量测试联盟{base + n}", sector=sector, chairman=org, state=State.RETURNED,
                 state_changed_at=returned_at)
        for n, org in enumerate(organisations)
    ])
