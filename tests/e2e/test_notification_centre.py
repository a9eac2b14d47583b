"""The notification centre in a real browser: the bell's count, reading one, reading all."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory
from tests.notifications.factories import NotificationFactory

from .helpers import login, shot

pytestmark = pytest.mark.e2e


def test_notification_centre_read_one_then_all(page, live_server):
    user = UserFactory(username="wangfang", full_name="王芳")
    other = UserFactory()
    NotificationFactory(recipient=other, title="别人的通知")
    for n in range(3):
        NotificationFactory(recipient=user, title=f"淄博市新材料产业技术创新战略联盟：已退回修改（{n + 1}）",
                            body="请补充联盟协议扫描件和理事会成员名单。", url="/")
    NotificationFactory(recipient=user, title="专家评审任务已分配", url="")

    login(page, live_server, "wangfang", PASSWORD)
    bell = page.locator("nav a.notification-bell")
    expect(bell.locator(".notification-count")).to_have_text("4")

    bell.click()
    expect(page.locator("main h1")).to_have_text("消息通知")
    expect(page.locator(".notification")).to_have_count(4)
    expect(page.locator("main")).not_to_contain_text("别人的通知")
    expect(page.locator(".result-count")).to_have_text("共 4 条通知")
    shot(page, "notifications-list-unread")

    # Clicking a title marks it read and follows its link.
    page.locator("button.notification-title", has_text="（3）").click()
    page.wait_for_url(live_server.url + "/")
    expect(page.locator("nav .notification-count")).to_have_text("3")

    page.goto(live_server.url + "/notifications/?show=unread")
    expect(page.locator(".notification")).to_have_count(3)
    page.locator(".notification", has_text="专家评审任务已分配").get_by_role("button", name="标为已读").click()
    expect(page.locator(".notification")).to_have_count(2)
    expect(page.locator("nav .notification-count")).to_have_text("2")

    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator(".alert-success")).to_contain_text("2 条通知已标为已读。")
    expect(page.locator("nav .notification-count")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("没有未读通知")
    shot(page, "notifications-all-read")

    page.get_by_role("link", name="全部").click()
    expect(page.locator(".notification-unread")).to_have_count(0)
    expect(page.locator(".notification")).to_have_count(4)
    shot(page, "notifications-list-all")
