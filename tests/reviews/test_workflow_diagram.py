"""The diagram is drawn from the table at build time, committed, and highlighted at run time without dot."""

import shutil

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from alliances import workflow
from alliances.workflow import State
from reviews import diagram

TAG = Template("{% load workflow %}{% workflow_diagram state %}")


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """A PATH on which Graphviz's dot cannot be found, as on a fresh machine."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert shutil.which("dot") is None
    return tmp_path


def test_svg_has_every_state_and_highlights_the_current_one(no_dot):
    svg = diagram.render_svg(State.EXPERT_REVIEW)
    assert svg.startswith('<svg role="img" class="workflow-diagram"')
    for state in State:
        assert f'id="state_{state.value}"' in svg
    assert svg.count('class="node current"') == 1
    assert 'id="state_expert_review" class="node current" data-badge="primary"' in svg
    assert "style=" not in svg  # the CSP forbids inline styles


def test_no_state_highlights_nothing(no_dot):
    assert "current" not in diagram.render_svg(None)
    assert "current" not in diagram.render_svg("no_such_state")


@pytest.mark.parametrize("language", diagram.LANGUAGES)
def test_committed_diagram_draws_every_transition_of_the_table(language):
    svg = diagram.path_for(language).read_text(encoding="utf-8")
    assert diagram.arrows_in(svg) == {(t.source.value, t.target.value) for t in workflow.TRANSITIONS}


def test_every_transition_of_the_table_is_an_arrow():
    arrows = {(source, target) for source, target, _label in diagram.edges()}
    assert arrows == {(t.source, t.target) for t in workflow.TRANSITIONS}


def test_labels_follow_the_language(no_dot):
    with translation.override("zh-hans"):
        assert "专家评审" in diagram.render_svg(State.SCREENING)
    with translation.override("en"):
        assert "Expert review" in diagram.render_svg(State.SCREENING)


def test_missing_file_falls_back_to_a_table(monkeypatch, tmp_path):
    monkeypatch.setattr(diagram, "DIAGRAMS", tmp_path)
    diagram._committed.cache_clear()
    try:
        with translation.override("en"):
            html = TAG.render(Context({"state": "screening"}))
    finally:
        diagram._committed.cache_clear()
    assert "<svg" not in html
    assert '<tr class="table-primary">' in html
    assert "Send to expert review" in html


@pytest.mark.django_db
def test_workflow_page_draws_the_diagram_without_dot(client, no_dot, officer):
    client.force_login(officer)
    response = client.get(reverse("reviews:workflow") + "?state=pilot")
    assert response.status_code == 200
    assert 'id="state_pilot" class="node current" data-badge="success"' in response.content.decode()


@pytest.mark.graphviz  # building (not showing) the diagram needs Graphviz's dot
def test_management_command_writes_and_checks_the_files(tmp_path):
    docs = tmp_path / "workflow.svg"
    call_command("render_workflow_diagram", directory=str(tmp_path), docs=str(docs))
    assert "Grant pilot status" in docs.read_text(encoding="utf-8")
    assert "认定为试点" in (tmp_path / "workflow.zh-hans.svg").read_text(encoding="utf-8")
    call_command("render_workflow_diagram", directory=str(tmp_path), docs=str(docs), check=True)
