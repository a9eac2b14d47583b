"""In the admin too, a call's criteria keep their weight, maximum score, use and call once the first score under
them is submitted, and cannot be deleted; criteria of calls not scored on yet stay editable."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reviews import services as reviews
from reviews.models import ScoreCriterion

from .conftest import make_call
from .test_call_scorecard import in_expert_review

pytestmark = pytest.mark.django_db

LOCKED = ("Experts have already submitted scores under this call's scorecard; its criteria can no longer change "
          "(scores must stay comparable).")


@pytest.fixture
def admin_client(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


@pytest.fixture
def scored_call(officer, member):
    """A call under whose scorecard an expert has submitted a score."""
    call = make_call(officer)
    assignment = in_expert_review(officer, member, call)
    reviews.save_scorecard(
        assignment, scores={c.pk: (Decimal(c.max_score), "") for c in criteria(call)}, comments="很好。",
        recommendation="approve", submit=True, by=assignment.expert.user)
    return call


@pytest.fixture
def open_call(officer):
    """A call nobody has scored under yet."""
    return make_call(officer, batch_number=2)


def criteria(call):
    return list(ScoreCriterion.objects.filter(call=call, is_active=True).order_by("position", "pk"))


def change_data(criterion, **changes) -> dict:
    data = {"name": criterion.name, "name_en": criterion.name_en, "guidance": criterion.guidance,
            "weight": str(criterion.weight), "max_score": str(criterion.max_score), "position": criterion.position,
            "is_active": "on" if criterion.is_active else "", "call": criterion.call_id or ""}
    data.update(changes)
    return {name: value for name, value in data.items() if value != ""}


def values(criterion) -> tuple:
    criterion.refresh_from_db()
    return criterion.name, criterion.weight, criterion.max_score, criterion.is_active, criterion.call_id


def test_locked_criterion_shows_weight_maximum_use_and_call_read_only(admin_client, scored_call):
    criterion = criteria(scored_call)[0]
    response = admin_client.get(reverse("admin:reviews_scorecriterion_change", args=[criterion.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert {"weight", "max_score", "is_active", "call"}.isdisjoint(form.fields)
    assert {"name", "name_en", "guidance", "position"} <= set(form.fields)
    assert 'name="weight"' not in response.content.decode()


def test_locked_criterion_keeps_its_values_when_posted(admin_client, scored_call, open_call):
    criterion = criteria(scored_call)[0]
    before = values(criterion)
    response = admin_client.post(reverse("admin:reviews_scorecriterion_change", args=[criterion.pk]), change_data(
        criterion, name="产业带动作用（修订）", weight="99", max_score="5", is_active="", call=open_call.pk))
    assert response.status_code == 302
    assert values(criterion) == ("产业带动作用（修订）", *before[1:])  # the wording may still be corrected


def test_locked_criterion_cannot_be_deleted(admin_client, scored_call):
    criterion = criteria(scored_call)[0]
    delete = reverse("admin:reviews_scorecriterion_delete", args=[criterion.pk])
    assert admin_client.get(delete).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    response = admin_client.post(reverse("admin:reviews_scorecriterion_changelist"), {
        "action": "delete_selected", "_selected_action": [criterion.pk], "post": "yes"})
    assert response.status_code == 200  # the confirmation page, saying why it cannot be deleted
    assert {str(name) for name in response.context["perms_lacking"]} == {"scoring criterion"}
    assert ScoreCriterion.objects.filter(pk=criterion.pk).exists()


def test_criterion_of_a_call_not_scored_yet_stays_editable(admin_client, open_call):
    criterion = criteria(open_call)[0]
    response = admin_client.post(reverse("admin:reviews_scorecriterion_change", args=[criterion.pk]),
                                 change_data(criterion, weight="35", max_score="20"))
    assert response.status_code == 302
    assert values(criterion)[1:3] == (Decimal("35"), 20)
    delete = reverse("admin:reviews_scorecriterion_delete", args=[criterion.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not ScoreCriterion.objects.filter(pk=criterion.pk).exists()


def test_list_edits_only_the_rows_of_calls_not_scored_yet(admin_client, scored_call, open_call):
    rows = [*criteria(scored_call)[:1], *criteria(open_call)[:1]]
    url = reverse("admin:reviews_scorecriterion_changelist")
    page = admin_client.get(url, {"call__id__exact": scored_call.pk})
    formset = page.context["cl"].formset
    assert all(form.fields["weight"].disabled and form.fields["is_active"].disabled for form in formset)
    assert not any(form.fields["position"].disabled for form in formset)
    before = values(rows[0])
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000", "_save": "Save"}
    for index, row in enumerate(rows):
        data.update({f"form-{index}-id": row.pk, f"form-{index}-weight": "11", f"form-{index}-max_score": "7",
                     f"form-{index}-position": "9"})
    response = admin_client.post(f"{url}?id__in={rows[0].pk},{rows[1].pk}", data)
    assert response.status_code == 302
    assert values(rows[0]) == before  # posted values of the locked row are ignored (is_active too)
    rows[0].refresh_from_db()
    assert rows[0].position == 9
    assert values(rows[1])[1:4] == (Decimal("11"), 7, False)


def test_no_criterion_is_added_to_a_call_already_scored(admin_client, scored_call):
    response = admin_client.post(reverse("admin:reviews_scorecriterion_add"), {
        "name": "新指标", "weight": "10", "max_score": "10", "position": "9", "is_active": "on",
        "call": scored_call.pk})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["call"] == [LOCKED]
    assert not ScoreCriterion.objects.filter(name="新指标").exists()


def test_list_names_and_filters_the_call_of_each_criterion(admin_client, scored_call, open_call):
    url = reverse("admin:reviews_scorecriterion_changelist")
    response = admin_client.get(url, {"call__id__exact": open_call.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert {c.call_id for c in response.context["cl"].result_list} == {open_call.pk}
    page = response.content.decode()
    assert re.search(r'class="sortable column-call_display">\s*<div class="text"><a [^>]*>申报批次</a>', page)
    assert 'data-filter-title="申报批次"' in page
    assert open_call.title in page
