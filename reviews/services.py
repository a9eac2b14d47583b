"""Every state change of an alliance application goes through ``transition``.

It checks the declared table (``reviews.workflow``), the actor's role and object permission, locks
the row, returns quietly when the alliance is already where it was asked to go (a second click),
writes a ``StateTransition`` and an audit event, and notifies after commit.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEvent
from accounts.roles import Role
from alliances.models import Alliance

from . import workflow
from .errors import IllegalTransition, NotPermitted, WorkflowError
from .models import StateTransition


def _check_actor(t: workflow.Transition, alliance: Alliance, by) -> None:
    if by is None:
        return  # the system itself (a Celery task, a migration) acts without a user
    if not any(by.has_role(role) for role in t.roles):
        raise NotPermitted(_("Your role may not “%(action)s” this application.") % {"action": t.label})
    if t.roles <= {Role.MEMBER} and by.organisation_id != alliance.chairman_id:
        raise NotPermitted(_("Only the chairman unit may “%(action)s” this application.") % {"action": t.label})


def transition(alliance: Alliance, *, action: str, by, comment: str = "", version: int | None = None,
               before_save=None) -> StateTransition | None:
    """Apply ``action`` to the alliance. Precondition: the table allows it from the current state.

    Returns the new transition record, or None when the alliance already stands in the action's
    target state (someone else did it a moment ago). ``before_save(locked_alliance)`` may adjust the
    locked row or raise a ``WorkflowError`` inside the same transaction.
    """
    try:
        with transaction.atomic():
            locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
            step = workflow.find(action, locked.state)
            if step is None:
                targets = {t.target for t in workflow.TRANSITIONS if t.action == action}
                if locked.state in targets:
                    alliance.state = locked.state
                    return None
                raise IllegalTransition(
                    _("This application is “%(state)s”; “%(action)s” is not possible now. "
                      "Someone else may have acted on it already: reload the page.")
                    % {"state": locked.get_state_display(), "action": action}
                )
            _check_actor(step, locked, by)
            if before_save is not None:
                before_save(locked)
            source = locked.state
            locked.state = step.target
            locked.state_changed_at = timezone.now()
            locked.save(update_fields=["state", "state_changed_at", "current_version", "updated_at"])
            record = StateTransition.objects.create(
                alliance=locked, action=action, source=source, target=step.target, actor=by,
                comment=comment, version=version if version is not None else locked.current_version or None,
            )
            audit.record("transition", user=by, obj=locked, action_name=action, source=source,
                         target=step.target, comment=comment)
            transaction.on_commit(lambda: _notify(record))
    except WorkflowError as refusal:
        audit.record("transition", user=by, obj=alliance, outcome=AuditEvent.Outcome.REFUSED,
                     action_name=action, reason=refusal.message)
        raise
    alliance.state = locked.state
    alliance.state_changed_at = locked.state_changed_at
    alliance.current_version = locked.current_version
    return record


def _notify(record: StateTransition) -> None:
    from notifications.services import notify

    from .selectors import applicant_users, bureau_officers

    alliance = record.alliance
    state = workflow.State(record.target).label
    title = _("%(alliance)s: %(state)s") % {"alliance": alliance.name, "state": state}
    url = f"/alliances/{alliance.pk}/"
    if record.target in (workflow.State.SUBMITTED, workflow.State.RESUBMITTED):
        notify(bureau_officers(), kind="application_submitted", title=title, body=record.comment, url=url)
    else:
        notify(applicant_users(alliance), kind=f"application_{record.target}", title=title, body=record.comment,
               url=url)
