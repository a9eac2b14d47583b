"""Change requests during implementation: the applicant asks with a justification, the bureau approves
(the project changes and its history keeps the previous values) or refuses with reasons."""

from datetime import date
from decimal import Decimal

import pytest

from alliance_portal.core.errors import IllegalTransition, NotPermitted, WorkflowError
from notifications.models import Notification
from projects import services
from projects.models import ChangeRequest
from projects.selectors import change_history

from .factories import approved_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(alliance, lead_membership):
    return approved_project(alliance=alliance, lead_unit=lead_membership.organisation)


def _extension(project, user, end="2028-06-30"):
    return services.request_change(project, by=user, kind=ChangeRequest.Kind.EXTENSION,
                                   justification="设备到货延迟半年", proposed={"end_date": end})


def test_approved_extension_moves_the_end_date_and_keeps_the_old_one(running, lead_user, officer,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        change = _extension(running, lead_user)
    assert Notification.objects.filter(recipient=officer, kind="change_requested").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_change(change, by=officer, approve=True, comment="同意延期")
    running.refresh_from_db()
    change.refresh_from_db()
    assert running.end_date == date(2028, 6, 30)
    assert change.status == ChangeRequest.Status.APPROVED
    assert change.previous == {"end_date": "2027-12-31"}
    versions = running.history.order_by("-history_id").values_list("end_date", "history_change_reason")[:2]
    assert list(versions) == [(date(2028, 6, 30), f"Change request #{change.pk} approved: Extension"),
                              (date(2027, 12, 31), None)]
    entry = change_history(running)[0]
    assert entry["reason"] == f"Change request #{change.pk} approved: Extension"
    assert entry["changes"] == [{"field": "end date", "old": "Dec. 31, 2027", "new": "June 30, 2028"}]
    assert Notification.objects.filter(recipient=lead_user, kind="change_approved").exists()


def test_refusal_needs_reasons_and_changes_nothing(running, lead_user, officer):
    change = _extension(running, lead_user)
    with pytest.raises(WorkflowError):
        services.decide_change(change, by=officer, approve=False, comment="")
    services.decide_change(change, by=officer, approve=False, comment="理由不充分")
    running.refresh_from_db()
    assert running.end_date == date(2027, 12, 31)
    assert ChangeRequest.objects.get().decision_comment == "理由不充分"


def test_a_decided_request_cannot_be_decided_the_other_way(running, lead_user, officer):
    change = _extension(running, lead_user)
    services.decide_change(change, by=officer, approve=True)
    assert services.decide_change(change, by=officer, approve=True) is None  # a second click
    with pytest.raises(IllegalTransition):
        services.decide_change(change, by=officer, approve=False, comment="改主意了")


def test_only_the_bureau_decides(running, lead_user, secretariat):
    change = _extension(running, lead_user)
    with pytest.raises(NotPermitted):
        services.decide_change(change, by=secretariat, approve=True)


def test_only_the_applicant_requests_and_only_while_running(running, project, lead_user, officer, plain_member):
    with pytest.raises(NotPermitted):
        _extension(running, officer)
    with pytest.raises(NotPermitted):
        _extension(running, plain_member)
    with pytest.raises(NotPermitted):
        _extension(project, lead_user)  # a draft is changed by editing it


def test_one_pending_request_per_kind(running, lead_user):
    _extension(running, lead_user)
    with pytest.raises(IllegalTransition):
        _extension(running, lead_user, end="2028-12-31")
    services.request_change(running, by=lead_user, kind=ChangeRequest.Kind.OBJECTIVES, justification="指标调整",
                            proposed={"objectives": "新目标", "key_indicators": "新指标"})
    assert ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING).count() == 2


def test_approved_budget_change_replaces_the_plan(running, lead_user, officer):
    change = services.request_change(running, by=lead_user, kind=ChangeRequest.Kind.BUDGET, justification="追加投资",
                                     proposed={"total_investment": "1200", "budget": [
                                         {"year": 2026, "self_raised": "400", "bank_loans": "100",
                                          "government": "100", "other": "0"},
                                         {"year": 2027, "self_raised": "400", "bank_loans": "100",
                                          "government": "100", "other": "0"}]})
    services.decide_change(change, by=officer, approve=True)
    running.refresh_from_db()
    assert running.total_investment == Decimal("1200")
    assert running.government_funding_requested == Decimal("200")
    assert [line.self_raised for line in running.budget_years.all()] == [Decimal("400"), Decimal("400")]
    change.refresh_from_db()
    assert change.previous["total_investment"] == "1000.0000"
    assert change.previous["budget"][0] == {"year": 2026, "self_raised": "300.0000", "bank_loans": "100.0000",
                                            "government": "100.0000", "other": "0.0000"}


def test_approved_participant_change(running, lead_user, officer):
    change = services.request_change(running, by=lead_user, kind=ChangeRequest.Kind.PARTICIPANTS,
                                     justification="新增检测单位",
                                     proposed={"participants": [{"organisation": None, "name": "国家陶瓷检测中心",
                                                                 "credit_code": "12370300MB28531234", "task": "检测"}]})
    services.decide_change(change, by=officer, approve=True)
    assert list(running.participants.values_list("name", flat=True)) == ["国家陶瓷检测中心"]
    change.refresh_from_db()
    assert change.previous == {"participants": []}


def test_approved_objective_change(running, lead_user, officer):
    change = services.request_change(running, by=lead_user, kind=ChangeRequest.Kind.OBJECTIVES,
                                     justification="市场变化", proposed={"objectives": "新目标", "key_indicators": "新指标"})
    services.decide_change(change, by=officer, approve=True)
    running.refresh_from_db()
    assert (running.objectives, running.key_indicators) == ("新目标", "新指标")
    assert ChangeRequest.objects.get().previous["objectives"] == "突破陶瓷膜低温烧结关键技术，形成中试线。"


def test_extension_page_validates_and_the_officer_decides_on_its_page(client, running, lead_user, officer):
    client.force_login(lead_user)
    response = client.post(f"/projects/{running.pk}/changes/extension/",
                           {"end_date": "2027-06-30", "justification": "延期"})
    assert response.context["form"].errors["end_date"] == [
        "The new end date must be later than the current one (2027-12-31)."]
    response = client.post(f"/projects/{running.pk}/changes/extension/", {"end_date": "2028-03-31", "justification": ""})
    assert "justification" in response.context["form"].errors
    response = client.post(f"/projects/{running.pk}/changes/extension/",
                           {"end_date": "2028-03-31", "justification": "设备延迟"})
    change = ChangeRequest.objects.get()
    assert response["Location"] == f"/projects/changes/{change.pk}/"
    assert client.post(f"/projects/changes/{change.pk}/", {"decision": "approve"}).status_code == 403

    client.force_login(officer)
    page = client.get(f"/projects/changes/{change.pk}/")
    assert page.context["rows"] == [{"label": "end date", "before": ["Dec. 31, 2027"], "after": ["March 31, 2028"]}]
    assert "March 31, 2028" in page.content.decode()
    client.post(f"/projects/changes/{change.pk}/", {"decision": "approve", "comment": "同意"})
    running.refresh_from_db()
    assert running.end_date == date(2028, 3, 31)
    detail = client.get(f"/projects/{running.pk}/").content.decode()
    assert 'id="change-history"' in detail
    assert f"Change request #{change.pk} approved" in detail


def test_budget_change_page_checks_the_sum(client, running, lead_user):
    client.force_login(lead_user)
    data = {"total_investment": "1100", "justification": "追加", "budget-TOTAL_FORMS": "2",
            "budget-INITIAL_FORMS": "2", "budget-MIN_NUM_FORMS": "1", "budget-MAX_NUM_FORMS": "1000",
            "budget-0-year": "2026", "budget-0-self_raised": "300", "budget-0-bank_loans": "100",
            "budget-0-government": "100", "budget-0-other": "0",
            "budget-1-year": "2027", "budget-1-self_raised": "300", "budget-1-bank_loans": "100",
            "budget-1-government": "100", "budget-1-other": "0"}
    response = client.post(f"/projects/{running.pk}/changes/budget/", data)
    assert response.status_code == 200
    assert "adds up to 1,000.00" in response.context["form"].errors["total_investment"][0]
    data["budget-1-other"] = "100"
    assert client.post(f"/projects/{running.pk}/changes/budget/", data).status_code == 302
    assert ChangeRequest.objects.get().proposed["total_investment"] == "1100"


def test_change_pages_of_another_alliance_are_404(client, running, lead_user, outsider):
    change = _extension(running, lead_user)
    client.force_login(outsider)
    assert client.get(f"/projects/changes/{change.pk}/").status_code == 404
    assert client.get(f"/projects/{running.pk}/changes/extension/").status_code == 404
