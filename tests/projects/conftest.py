"""Fixtures of the projects tests: an alliance with its chairman (secretariat), a member lead unit, an outsider."""

import pytest
import time_machine
from django.utils import translation

from alliances.models import Membership
from tests.factories import AllianceFactory, confirmed_member, member_user

from .factories import ProjectFactory


@pytest.fixture(autouse=True)
def _today_in_2026():
    """Projects run on calendar periods: the tests live on 2026-04-20 (Q2; Q1's report is due 2026-04-15)."""
    with time_machine.travel("2026-04-20 10:00 +0800", tick=False):
        yield


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in English; test_chinese_pages.py checks the zh-Hans pages."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def alliance(db):
    return AllianceFactory(name="淄博市先进陶瓷产业技术创新战略联盟")


@pytest.fixture
def secretariat(alliance):
    """A user of the alliance's chairman unit, which runs the secretariat."""
    return member_user(organisation=alliance.chairman, full_name="秘书处 王芳")


@pytest.fixture
def lead_membership(alliance):
    return confirmed_member(alliance, name="淄博华瓷新材料有限公司")


@pytest.fixture
def lead_user(lead_membership):
    return member_user(organisation=lead_membership.organisation, full_name="项目负责人 刘强")


@pytest.fixture
def plain_member(alliance):
    """A user of a confirmed member unit that neither leads the project nor runs the secretariat."""
    return member_user(organisation=confirmed_member(alliance, name="淄博普通成员有限公司").organisation)


@pytest.fixture
def invited_user(alliance):
    membership = confirmed_member(alliance, name="淄博受邀单位有限公司")
    membership.status = Membership.Status.INVITED
    membership.save()
    return member_user(organisation=membership.organisation)


@pytest.fixture
def outsider(db):
    """A member-unit user of another alliance."""
    other = AllianceFactory(name="淄博市生物医药产业技术创新战略联盟")
    return member_user(organisation=other.chairman)


@pytest.fixture
def project(alliance, lead_membership):
    """A complete draft led by the member unit."""
    return ProjectFactory(alliance=alliance, lead_unit=lead_membership.organisation)
