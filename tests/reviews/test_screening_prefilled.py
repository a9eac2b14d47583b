"""Issue 20, point 6: screening starts from what the submission checked automatically, not from "everything
missing"; the officer confirms or overrides, and only the saved checklist counts."""

import re

import pytest
from django.urls import reverse

from alliances.workflow import State
from reviews import selectors, services
from reviews.models import ScreeningCheckItem

from .conftest import advance

pytestmark = pytest.mark.django_db


def checked_boxes(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'name="passed" value="(\d+)" id="check-\d+" checked', html)}


def test_the_checklist_starts_ticked_where_the_automatic_checks_pass(client, submitted, officer):
    advance(submitted, officer, to=State.SCREENING)
    ScreeningCheckItem.objects.create(text="现场核验材料原件", section="", position=99)  # only a person can tick
    client.force_login(officer)
    html = client.get(reverse("reviews:application", args=[submitted.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    automatic = set(ScreeningCheckItem.objects.filter(is_active=True).exclude(section="").values_list("pk", flat=True))
    assert automatic
    assert checked_boxes(html) == automatic
    assert 'id="checklist-automatic"' in html
    # nothing is screened until the officer saves: sending to the experts is still blocked
    assert selectors.missing_checks(submitted)
    assert "send_to_experts" in services.blockers(submitted)

    kept = sorted(automatic)[1:]  # the officer unticks one line and saves
    services.record_screening(submitted, passed_item_ids=kept, by=officer)
    html = client.get(reverse("reviews:application", args=[submitted.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert checked_boxes(html) == set(kept)
    assert 'id="checklist-automatic"' not in html
