"""The application's state machine: the table of ``alliances.workflow`` run by the core engine.

``transition`` is the one path for an alliance's state (``alliance_portal.core.workflow.apply_transition``):
the table, the actor's role, the row lock, a quiet return on a second click, the guards, the
``StateTransition`` record, the effects, the audit event and simple-history's user and reason.

Guards and effects are registered on ``APPLICATION`` by the app that owns what they check or write, in
its ``AppConfig.ready``: the call window here (below), screening, scoring, joint review, public notice,
designation and the notifications in ``reviews`` (``reviews.services.register``), the district's record
in ``recommendations`` and the visit in ``site_visits``.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import audit
from accounts.roles import Role
from accounts.rules import SYSTEM
from alliance_portal.core.errors import NotPermitted
from alliance_portal.core.workflow import Machine, apply_transition

from . import workflow
from .models import Alliance, StateTransition


def _check_actor(step: workflow.Transition, alliance: Alliance, by) -> None:
    if by is SYSTEM:
        return  # the portal acting on its own (a Celery task, a migration): no person to check
    if not any(by.has_role(role) for role in step.roles):
        raise NotPermitted(_("Your role may not “%(action)s” this application.") % {"action": step.label})
    if step.roles <= {Role.MEMBER} and by.organisation_id != alliance.chairman_id:
        raise NotPermitted(_("Only the chairman unit may “%(action)s” this application.") % {"action": step.label})
    if step.roles <= {Role.DISTRICT_REVIEWER} and (by.district_id is None or by.district_id != alliance.chairman.district_id):
        raise NotPermitted(_("Only the reviewers of the chairman unit's district may “%(action)s” this application.")
                           % {"action": step.label})


APPLICATION = Machine(
    name="transition",
    model=Alliance,
    record=StateTransition,
    subject="alliance",
    table=workflow.TRANSITIONS,
    applies=lambda step, alliance: step.applies(alliance.stages),
    lock=lambda pk: (Alliance.objects.select_for_update(of=("self",)).select_related("call", "chairman")
                     .get(pk=pk)),
    check_actor=_check_actor,
    audit=audit.record,
    illegal=lambda alliance, label: (
        _("This application is “%(state)s”; “%(action)s” is not possible now. "
          "Someone else may have acted on it already: reload the page.")
        % {"state": alliance.get_state_display(), "action": label}),
    save_fields=("state", "state_changed_at", "current_version", "updated_at"),
    refresh_fields=("state", "state_changed_at", "current_version"),
    version_of=lambda alliance: alliance.current_version or None,
)


def transition(alliance: Alliance, *, action: str, by, comment: str = "", version: int | None = None,
               before_save=None, facts=()) -> StateTransition | None:
    """Apply ``action`` to the alliance (``apply_transition`` on ``APPLICATION``). Returns the new record, or
    None when the alliance already stands in the action's target state (someone did it a moment ago).
    ``before_save(locked)`` may adjust the locked row or raise a ``WorkflowError`` in the same transaction;
    ``facts`` reach the guards (``reviews.services.DECIDED_WITH_BATCH``)."""
    return apply_transition(APPLICATION, alliance, action=action, by=by, comment=comment, version=version,
                            before_save=before_save, facts=facts)


@APPLICATION.guard("submit")
def _call_window_open(alliance: Alliance, attempt) -> str | None:
    call = alliance.call
    if call is None or call.is_open():
        return None  # applications outside a call (before calls existed) have no window
    return (_("“%(call)s” accepts applications from %(opens)s to %(closes)s; submission is not possible now. "
              "Your draft is kept.")
            % {"call": call.title, "opens": date_format(timezone.localtime(call.opens_at), "DATETIME_FORMAT"),
               "closes": date_format(timezone.localtime(call.closes_at), "DATETIME_FORMAT")})
