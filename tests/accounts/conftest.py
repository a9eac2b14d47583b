import pytest

from alliances.models import Organisation
from tests.factories import OrganisationFactory, district, make_credit_code, member_user

PASSWORD = "Zibo-alliance-2026!"


def signup_data(**overrides) -> dict:
    """A complete, valid sign-up POST: an enterprise with one R&D platform and its first user."""
    data = {
        "org-name": "淄博华光陶瓷科技有限公司",
        "org-kind": "enterprise",
        "org-credit_code": make_credit_code(),
        "org-legal_representative": "赵建国",
        "org-address": "山东省淄博市张店区华光路366号",
        "org-district": str(district("370303").pk),
        "org-contact_person": "王芳",
        "org-phone": "0533-2345678",
        "org-email": "contact@huaguang.example.cn",
        "org-is_high_tech": "on",
        "org-rd_staff": "86",
        "org-rd_spending": "1250.50",
        "org-revenue": "35600",
        "platforms-TOTAL_FORMS": "1",
        "platforms-INITIAL_FORMS": "0",
        "platforms-MIN_NUM_FORMS": "0",
        "platforms-MAX_NUM_FORMS": "30",
        "platforms-0-kind": "enterprise_centre",
        "platforms-0-level": "provincial",
        "platforms-0-name": "山东省先进陶瓷企业技术中心",
        "account-username": "wangfang",
        "account-full_name": "王芳",
        "account-email": "wangfang@huaguang.example.cn",
        "account-phone": "13905331234",
        "account-password1": PASSWORD,
        "account-password2": PASSWORD,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def pending_organisation(db):
    return OrganisationFactory(verification=Organisation.Verification.PENDING, name="淄博待审材料有限公司")


@pytest.fixture
def pending_member(pending_organisation):
    """The organisation admin of a pending organisation."""
    return member_user(organisation=pending_organisation)


def plain_member(organisation, **kwargs):
    """A member-unit user who is not the organisation's administrator."""
    from accounts.roles import Role
    from tests.factories import UserFactory

    return UserFactory(organisation=organisation, is_org_admin=False, roles=[Role.MEMBER], **kwargs)
