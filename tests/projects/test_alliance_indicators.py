"""The alliance's indicators on a known data set, with the figures worked out by hand below."""

from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from projects.models import Activity, DevelopmentPlan
from projects.selectors import alliance_indicators
from projects.workflow import ProjectState

from .factories import ActivityFactory, DevelopmentPlanFactory, ProjectFactory, approved_project, report_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_alliance(alliance, outsider):
    """Six projects of the alliance in six states, four of them approved:

    | project | state       | total | latest report: started, completed (self+bank+gov+other) | outputs     |
    | P1      | draft       |   100 | –                                                        |             |
    | P2      | submitted   |   200 | –                                                        |             |
    | P3      | approved    |  1000 | –  (not started)                                         |             |
    | P4      | in progress |   500 | yes, 100 + 50 + 20 + 0 = 170                             | 2 applied, 1 secret |
    | P5      | passed      |   300 | yes, 200 + 100 + 0 + 0 = 300                             | 3 applied, 2 granted, 1 standard, 1 product |
    | P6      | terminated  |   400 | yes, 40 + 0 + 0 + 0 = 40                                 |             |

    Approved (P3–P6): 4; started (P4, P5, P6): 3 → start rate 3/4 = 75.0 %.
    Investment: completed 170 + 300 + 40 = 510 of 1000 + 500 + 300 + 400 = 2200 → 23.18… → 23.2 %.
    Planned outputs per project (factory): 6 applied, 2 granted, 1 standard, 2 products, 1 secret; × 4 approved.
    Activities in 2026: one technology exchange, one business-model event (the two high-level ones), one internal
    exchange; a 2025 exchange and another alliance's exchange do not count.
    """
    ProjectFactory(alliance=alliance, total_investment=Decimal("100"), budget=[(2026, "100", "0", "0", "0")])
    ProjectFactory(alliance=alliance, state=ProjectState.SUBMITTED, total_investment=Decimal("200"),
                   budget=[(2026, "200", "0", "0", "0")])
    approved_project(alliance=alliance)
    p4 = approved_project(alliance=alliance, state=ProjectState.IN_PROGRESS, total_investment=Decimal("500"),
                          budget=[(2026, "500", "0", "0", "0")])
    report_for(p4, period_start=date(2026, 1, 1), completed=("100", "50", "20", "0"), used="15",
               outputs={"patents_applied": 2, "technical_secrets": 1})
    p5 = approved_project(alliance=alliance, state=ProjectState.PASSED, total_investment=Decimal("300"),
                          budget=[(2026, "300", "0", "0", "0")])
    report_for(p5, period_start=date(2026, 1, 1), completed=("200", "100", "0", "0"),
               outputs={"patents_applied": 3, "patents_granted": 2, "standards": 1, "new_products": 1})
    p6 = approved_project(alliance=alliance, state=ProjectState.TERMINATED, total_investment=Decimal("400"),
                          budget=[(2026, "400", "0", "0", "0")])
    report_for(p6, period_start=date(2026, 1, 1), completed=("40", "0", "0", "0"))
    # another alliance's project does not count
    other = approved_project(state=ProjectState.IN_PROGRESS)
    report_for(other, period_start=date(2026, 1, 1), completed=("999", "0", "0", "0"))

    ActivityFactory(alliance=alliance, date=date(2026, 3, 1), kind=Activity.Kind.TECHNOLOGY_EXCHANGE)
    ActivityFactory(alliance=alliance, date=date(2026, 4, 1), kind=Activity.Kind.BUSINESS_MODEL)
    ActivityFactory(alliance=alliance, date=date(2026, 2, 1), kind=Activity.Kind.INTERNAL)
    ActivityFactory(alliance=alliance, date=date(2025, 11, 1), kind=Activity.Kind.TECHNOLOGY_EXCHANGE)
    ActivityFactory(alliance=other.alliance, date=date(2026, 3, 1))
    DevelopmentPlanFactory(alliance=alliance, year=2026, status=DevelopmentPlan.Status.ACKNOWLEDGED)
    return alliance


def test_indicators_match_the_hand_computed_figures(known_alliance, django_assert_num_queries):
    with django_assert_num_queries(4):
        figures = alliance_indicators(known_alliance)
    assert figures["year"] == 2026
    assert figures["projects_total"] == 6
    assert {row["state"].value: row["count"] for row in figures["projects_by_state"] if row["count"]} == {
        "draft": 1, "submitted": 1, "approved": 1, "in_progress": 1, "passed": 1, "terminated": 1}
    assert (figures["approved_projects"], figures["started_projects"]) == (4, 3)
    assert figures["start_rate"] == Decimal("75.0")
    assert figures["total_investment"] == Decimal("2200")
    assert figures["completed_investment"] == Decimal("510")
    assert figures["investment_completion_ratio"] == Decimal("23.2")
    assert figures["government_funds_used"] == Decimal("15")
    assert figures["granted_funding"] == Decimal("600")  # 150 granted to each of the four
    assert {o["name"]: (o["achieved"], o["planned"]) for o in figures["outputs"]} == {
        "patents_applied": (5, 24), "patents_granted": (2, 8), "standards": (1, 4), "new_products": (1, 8),
        "technical_secrets": (1, 4)}
    assert figures["activities_this_year"] == 3
    assert figures["activities_by_kind"] == {"technology_exchange": 1, "business_model": 1, "internal": 1}
    assert figures["high_level_events_this_year"] == 2
    assert figures["high_level_target_met"] is True
    assert figures["annual_plan_status"] == "acknowledged"


def test_one_high_level_event_is_not_enough(alliance):
    ActivityFactory(alliance=alliance, date=date(2026, 3, 1))
    ActivityFactory(alliance=alliance, date=date(2026, 3, 2), kind=Activity.Kind.INTERNAL)
    figures = alliance_indicators(alliance)
    assert (figures["high_level_events_this_year"], figures["high_level_target_met"]) == (1, False)


def test_an_alliance_without_projects_has_no_rates(alliance):
    figures = alliance_indicators(alliance)
    assert figures["projects_total"] == 0
    assert figures["start_rate"] is None
    assert figures["investment_completion_ratio"] is None
    assert figures["annual_plan_status"] is None


def test_panel_shows_the_indicators_and_links(known_alliance, rf, officer):
    request = rf.get("/")
    request.user = officer
    html = render_to_string("projects/includes/alliance_panel.html", {"alliance": known_alliance}, request=request)
    assert 'data-indicator="start-rate">75.0%<' in html
    assert 'data-indicator="investment-ratio">23.2%<' in html
    assert 'data-indicator="activities">3<' in html
    assert "At least two high-level events held this year" in html
    assert f"/projects/alliance/{known_alliance.pk}/activities/" in html
    assert f"/projects/?alliance={known_alliance.pk}" in html


def test_alliance_page_of_another_alliance_is_404(client, alliance, outsider, secretariat):
    client.force_login(outsider)
    assert client.get(f"/projects/alliance/{alliance.pk}/").status_code == 404
    client.force_login(secretariat)
    assert client.get(f"/projects/alliance/{alliance.pk}/").status_code == 200


def test_panel_is_hidden_from_an_invited_unit(known_alliance, rf, invited_user):
    request = rf.get("/")
    request.user = invited_user
    html = render_to_string("projects/includes/alliance_panel.html", {"alliance": known_alliance}, request=request)
    assert html.strip() == ""
