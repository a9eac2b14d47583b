"""The workflow diagram, drawn from ``workflow.TRANSITIONS``.

Graphviz lays it out at build time only: ``manage.py render_workflow_diagram`` writes one SVG per
language to ``reviews/diagrams/`` (committed, with ``docs/workflow.svg`` for the README), and CI checks
that they match the table (``--check``). At run time pages read the committed file and mark the current
state's node (``class="node current"`` and its badge colour, coloured by ``static/css/reviews.css``):
nothing needs Graphviz's ``dot`` on the server. Without a file for the language, pages show the same
table as HTML (``reviews/includes/workflow_table.html``).
"""

import itertools
import re
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alliances import workflow
from alliances.workflow import BADGE, State

DIAGRAMS = Path(__file__).resolve().parent / "diagrams"
LANGUAGES = ("zh-hans", "en")

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


def build():
    """The Graphviz graph of the table (build time only: ``graphviz`` needs Debian's ``dot`` to lay it out)."""
    import graphviz  # build time only (render_workflow_diagram): the pages read the committed SVG, no web process needs it

    graph = graphviz.Digraph("workflow", format="svg")
    graph.attr(rankdir="TB", fontname=FONT, bgcolor="transparent", nodesep="0.35", ranksep="0.4",
               concentrate="true")
    graph.attr("node", shape="box", style="rounded,filled", fontname=FONT, fontsize="11", fillcolor="#ffffff",
               color="#adb5bd", penwidth="1")
    graph.attr("edge", fontname=FONT, fontsize="9", color="#6c757d", fontcolor="#495057", arrowsize="0.7")
    for state in State:
        graph.node(state.value, str(state.label), color=_COLOURS[BADGE[state]], tooltip=str(state.label),
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


def path_for(language: str) -> Path:
    return DIAGRAMS / f"workflow.{language}.svg"


_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_SIZE = re.compile(r'\s(width|height)="[^"]*pt"')
_ARROW_TITLE = re.compile(r'<g id="edge\d+" class="edge">\s*<title>([a-z_]+)&#45;&gt;([a-z_]+)</title>')


def arrows_in(svg: str) -> set[tuple[str, str]]:
    """The (source, target) arrows drawn in a committed SVG, to compare with the table."""
    return set(_ARROW_TITLE.findall(svg))


@lru_cache(maxsize=len(LANGUAGES))
def _committed(language: str) -> str | None:
    """The committed SVG of ``language``, ready to sit inside a page: no XML prologue or fixed size."""
    path = path_for(language)
    if not path.exists():
        return None
    svg = _PROLOGUE.sub("", path.read_text(encoding="utf-8"), count=1)
    svg = _SIZE.sub("", svg, count=2)
    return re.sub(r"^<svg\s", '<svg role="img" class="workflow-diagram" ', svg, count=1)


def render_svg(current: str | None = None) -> str | None:
    """The diagram as SVG with ``current`` highlighted, or None when no diagram was built for the language."""
    language = (get_language() or "zh-hans").lower()
    svg = _committed("en" if language.startswith("en") else "zh-hans")
    if svg is None:
        return None
    known = bool(current) and current in State.values
    label = (_("Review workflow diagram, current state: %(state)s") % {"state": State(current).label} if known
             else _("Review workflow diagram"))
    svg = svg.replace('class="workflow-diagram" ', f'class="workflow-diagram" aria-label="{escape(label)}" ', 1)
    if not known:
        return svg
    node = f'id="state_{current}" class="node"'
    return svg.replace(node, f'{node[:-1]} current" data-badge="{BADGE[State(current)]}"', 1)
