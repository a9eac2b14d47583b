"""Decisions in batch in a real browser: the officer stages outcomes on the batch page, releases the batch, the
public reads the batch's notice, the officer designates it and opens the designation document."""

import pytest
from playwright.sync_api import expect

from reviews import batches
from reviews.models import StagedOutcome
from tests.factories import PASSWORD, UserFactory
from tests.reviews.batch_fixtures import batch_call, end_batch_notice, in_joint_review

from .helpers import login, shot

pytestmark = pytest.mark.e2e



def test_officer_stages_releases_and_designates_a_batch(page, live_server):
    from accounts.roles import Role

    officer = UserFactory(roles=[Role.OFFICER], username="wangkz", full_name="科技局 王科长")
    call = batch_call(title="2026年度第一批产业技术创新战略联盟申报")
    ceramics = in_joint_review(call, "淄博先进陶瓷产业技术创新战略联盟")
    medicine = in_joint_review(call, "淄博生物医药产业技术创新战略联盟")
    equipment = in_joint_review(call, "淄博智能装备产业技术创新战略联盟")
    batches.stage_outcome(equipment, outcome=StagedOutcome.Outcome.PROPOSED_PILOT, by=officer)

    login(page, live_server, "wangkz", PASSWORD)
    page.goto(f"{live_server.url}/reviews/calls/{call.pk}/batch/")
    expect(page.locator("#release .batch-blockers")).to_contain_text(ceramics.name)
    expect(page.locator("#release button[type=submit]")).to_be_disabled()

    row = page.locator(f"form[action$='/applications/{ceramics.pk}/outcome/']")
    row.locator("input[value=proposed_pilot]").check()
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    row = page.locator(f"form[action$='/applications/{medicine.pk}/outcome/']")
    row.locator("input[value=not_this_time]").check()
    row.locator("textarea").fill("核心企业不足三家，研发投入偏低，建议完善后参加下一批申报")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    expect(page.locator(f"#row-{medicine.pk}")).to_contain_text("核心企业不足三家")
    expect(page.locator("#release button[type=submit]")).to_be_enabled()
    shot(page, "batch-staged")

    with page.expect_navigation():
        page.locator("#release button[type=submit]").click()
    expect(page.locator("#public-notice-link")).to_be_visible()
    expect(page.locator("#designate .batch-blockers")).to_be_visible()

    page.goto(f"{live_server.url}/reviews/calls/{call.pk}/notice/")
    expect(page.locator("#batch-notice-list")).to_contain_text(ceramics.name)
    expect(page.locator("#batch-notice-list")).to_contain_text(equipment.name)
    expect(page.locator("#batch-notice-list")).not_to_contain_text(medicine.name)
    shot(page, "batch-public-notice")

    end_batch_notice(call)
    page.goto(f"{live_server.url}/reviews/calls/{call.pk}/batch/")
    with page.expect_navigation():
        page.locator("#designate button[type=submit]").click()
    with page.expect_navigation():
        page.locator("#document-link").click()
    expect(page.locator(".designation-document")).to_contain_text(equipment.name)
    expect(page.locator(".document-number")).to_contain_text("〔")
    shot(page, "batch-designation-document")
