"""Pages at 320 px and at 200 % zoom, and the ageing-friendly mode (长者模式), in chromium.

Zooming a 1280 px window to 200 % lays the page out in 640 CSS pixels: the zoom test uses that width. Every page visited is also checked with axe-core at that size (the
``page`` fixture), which is where a table's scrolling region without keyboard access would show.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.roles import Role
from alliances.services import submit_application
from alliances.workflow import State
from reviews import services as review_services
from tests.dashboards.data import make_city
from tests.factories import (
    CallFactory,
    OrganisationFactory,
    UserFactory,
    district_reviewer,
    eligible_alliance,
    member_user,
)
from tests.reviews.conftest import advance, make_department_reviewer, make_expert, submit

from .helpers import as_user, shot

PUBLIC = ["/", "/calls/", "/reviews/notices/", "/reviews/register/", "/accounts/login/", "/accounts/signup/",
          "/accounts/password-reset/"]
MEMBER = ["/", "/alliances/", "/alliances/new/", "/accounts/organisation/", "/accounts/organisation/edit/",
          "/accounts/colleagues/add/", "/projects/", "/notifications/"]
OFFICER = ["/", "/alliances/", "/accounts/organisations/", "/reviews/", "/projects/", "/dashboards/",
           "/calls/manage/new/", "/assessments/"]

# The page scrolls sideways when its content is wider than the window; a table may, inside its own region,
# which must then be reachable by keyboard (static/js/portal.js gives it tabindex="0").
_LAYOUT = """() => {
  const root = document.documentElement;
  const regions = [...document.querySelectorAll(".table-responsive")].filter(r => r.scrollWidth > r.clientWidth + 1);
  const wide = [...document.querySelectorAll("main *")].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > root.clientWidth + 1 && !el.closest(".table-responsive");
  }).slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + [...el.classList].join("."));
  return {overflow: root.scrollWidth - root.clientWidth, wide,
          unreachable: regions.filter(r => r.getAttribute("tabindex") !== "0").length};
}"""


def assert_fits(page: Page, url: str, width: int) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    layout = page.evaluate(_LAYOUT)
    assert layout["overflow"] <= 0, f"{url} scrolls sideways by {layout['overflow']} px at {width} px: {layout['wide']}"
    assert layout["unreachable"] == 0, f"{url}: a scrolling table region is not focusable at {width} px"


@pytest.mark.parametrize("width", [320, 640], ids=["320px", "zoom200"])
def test_pages_fit_the_width_without_sideways_scrolling(page, live_server, width, request):
    city = make_city(alliances=6, seed=5)
    member = member_user(full_name="李娜")
    page.set_viewport_size({"width": width, "height": 800})
    for path in PUBLIC:
        assert_fits(page, live_server.url + path, width)
    as_user(page, live_server, member)
    for path in MEMBER:
        assert_fits(page, live_server.url + path, width)
    shot(page, f"layout-{request.node.callspec.id}-member")
    as_user(page, live_server, city["officer"])
    for path in OFFICER:
        assert_fits(page, live_server.url + path, width)
    alliance = city["alliances"][0]
    assert_fits(page, f"{live_server.url}/alliances/{alliance.pk}/", width)
    shot(page, f"layout-{request.node.callspec.id}-alliance")


# Every page of a role: the main menu's links (its account menu too), read from the page, and the pages of
# the role's work that the menu leads to (a row of each queue is opened).
_MENU_LINKS = """() => [...new Set([...document.querySelectorAll("#mainnav a[href^='/']")]
  .map(a => a.getAttribute("href")).filter(href => !href.startsWith("/admin/")))]"""


def _application(name: str, *, call=None):
    applicant = member_user(OrganisationFactory(name=f"{name}牵头企业有限公司"))
    alliance = eligible_alliance(name=name, chairman=applicant.organisation, **({"call": call} if call else {}))
    if call is not None:
        submit_application(alliance, by=applicant)
    else:
        submit(alliance, applicant)
    return alliance


def _expert():
    officer = UserFactory(roles=[Role.OFFICER])
    alliance = advance(_application("淄博市先进陶瓷产业技术创新战略联盟"), officer, to=State.EXPERT_REVIEW)
    expert = make_expert(name="陈建国")
    (assignment,) = review_services.assign_experts(alliance, experts=[expert], by=officer,
                                                   due_date=timezone.localdate() + datetime.timedelta(days=14))
    review_services.respond_to_assignment(assignment, accept=True, by=expert.user)
    return expert.user, ["/reviews/expert/", f"/reviews/expert/{assignment.pk}/"]


def _department_reviewer():
    officer = UserFactory(roles=[Role.OFFICER])
    alliance = advance(_application("淄博市生物医药产业技术创新战略联盟"), officer, to=State.JOINT_REVIEW,
                       experts=[make_expert(name="刘海燕")])
    reviewer = make_department_reviewer("development-reform", "市发展和改革委员会审核人")
    return reviewer, ["/reviews/joint/", f"/reviews/joint/{alliance.pk}/"]


def _district_reviewer():
    alliance = _application("淄博市智能装备产业技术创新战略联盟", call=CallFactory(district_quota=2))
    reviewer = district_reviewer(alliance.chairman.district, full_name="张店区科技局 刘科长")
    return reviewer, ["/recommendations/", f"/recommendations/applications/{alliance.pk}/"]


def _liaison_officer():
    city = make_city(alliances=3, seed=7)
    alliance = city["alliances"][0]
    return UserFactory(roles=[Role.LIAISON], full_name="联络员 孙明"), [f"/alliances/{alliance.pk}/"]


ROLES = {"expert": _expert, "department_reviewer": _department_reviewer, "district_reviewer": _district_reviewer,
         "liaison_officer": _liaison_officer}


@pytest.mark.parametrize("width", [320, 640], ids=["320px", "zoom200"])
@pytest.mark.parametrize("role", list(ROLES))
def test_role_pages_fit_the_width_without_sideways_scrolling(page, live_server, role, width):
    user, work_pages = ROLES[role]()
    page.set_viewport_size({"width": width, "height": 800})
    as_user(page, live_server, user)
    menu = page.evaluate(_MENU_LINKS)
    assert len(menu) >= 4, menu
    for path in [*menu, *work_pages]:
        assert_fits(page, live_server.url + path, width)
        assert page.url == live_server.url + path, f"{path} led to {page.url}"
    shot(page, f"layout-{width}-{role}")


def test_ageing_friendly_mode_is_switched_in_the_header_and_kept_for_the_user(page, live_server):
    expert = UserFactory(roles=[Role.EXPERT], full_name="专家 陈教授")
    as_user(page, live_server, expert)
    normal = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    switch = page.get_by_role("button", name="长者模式")
    expect(switch).to_have_attribute("aria-pressed", "false")

    with page.expect_navigation():
        switch.click()

    expect(page.locator("html")).to_have_class("large-print")
    expect(page.get_by_role("button", name="长者模式")).to_have_attribute("aria-pressed", "true")
    large = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert large >= 1.25 * normal
    # Controls at least 44 CSS pixels high, text black on white.
    heights = page.evaluate("() => [...document.querySelectorAll('.btn, .form-control, .form-select')]"
                            ".filter(el => el.offsetParent).map(el => el.getBoundingClientRect().height)")
    assert heights
    assert min(heights) >= 44
    assert page.evaluate("() => getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    shot(page, "large-print-expert")

    # Another session (another computer): the choice went with the account; on a phone too.
    as_user(page, live_server, expert)
    page.goto(live_server.url + "/reviews/expert/")
    expect(page.locator("html")).to_have_class("large-print")
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/", "/reviews/expert/", "/notifications/"):
        assert_fits(page, live_server.url + path, 320)
    shot(page, "large-print-320px")
    page.set_viewport_size({"width": 1366, "height": 900})

    # Printing keeps the normal layout.
    page.emulate_media(media="print")
    assert page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)") == normal
    page.emulate_media(media="screen")

    with page.expect_navigation():
        page.get_by_role("button", name="长者模式").click()
    expect(page.locator("html")).not_to_have_class("large-print")
    expert.refresh_from_db()
    assert expert.large_print is False
