"""A demonstration unit restored to pilot after rectification loses its demonstration title, keeps its pilot one."""

import pytest

from alliances.transitions import transition
from alliances.workflow import State
from reviews import services
from reviews.models import Designation
from reviews.selectors import register
from tests.factories import AllianceFactory

pytestmark = pytest.mark.django_db


def test_restore_pilot_revokes_the_standing_demonstration_designation(officer):
    alliance = AllianceFactory()
    pilot = services.designate(alliance, level=Designation.Level.PILOT, by=officer)
    demonstration = services.designate(alliance, level=Designation.Level.DEMONSTRATION, by=officer)
    type(alliance).objects.filter(pk=alliance.pk).update(state=State.REASSESSMENT)
    alliance.refresh_from_db()

    transition(alliance, action="restore_pilot", by=officer, comment="整改到位，恢复试点。")

    pilot.refresh_from_db()
    demonstration.refresh_from_db()
    assert alliance.state == State.PILOT
    assert pilot.revoked_at is None
    assert demonstration.revoked_at is not None
    assert demonstration.revoke_reason == "整改到位，恢复试点。"
    assert [d.level for d in register() if d.alliance_id == alliance.pk] == [Designation.Level.PILOT]
