"""A call's applications through the real services: submitted in the window, screened, scored, jointly reviewed
(agreement no longer starts the notice by itself), staged, released and designated as one batch."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alliances.workflow import State
from reviews import batches, services
from reviews.models import Designation, StagedOutcome
from tests.factories import eligible_alliance, member_user

from .batch_fixtures import batch_call, close_window, end_batch_notice
from .conftest import advance, submit

pytestmark = pytest.mark.django_db


def test_a_call_from_submission_to_designation(officer, experts, department_reviewers,
                                                django_capture_on_commit_callbacks):
    call = batch_call(title="2026年度第一批产业技术创新战略联盟申报", closes_at=timezone.now() + timedelta(days=5))
    applications = []
    for name in ("淄博先进陶瓷产业技术创新战略联盟", "淄博生物医药产业技术创新战略联盟"):
        applicant = member_user()
        alliance = eligible_alliance(chairman=applicant.organisation, name=name, call=call)
        submit(alliance, applicant)
        advance(alliance, officer, to=State.JOINT_REVIEW, experts=experts)
        for reviewer in department_reviewers.values():
            services.record_opinion(alliance, opinion="agree", by=reviewer)
        alliance.refresh_from_db()
        assert alliance.state == State.JOINT_REVIEW  # waits for the batch
        applications.append(alliance)

    ceramics, medicine = applications
    assert "release its batch after the window closes" in " ".join(batches.release_blockers(call))
    close_window(call)
    batches.stage_outcome(ceramics, outcome=StagedOutcome.Outcome.PROPOSED_PILOT, by=officer)
    batches.stage_outcome(medicine, outcome=StagedOutcome.Outcome.NOT_THIS_TIME, reason="与现有联盟领域重复",
                          by=officer)
    view = batches.batch_view(call)
    assert view.release_blockers == []
    assert [(row.name, row.scored) for row in view.rows] == [(ceramics.name, 3), (medicine.name, 3)]
    assert all(row.mean_total == 100 for row in view.rows)

    with django_capture_on_commit_callbacks(execute=True):
        batches.release_batch(call, by=officer)
    end_batch_notice(call)
    decision = batches.designate_batch(call, by=officer)

    ceramics.refresh_from_db()
    medicine.refresh_from_db()
    assert (ceramics.state, medicine.state) == (State.PILOT, State.REJECTED)
    assert [d.alliance_id for d in batches.document_entries(decision)] == [ceramics.pk]
    assert Designation.objects.get(alliance=ceramics).batch == decision
