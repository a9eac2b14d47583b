"""The Celery sweep opens the biennial assessment of every alliance whose two years have run out."""

import pytest

from accounts.models import AuditEvent
from alliances.workflow import State
from assessments.models import AssessmentRound
from assessments.tasks import open_due_assessments

from .conftest import at

pytestmark = pytest.mark.django_db


def test_sweep_opens_due_assessments_once(pilot, chairman, django_capture_on_commit_callbacks):
    from notifications.models import Notification

    with at("2028-03-01"):
        assert open_due_assessments.delay().get() == 0
    with at("2028-03-02"), django_capture_on_commit_callbacks(execute=True):
        assert open_due_assessments.delay().get() == 1
        assert open_due_assessments.delay().get() == 0  # a second run finds nothing due
    assessment = AssessmentRound.objects.get(alliance=pilot)
    assert (assessment.kind, assessment.opened_by) == (AssessmentRound.Kind.BIENNIAL, None)
    pilot.refresh_from_db()
    assert pilot.state == State.ASSESSMENT
    assert pilot.transitions.last().actor is None
    assert AuditEvent.objects.filter(action="assessment_open", user=None).exists()
    assert Notification.objects.filter(recipient=chairman, kind="assessment_opened").exists()
