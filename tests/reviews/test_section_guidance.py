"""``{% section_guidance alliance "members" %}`` shows the open guidance beside the section it concerns."""

import pytest
from django.template import Context, Template

from alliances.workflow import State
from reviews import services

from .conftest import advance, submit

pytestmark = pytest.mark.django_db

TAG = Template('{% load workflow %}{% section_guidance alliance section %}')


def render(alliance, section):
    return TAG.render(Context({"alliance": alliance, "section": section}))


def test_guidance_shown_for_its_section_only(submitted, officer):
    advance(submitted, officer, to=State.SCREENING)
    services.return_for_revision(submitted, guidance={"members": "请补充山东理工大学的确认函。"}, by=officer)
    html = render(submitted, "members")
    assert "请补充山东理工大学的确认函。" in html
    assert 'data-section="members"' in html
    assert render(submitted, "work_plan") == ""


def test_guidance_gone_once_resubmitted(submitted, officer, applicant):
    advance(submitted, officer, to=State.SCREENING)
    services.return_for_revision(submitted, guidance={"basic": "技术方向过于笼统。"}, by=officer)
    submit(submitted, applicant)
    submitted.refresh_from_db()
    assert render(submitted, "basic") == ""


def test_tag_costs_one_query_for_all_sections(submitted, officer, django_assert_num_queries):
    advance(submitted, officer, to=State.SCREENING)
    services.return_for_revision(submitted, guidance={"basic": "甲", "members": "乙", "work_plan": "丙"}, by=officer)
    submitted.refresh_from_db()
    with django_assert_num_queries(1):
        outputs = [render(submitted, s) for s in ("basic", "members", "governance", "agreement", "work_plan")]
    assert [bool(o) for o in outputs] == [True, True, False, False, True]


def test_tag_quiet_for_an_unsaved_alliance():
    from alliances.models import Alliance

    assert render(Alliance(), "basic") == ""
    assert render(None, "basic") == ""


def test_reviewer_sees_link_to_what_changed(client, submitted, officer, applicant):
    from django.urls import reverse

    advance(submitted, officer, to=State.SCREENING)
    client.force_login(officer)
    url = reverse("reviews:application", args=[submitted.pk])
    client.get(url)  # the officer saw version 1
    services.return_for_revision(submitted, guidance={"basic": "请补充"}, by=officer)
    submit(submitted, applicant)
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You last saw version 1; this is version 2." in content
    assert reverse("alliances:diff", kwargs={"pk": submitted.pk, "old": 1, "new": 2}) in content
    assert "You last saw version" not in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
