"""Fixtures of the alliance application tests."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from alliances import services
from alliances.models import Alliance, Membership, Organisation
from tests.factories import OrganisationFactory, SectorFactory, eligible_alliance, member_user


def pdf_bytes(pages: int = 2, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "联盟协议.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def sector(db):
    return SectorFactory()


@pytest.fixture
def draft(member, sector):
    """A fresh draft application created by ``member`` (chairman unit = member's organisation)."""
    return services.create_alliance(by=member, name="淄博市先进陶瓷产业技术创新战略联盟", sector=sector)


@pytest.fixture
def eligible(member):
    """An application chaired by ``member``'s organisation that passes every default check."""
    return eligible_alliance(chairman=member.organisation)


def invite_and_confirm(alliance, chairman_user, *, kind=Organisation.Kind.ENTERPRISE, role=Membership.Role.MEMBER,
                       is_core=True):
    """Invite a new organisation and confirm from its own account; returns (membership, its user)."""
    invited_user = member_user(OrganisationFactory(kind=kind))
    membership = services.invite_member(alliance, by=chairman_user, credit_code=invited_user.organisation.credit_code,
                                        role=role, is_core=is_core)
    services.respond_to_invitation(membership, by=invited_user, accept=True)
    return membership, invited_user


def reload(alliance) -> Alliance:
    return Alliance.objects.get(pk=alliance.pk)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; one test checks the Chinese pages."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
