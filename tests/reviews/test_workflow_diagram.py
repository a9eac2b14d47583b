"""The diagram is drawn from the table, highlights the current state, and degrades to a table without dot."""

import graphviz
import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from reviews import diagram, workflow
from reviews.workflow import State

TAG = Template("{% load workflow %}{% workflow_diagram state %}")


@pytest.fixture(autouse=True)
def _fresh_cache():
    diagram._cached.cache_clear()
    yield
    diagram._cached.cache_clear()


def test_svg_has_every_state_and_highlights_the_current_one():
    svg = diagram.render_svg(State.EXPERT_REVIEW)
    assert svg.startswith('<svg role="img" class="workflow-diagram"')
    for state in State:
        assert f'id="state_{state.value}"' in svg
    assert svg.count('class="node current"') == 1
    assert 'id="state_expert_review" class="node current"' in svg
    assert "style=" not in svg  # the CSP forbids inline styles


def test_every_transition_of_the_table_is_an_arrow():
    arrows = {(source, target) for source, target, _label in diagram.edges()}
    assert arrows == {(t.source, t.target) for t in workflow.TRANSITIONS}


def test_labels_follow_the_language():
    with translation.override("zh-hans"):
        assert "专家评审" in diagram.render_svg(State.SCREENING)
    with translation.override("en"):
        assert "Expert review" in diagram.render_svg(State.SCREENING)


def test_cached_per_state(monkeypatch):
    calls = []
    real = diagram.to_svg
    monkeypatch.setattr(diagram, "to_svg", lambda graph: calls.append(1) or real(graph))
    diagram.render_svg(State.PILOT)
    diagram.render_svg(State.PILOT)
    diagram.render_svg(State.SCREENING)
    assert len(calls) == 2


def test_missing_dot_falls_back_to_a_table(monkeypatch):
    def no_dot(*args, **kwargs):
        raise graphviz.ExecutableNotFound(("dot",))

    monkeypatch.setattr(graphviz.Digraph, "pipe", no_dot)
    with translation.override("en"):
        html = TAG.render(Context({"state": "screening"}))
    assert "<svg" not in html
    assert '<tr class="table-primary">' in html
    assert "Send to expert review" in html


@pytest.mark.django_db
def test_workflow_page_never_fails_without_dot(client, monkeypatch, officer):
    monkeypatch.setattr(graphviz.Digraph, "pipe",
                        lambda *a, **k: (_ for _ in ()).throw(graphviz.ExecutableNotFound(("dot",))))
    client.force_login(officer)
    response = client.get(reverse("reviews:workflow"))
    assert response.status_code == 200
    assert "workflow-table" in response.content.decode()


def test_management_command_writes_the_docs_file(tmp_path):
    target = tmp_path / "workflow.svg"
    call_command("render_workflow_diagram", output=str(target))
    content = target.read_text(encoding="utf-8")
    assert "<svg" in content
    assert "Grant pilot status" in content
    call_command("render_workflow_diagram", output=str(target), check=True)
