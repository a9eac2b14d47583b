"""Pages at 320 px and at 200 % zoom, and the ageing-friendly mode (长者模式), in chromium.

Zooming a 1280 px window to 200 % lays the page out in 640 CSS pixels: the zoom test uses that width. Every page visited is also checked with axe-core at that size (the
``page`` fixture), which is where a table's scrolling region without keyboard access would show.
"""

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from tests.dashboards.data import make_city
from tests.factories import UserFactory, member_user

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
