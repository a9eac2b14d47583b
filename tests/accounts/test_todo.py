"""The home page's to-do list: gathered from every local app's registered ``todo.items``, zero counts hidden."""

import pytest
from django.urls import reverse

from accounts import todo as accounts_todo
from alliance_portal.core import todo
from alliance_portal.core.todo import TodoItem
from alliances.models import Organisation
from tests.factories import OrganisationFactory, member_user

pytestmark = pytest.mark.django_db


def _accounts_items(user):
    return [item for item in todo.collect(user) if item.url.startswith("/accounts/")]


def test_officer_sees_how_many_units_await_verification(officer):
    OrganisationFactory.create_batch(3, verification=Organisation.Verification.PENDING)
    OrganisationFactory(verification=Organisation.Verification.VERIFIED)
    [item] = _accounts_items(officer)
    assert item.count == 3
    assert item.label == "家注册单位待审核"
    assert item.url == reverse("organisation_list") + "?verification=pending"


def test_officer_item_is_hidden_when_nothing_waits(officer):
    OrganisationFactory(verification=Organisation.Verification.VERIFIED)
    assert _accounts_items(officer) == []


def test_unverified_members_see_a_notice(pending_member):
    [notice] = _accounts_items(pending_member)
    assert notice.is_notice
    assert notice.count is None
    assert "等待科技局审核" in notice.label


def test_rejected_members_see_the_reason():
    admin = member_user(organisation=OrganisationFactory(verification="rejected", verification_note="缺少营业执照"))
    [notice] = _accounts_items(admin)
    assert "缺少营业执照" in notice.label
    assert notice.colour == "danger"


def test_verified_members_have_no_accounts_item(member):
    assert _accounts_items(member) == []


def test_collect_finds_every_local_apps_todo_module():
    modules = [items.__module__ for items in todo._providers]
    assert modules == ["accounts.todo", "alliances.todo", "recommendations.todo", "site_visits.todo",
                       "reviews.todo", "assessments.todo", "projects.todo"]  # the apps' order


def test_collect_hides_zero_counts_and_puts_notices_first(monkeypatch, member):
    def items(user):
        return [TodoItem("a", 0, "/a"), TodoItem("b", 2, "/b"), TodoItem("c", None, "/c")]

    monkeypatch.setattr(todo, "_providers", [items])
    assert [item.label for item in todo.collect(member)] == ["c", "b"]


def test_home_shows_items_with_counts_and_links(client, officer):
    OrganisationFactory.create_batch(2, verification=Organisation.Verification.PENDING)
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert '<span class="count text-warning">2</span>' in html
    assert "家注册单位待审核" in html
    assert 'href="/accounts/organisations/?verification=pending"' in html


def test_home_shows_notice_for_unverified_member(client, pending_member):
    client.force_login(pending_member)
    html = client.get("/").content.decode()
    assert "贵单位的注册正在等待科技局审核" in html


def test_home_with_nothing_to_do(client, member, monkeypatch):
    monkeypatch.setattr(todo, "_providers", [accounts_todo.items])  # only accounts' own items: none for him
    client.force_login(member)
    response = client.get("/")
    assert response.context["todo"] == []
    assert "暂无待办事项。" in response.content.decode()


def _home_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


def test_home_query_count_is_bounded(client, officer):
    client.force_login(officer)
    OrganisationFactory.create_batch(2, verification="pending")
    client.get("/")
    few = _home_queries(client)
    OrganisationFactory.create_batch(30, verification="pending")
    assert _home_queries(client) == few
    assert few <= 40  # every app's items together stay a small, fixed number


def test_anonymous_home_is_the_public_page(client):
    html = client.get("/").content.decode()
    assert reverse("signup") in html
    assert "成员单位注册" in html
