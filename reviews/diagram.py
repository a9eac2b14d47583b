"""The workflow diagram, drawn from ``workflow.TRANSITIONS`` with Graphviz.

Rendered to SVG with the current state highlighted and cached per (state, language). Where Graphviz's
``dot`` program is missing (a laptop with only Python) ``render_svg`` returns None and pages show the
same table as HTML instead (``reviews/includes/workflow_table.html``): never an error page.
"""

import itertools
import logging
import re
from functools import lru_cache

import graphviz
from django.utils.translation import get_language, override

from . import workflow
from .workflow import BADGE, State

logger = logging.getLogger(__name__)

# Bootstrap's palette for the state badges, so the diagram speaks the same colours as the pages.
_COLOURS = {
    "primary": "#0d6efd", "secondary": "#6c757d", "success": "#198754", "danger": "#dc3545",
    "warning": "#ffc107", "info": "#0dcaf0", "dark": "#212529",
}
FONT = "Noto Sans CJK SC"


def edges() -> list[tuple[State, State, str]]:
    """(source, target, labels) once per arrow: actions sharing an arrow are joined."""
    grouped: dict[tuple[State, State], list[str]] = {}
    for t in workflow.TRANSITIONS:
        labels = grouped.setdefault((t.source, t.target), [])
        if str(t.label) not in labels:
            labels.append(str(t.label))
    return [(source, target, " / ".join(labels)) for (source, target), labels in grouped.items()]


def build(current: str | None = None) -> graphviz.Digraph:
    graph = graphviz.Digraph("workflow", format="svg")
    graph.attr(rankdir="TB", fontname=FONT, bgcolor="transparent", nodesep="0.35", ranksep="0.4",
               concentrate="true")
    graph.attr("node", shape="box", style="rounded,filled", fontname=FONT, fontsize="11", fillcolor="#ffffff",
               color="#adb5bd", penwidth="1")
    graph.attr("edge", fontname=FONT, fontsize="9", color="#6c757d", fontcolor="#495057", arrowsize="0.7")
    for state in State:
        colour = _COLOURS[BADGE[state]]
        if state == current:
            graph.node(state.value, str(state.label), fillcolor=colour, color=colour, penwidth="2.5",
                       fontcolor="#ffffff" if BADGE[state] not in ("warning", "info") else "#000000",
                       tooltip=str(state.label), id=f"state_{state.value}", **{"class": "current"})
        else:
            graph.node(state.value, str(state.label), color=colour, tooltip=str(state.label),
                       id=f"state_{state.value}")
    for source, target, label in edges():
        # The way to designation is the spine of the drawing; side exits (withdraw, reject) bend off it.
        spine = (source, target) in _SPINE
        graph.edge(source.value, target.value, label=label, weight="8" if spine else "1",
                   penwidth="1.6" if spine else "1", style="solid" if target not in _EXITS else "dashed")
    with graph.subgraph() as exits:
        exits.attr(rank="same")
        for state in _EXITS:
            exits.node(state.value)
    return graph


_PATH = [State.DRAFT, State.SUBMITTED, State.SCREENING, State.EXPERT_REVIEW, State.JOINT_REVIEW,
         State.PUBLIC_NOTICE, State.PILOT, State.ASSESSMENT, State.DEMONSTRATION]
_SPINE = set(itertools.pairwise(_PATH))
_EXITS = (State.WITHDRAWN, State.REJECTED)


_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_SIZE = re.compile(r'\s(width|height)="[^"]*pt"')


def to_svg(graph: graphviz.Digraph) -> str:
    """SVG markup ready to sit inside a page: no XML prologue or fixed size (it scales to its box)."""
    svg = graph.pipe(format="svg", encoding="utf-8")
    svg = _PROLOGUE.sub("", svg, count=1)
    svg = _SIZE.sub("", svg, count=2)
    return re.sub(r"^<svg\s", '<svg role="img" class="workflow-diagram" ', svg, count=1)


@lru_cache(maxsize=64)
def _cached(current: str | None, language: str) -> str | None:
    with override(language):
        try:
            return to_svg(build(current))
        except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, OSError) as error:
            logger.warning("workflow diagram not drawn (%s); showing the table instead", error)
            return None


def render_svg(current: str | None = None) -> str | None:
    """The diagram as SVG with ``current`` highlighted, or None when Graphviz cannot draw it here."""
    return _cached(str(current) if current else None, get_language() or "zh-hans")
