"""Issue 20, point 4: an expert who accepted opens the application's signed agreement and the call's documents
from the scoring page until they submit; every download is audited; nobody else gets them this way."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from alliances.workflow import State
from reviews import services

from .conftest import advance, score

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% the signed agreement\n"


@pytest.fixture
def assigned(submitted, officer, experts):
    advance(submitted, officer, to=State.EXPERT_REVIEW)
    agreement = submitted.agreements.get()
    agreement.file.save("agreement.pdf", ContentFile(PDF), save=True)
    due = timezone.localdate() + datetime.timedelta(days=10)
    first, second = services.assign_experts(submitted, experts=experts[:2], due_date=due, by=officer)
    return first, second, agreement


def test_an_accepted_expert_opens_the_agreement_until_submitting(client, assigned):
    first, second, agreement = assigned
    link = reverse("reviews:assignment_agreement", args=[first.pk, agreement.pk])
    client.force_login(first.expert.user)
    assert client.get(link).status_code == 404  # not before accepting
    services.respond_to_assignment(first, accept=True, by=first.expert.user)

    page = client.get(reverse("reviews:assignment", args=[first.pk])).content.decode()
    assert f'href="{link}"' in page
    response = client.get(link)
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(action="document_downloaded")
    assert (event.user, event.object_id) == (first.expert.user, str(agreement.pk))

    # another expert's assignment id is a 404, and so is this link for another expert
    client.force_login(second.expert.user)
    assert client.get(link).status_code == 404

    client.force_login(first.expert.user)
    score(first)  # accepted again (idempotent) and submitted
    assert client.get(link).status_code == 404
    assert f'href="{link}"' not in client.get(reverse("reviews:assignment", args=[first.pk])).content.decode()
    assert AuditEvent.objects.filter(action="document_downloaded").count() == 1
