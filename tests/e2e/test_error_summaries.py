"""A form sent back with mistakes, whatever renders its fields (crispy fields, the alliance tables' cells,
the project tables' rows, a page's own summary, a refusal that belongs to no field): one summary takes the
focus, links every invalid field, and each linked field is marked aria-invalid and described by its message.
static/js/portal.js does it once for every page."""

from playwright.sync_api import Page, expect

from accounts.roles import Role
from alliances import services as alliance_services
from tests.calls.conftest import make_call
from tests.factories import (
    PASSWORD,
    AllianceFactory,
    SectorFactory,
    UserFactory,
    confirmed_member,
    member_user,
)

from .helpers import login, shot
from .keyboard import error_summary_leads_to, focused, tab_to

# The element in focus, and for each link in it: the field it leads to, whether that field is marked invalid
# and the message that describes it. Then every invalid field of the form, one per radio/checkbox group.
_SUMMARY = """() => {
  const summary = document.activeElement;
  const links = [...summary.querySelectorAll("a[href^='#']")].map(a => {
    const field = document.getElementById(a.getAttribute("href").slice(1));
    const ids = (field && field.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
    return {target: field ? field.id : null, text: a.textContent, invalid: field && field.getAttribute("aria-invalid"),
            described: ids.map(id => document.getElementById(id)).filter(Boolean).map(el => el.textContent.trim())};
  });
  const form = summary.closest("form") || document.querySelector("main form [aria-invalid=true]")?.form;
  const seen = new Set();
  const invalid = [...(form ? form.querySelectorAll("[aria-invalid=true]") : [])].filter(el => {
    const key = ["radio", "checkbox"].includes(el.type) ? "name:" + el.name : el.id;
    if (seen.has(key)) { return false; }
    seen.add(key);
    return true;
  }).map(el => el.id);
  return {danger: summary.matches(".alert-danger"), text: summary.innerText, links, invalid};
}"""


def summary_in_focus(page: Page) -> dict:
    summary = page.evaluate(_SUMMARY)
    assert summary["danger"], f"the focus is not on an error summary: {focused(page)}"
    for link in summary["links"]:
        assert link["target"], f"a summary link leads nowhere: {link}"
        assert link["invalid"] == "true", link
        assert any(message and message in link["text"] for message in link["described"]), link
    assert [link["target"] for link in summary["links"]] == summary["invalid"]
    return summary


def submit(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_refusal_of_no_field_takes_the_focus(page, live_server):
    user = UserFactory()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "not the password")
    submit(page, "main form button[type=submit]")
    summary = summary_in_focus(page)
    assert summary["links"] == []
    assert "密码" in summary["text"]


def test_crispy_fields_are_linked_from_the_summary(page, live_server):
    login(page, live_server, member_user().username, PASSWORD)
    page.goto(live_server.url + "/accounts/colleagues/add/")
    page.fill("#id_email", "not-an-address")
    submit(page, "main form button[type=submit]")
    summary = summary_in_focus(page)
    assert {link["target"] for link in summary["links"]} >= {"id_username", "id_full_name", "id_email"}
    assert summary["text"].strip().startswith("请更正以下各项")
    shot(page, "error-summary-colleague")
    error_summary_leads_to(page, "id_username")


def test_a_pages_own_summary_gets_the_links(page, live_server):
    login(page, live_server, member_user().username, PASSWORD)
    page.goto(live_server.url + "/accounts/organisation/edit/")
    page.fill("#id_address", "")
    submit(page, "main form button[type=submit]")
    summary = summary_in_focus(page)
    assert page.evaluate("() => document.activeElement.id") == "form-errors"
    assert "id_address" in [link["target"] for link in summary["links"]]


def test_a_table_cell_of_the_alliance_members_is_linked(page, live_server):
    user = member_user()
    call = make_call(UserFactory(roles=[Role.OFFICER]))
    alliance = alliance_services.create_alliance(by=user, name="淄博市先进陶瓷产业技术创新战略联盟",
                                                 sector=SectorFactory(), call=call)
    login(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server.url}/alliances/{alliance.pk}/step/2/")
    page.fill("#id_members-0-credit_code", "91370303MA3C000000")
    submit(page, "main form button[name=after][value=stay]")
    summary = summary_in_focus(page)
    assert [link["target"] for link in summary["links"]] == ["id_members-0-credit_code"]
    error_summary_leads_to(page, "id_members-0-credit_code")


def test_project_rows_are_linked_and_a_removed_row_hands_the_focus_back(page, live_server):
    alliance = AllianceFactory(name="淄博市先进陶瓷产业技术创新战略联盟")
    lead = confirmed_member(alliance, name="淄博华瓷新材料有限公司")
    user = member_user(organisation=lead.organisation)
    login(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server.url}/projects/alliance/{alliance.pk}/new/")

    # A budget row added and removed by keyboard: the focus goes back to the table's "add" button.
    add = page.locator("[data-formset-add=budget]")
    add.focus()
    page.keyboard.press("Enter")
    row = page.locator("#budget-rows tr").last
    expect(row.locator("input").first).to_be_focused()
    tab_to(page, lambda now: page.evaluate("() => document.activeElement.matches('[data-formset-remove]')"),
           limit=12)
    page.keyboard.press("Enter")
    expect(row).to_be_hidden()
    expect(add).to_be_focused()

    page.fill("input[name=budget-0-year]", "1800")
    submit(page, "#project-form button[type=submit]")
    summary = summary_in_focus(page)
    assert "id_title" in [link["target"] for link in summary["links"]]
    # A field of a table row is named with its column and its row.
    (year,) = [link for link in summary["links"] if link["target"] == "id_budget-0-year"]
    assert year["text"].startswith("年度（第1行）："), year
    shot(page, "error-summary-project")
