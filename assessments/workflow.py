"""An assessment round's own states, declared once as data.

A round waits for the alliance's self-assessment, then for the experts' scores, then is decided (a
re-assessment opens directly at expert scoring). The services move it through the core engine
(``assessments.services.ROUND``, ``apply_transition``), which writes an ``AssessmentTransition`` for each
step. The alliance's own state (pilot, demonstration, rectification …) is the application's state machine
(``alliances.workflow``). Nothing here imports models, so any module may read it.
"""

from django.db import models
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from alliance_portal.core.workflow import Transition


class RoundStatus(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", pgettext_lazy("assessment status", "Awaiting self-assessment")
    EXPERT_SCORING = "expert_scoring", pgettext_lazy("assessment status", "Expert scoring")
    DECIDED = "decided", pgettext_lazy("assessment status", "Decided")


S = RoundStatus

TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit_self_assessment", S.SELF_ASSESSMENT, S.EXPERT_SCORING, frozenset({Role.MEMBER}),
               pgettext_lazy("assessment action", "Submit the self-assessment")),
    Transition("decide", S.EXPERT_SCORING, S.DECIDED, frozenset({Role.OFFICER, Role.ADMIN}),
               pgettext_lazy("assessment action", "Decide the assessment")),
)
