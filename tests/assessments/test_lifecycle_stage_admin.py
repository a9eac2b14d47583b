"""The admin shows a life-cycle stage with its six health ratings, read-only like the stage itself."""

import pytest

from assessments import services
from tests.factories import AllianceFactory, health_ratings

pytestmark = pytest.mark.django_db


def test_stage_admin_shows_the_ratings_and_changes_nothing(client, admin_user, officer):
    row = services.set_lifecycle_stage(AllianceFactory(), by=officer, stage="growth", health=health_ratings(4, "稳"))
    client.force_login(admin_user)
    page = client.get(f"/admin/assessments/lifecyclestage/{row.pk}/change/")
    assert page.status_code == 200
    assert "稳（economic_condition）" in page.content.decode()
    assert client.post(f"/admin/assessments/lifecyclestage/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert row.health_scores.count() == 6
