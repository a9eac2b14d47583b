"""Keyboard-only journeys: move with Tab / Shift+Tab, answer with typing, arrow keys, Space and Enter, and
check at every stop that the element in focus shows the portal's focus ring inside the window.

No mouse: nothing here clicks. A native confirm() dialog is answered by the test's dialog handler (the
browser's own dialog is keyboard-operable and outside the page)."""

from contextlib import suppress

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# What the element in focus shows: its id or name, what it is, and whether the portal's focus ring is on it
# (a 3 px solid outline, see static/css/portal.css) and inside the window.
_FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    id: el.id, name: el.getAttribute("name") || "", tag: el.tagName.toLowerCase(), type: el.type || "",
    text: (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 80),
    value: el.value === undefined ? "" : String(el.value), checked: !!el.checked,
    ring: style.outlineStyle === "solid" && parseFloat(style.outlineWidth) >= 3,
    shown: box.width > 1 && box.height > 1 && box.bottom > 0 && box.top < window.innerHeight,
  };
}"""


def focused(page: Page) -> dict:
    """The element in focus, once the page has scrolled it into view (Bootstrap scrolls smoothly)."""
    with suppress(PlaywrightTimeoutError):  # then the assertion on "shown" names the element out of sight
        page.wait_for_function("""() => { const box = document.activeElement.getBoundingClientRect();
                                          return box.bottom > 0 && box.top < window.innerHeight; }""",
                               timeout=2_000)
    return page.evaluate(_FOCUSED)


def assert_visible_focus(now: dict, reached: list) -> None:
    assert now["ring"], f"no visible focus on {now} after {reached[-8:]}"
    assert now["shown"], f"focused element outside the window: {now}"


def tab_to(page: Page, matches, *, limit: int = 150, backwards: bool = False) -> dict:
    """Press Tab (Shift+Tab when ``backwards``) until ``matches(focused element)`` holds; every element
    reached on the way must show the focus ring. Returns the element reached."""
    reached = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        reached.append(now["id"] or now["name"] or now["text"])
        assert_visible_focus(now, reached)
        if matches(now):
            return now
    raise AssertionError(f"not reached in {limit} presses of Tab: {reached}")


def link(text: str):
    """A ``tab_to`` target: the link whose text contains ``text``."""
    return lambda now: now["tag"] == "a" and text in now["text"]


def button(text: str):
    """A ``tab_to`` target: the button whose text contains ``text``."""
    return lambda now: now["tag"] == "button" and text in now["text"]


def field(element_id: str):
    return lambda now: now["id"] == element_id


def follow(page: Page, key: str = "Enter") -> None:
    """Press ``key`` on the element in focus and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def type_answer(page: Page, text: str) -> None:
    """Replace the value of the focused text field, number field or text area."""
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def choose_with_arrows(page: Page, label: str) -> None:
    """In the focused list (select), step with ArrowDown from the top until ``label`` is chosen."""
    page.keyboard.press("Home")
    for _ in range(60):
        if page.evaluate("() => document.activeElement.selectedOptions[0].text.trim()") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label!r} not reached with the arrow keys")


def choose_radio(value: str):
    """An answer for ``tab_through_form``: in the focused radio group, arrow to ``value``, which the arrow
    checks (Space too, for a group that starts unchecked)."""
    def answer(page: Page) -> None:
        for _ in range(20):
            if page.evaluate("() => document.activeElement.value") == value:
                page.keyboard.press("Space")
                return
            page.keyboard.press("ArrowDown")
        raise AssertionError(f"radio {value!r} not reached with the arrow keys")
    return answer


def press_space(page: Page) -> None:
    page.keyboard.press("Space")


def tab_through_form(page: Page, answers: dict, stop: str, *, limit: int = 150) -> list[str]:
    """Press Tab until the button whose text contains ``stop`` has focus, answering each field named in
    ``answers`` (by id) with the keyboard: a callable answers itself, a select is chosen with the arrows, any
    other field is typed into. Every element reached must show the focus ring. Returns the ids (or texts)
    reached, in order."""
    reached = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        reached.append(now["id"] or now["name"] or now["text"])
        assert_visible_focus(now, reached)
        if stop in now["text"] and now["tag"] == "button":
            return reached
        answer = answers.get(now["id"])
        if answer is None:
            continue
        if callable(answer):
            answer(page)
        elif now["tag"] == "select":
            choose_with_arrows(page, answer)
        else:
            type_answer(page, answer)
    raise AssertionError(f"{stop!r} not reached in {limit} presses of Tab: {reached}")


def error_summary_leads_to(page: Page, field_id: str) -> None:
    """After a failed submit: the error summary has the focus; Tab reaches its link to ``field_id``, and
    Enter on it puts the focus on that field."""
    summary = page.evaluate("() => document.activeElement.matches('.alert-danger') && document.activeElement.id")
    assert summary, "the error summary does not have the focus: " + str(focused(page))
    now = tab_to(page, lambda now: now["tag"] == "a", limit=10)
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    while href != "#" + field_id:
        page.keyboard.press("Tab")
        href = page.evaluate("() => document.activeElement.getAttribute('href')")
        assert page.evaluate(f"() => document.getElementById({summary!r}).contains(document.activeElement)"), (
            f"no link to #{field_id} in the error summary (last: {now})")
    page.keyboard.press("Enter")
    now = focused(page)
    assert now["id"] == field_id, now
    assert now["shown"], now


def sign_in(page: Page, live_server, username: str, password: str) -> None:
    """Sign in with the keyboard: the user name field has the focus when the page opens."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    assert focused(page)["id"] == "id_username"
    type_answer(page, username)
    tab_through_form(page, {"id_password": password}, stop="登录", limit=5)
    follow(page)
