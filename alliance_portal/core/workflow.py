"""The one workflow engine: ``apply_transition`` over a state table declared as data.

An app declares what moves (a ``Machine``): its model, its table (``Transition`` rows: action, source,
target, roles, label), its record model (a subclass of ``TransitionRecord``) and how the actor is checked.
Guards (what must hold besides the table) and effects (records that follow from an action, in the same
transaction) are registered on the machine by name: beside the table, or by the app that owns what they
check, in its ``AppConfig.ready``. ``apply_transition`` is then the one path that changes the state:

1. lock the row; a second click (the row already stands in the action's target) returns None quietly;
2. find the step in the table (else ``IllegalTransition``), check the actor and a required comment;
3. ``before_save(locked)`` (the caller's own changes to the row, in the same transaction; it returns the
   names of the fields it changed), then the action's guards;
4. save the new state (with simple-history's user and reason), write the ``TransitionRecord``, run the
   effects, write the audit event, and notify after commit.

A refusal (any ``WorkflowError``) is written to the audit trail with its reason and raised again. The
engine knows no app: the audit writer and the notifier are given by the machine.

Facts a caller establishes for the guards (the batch service: "decided with the call's batch") are passed
as ``facts`` and reach each guard in its ``Attempt``; nothing is set on the model instance.
"""

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import IllegalTransition, WorkflowError


@dataclass(frozen=True)
class Transition:
    """One row of a state table: ``action`` takes the object from ``source`` to ``target``."""

    action: str
    source: str
    target: str
    roles: frozenset
    label: str
    comment_required: bool = False  # the reason must be written down (a rejection, a revocation)


@dataclass(frozen=True)
class Attempt:
    """What a guard knows of the attempt besides the locked row: the action, who, the comment and the facts
    the caller established (e.g. ``("decided_with_batch", call_id)``)."""

    action: str
    by: object = None
    comment: str = ""
    facts: frozenset = frozenset()


# A guard refuses by raising a ``WorkflowError`` or by returning the reason (a string); None lets it pass.
Guard = Callable[[models.Model, Attempt], str | None]
Effect = Callable[[models.Model, models.Model], None]  # (the locked row, its new TransitionRecord)


def _reason_missing(step) -> str:
    return _("Please write down the reason for “%(action)s”.") % {"action": step.label}


class Machine:
    """A state machine: the table, what moves, its record, and the guards and effects registered on it.

    ``subject`` is the record's foreign key to the moved row; ``lock(pk)`` reads the row with
    ``select_for_update``; ``state_field`` holds the state and ``changed_at_field`` (if any) when it last
    changed; ``history`` says the model keeps simple-history rows; ``check_actor(step, locked, by)`` raises
    ``NotPermitted`` (``by=None``, named ``accounts.rules.SYSTEM``, is the system acting on its own and is never
    refused); ``applies(step, locked)`` narrows the table for the
    row (e.g. a call's optional stages); ``save_fields`` are saved with the state besides what
    ``before_save`` changed; ``refresh_fields`` are copied back to the caller's instance; ``version_of``
    gives the record's version; ``around_save`` wraps the change (e.g. a tally kept in step);
    ``illegal``/``comment_missing`` word the two refusals (the latter asks for the reason by default); ``audit(event, user=, obj=, outcome=, **detail)``
    writes the audit trail and ``notify(record)`` runs after commit."""

    def __init__(self, *, name: str, model, record, subject: str, table: Iterable[Transition],
                 check_actor: Callable, audit: Callable, illegal: Callable[[models.Model, str], str],
                 comment_missing: Callable[[Transition], str] | None = None, lock: Callable | None = None,
                 applies: Callable[[Transition, models.Model], bool] | None = None,
                 save_fields: Iterable[str] = ("state", "state_changed_at", "updated_at"),
                 refresh_fields: Iterable[str] = ("state", "state_changed_at"),
                 version_of: Callable[[models.Model], int | None] = lambda obj: None,
                 around_save: Callable[[models.Model], AbstractContextManager] = lambda obj: nullcontext(),
                 notify: Callable | None = None, state_field: str = "state",
                 changed_at_field: str | None = "state_changed_at", history: bool = True):
        self.name = name
        self.model = model
        self.record = record
        self.subject = subject
        self.table = tuple(table)
        self.check_actor = check_actor
        self.audit = audit
        self.illegal = illegal
        self.comment_missing = comment_missing or _reason_missing
        self.lock = lock or (lambda pk: model.objects.select_for_update().get(pk=pk))
        self.applies = applies or (lambda step, obj: True)
        self.save_fields = tuple(save_fields)
        self.refresh_fields = tuple(refresh_fields)
        self.version_of = version_of
        self.around_save = around_save
        self.notify = notify
        self.state_field = state_field
        self.changed_at_field = changed_at_field
        self.history = history
        self.actions = frozenset(t.action for t in self.table)
        self._guards: dict[str, list[Guard]] = {}
        self._effects: dict[str | None, list[Effect]] = {}

    # --- the table ---

    def find(self, action: str, obj) -> Transition | None:
        """The step for ``action`` from the row's state, or None when the table does not allow it."""
        state = self.state_of(obj)
        return next((t for t in self.table if t.action == action and t.source == state and self.applies(t, obj)),
                    None)

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def targets_of(self, action: str) -> frozenset[str]:
        return frozenset(t.target for t in self.table if t.action == action)

    def label_of(self, action: str) -> str:
        return next((t.label for t in self.table if t.action == action), action)

    # --- guards and effects, registered explicitly ---

    def guard(self, *actions: str):
        """Register the decorated function as a guard of each of ``actions`` (run in registration order)."""
        unknown = set(actions) - self.actions
        if unknown:
            raise ValueError(f"{self.name}: no such action {sorted(unknown)}")

        def register(guard: Guard) -> Guard:
            for action in actions:
                self._guards.setdefault(action, []).append(guard)
            return guard

        return register

    def effect(self, *actions: str):
        """Register the decorated function as an effect of each of ``actions``; with no action, of every
        transition (run after the action's own effects)."""
        unknown = set(actions) - self.actions
        if unknown:
            raise ValueError(f"{self.name}: no such action {sorted(unknown)}")

        def register(effect: Effect) -> Effect:
            for action in actions or (None,):
                self._effects.setdefault(action, []).append(effect)
            return effect

        return register

    def guarded_actions(self) -> list[str]:
        return list(self._guards)

    def run_guards(self, obj, attempt: Attempt) -> None:
        for guard in self._guards.get(attempt.action, ()):
            reason = guard(obj, attempt)
            if reason:
                raise WorkflowError(reason)

    def blockers(self, obj, *, skip: Iterable[str] = ()) -> dict[str, str]:
        """Why each guarded action open from the row's state cannot happen yet (the guards, run dry)."""
        waiting = {}
        for action in self._guards:
            if action in skip or self.find(action, obj) is None:
                continue
            try:
                self.run_guards(obj, Attempt(action=action))
            except WorkflowError as reason:
                waiting[action] = reason.message
        return waiting

    def _effects_of(self, action: str) -> list[Effect]:
        return [*self._effects.get(action, ()), *self._effects.get(None, ())]


def apply_transition(machine: Machine, obj, *, action: str, by, comment: str = "", version: int | None = None,
                     before_save: Callable[[models.Model], Iterable[str] | None] | None = None,
                     facts: Iterable = ()):
    """Apply ``action`` to ``obj`` (see the module's docstring). Returns the new record, or None when the row
    already stands in the action's target state (someone did it a moment ago). ``by=None`` (``SYSTEM``) is the
    portal acting on its own."""
    comment = (comment or "").strip()
    attempt = Attempt(action=action, by=by, comment=comment, facts=frozenset(facts))
    try:
        with transaction.atomic():
            locked = machine.lock(obj.pk)
            step = machine.find(action, locked)
            if step is None:
                if machine.state_of(locked) in machine.targets_of(action):
                    _refresh(machine, obj, locked)
                    return None
                raise IllegalTransition(machine.illegal(locked, machine.label_of(action)))
            machine.check_actor(step, locked, by)
            if step.comment_required and not comment:
                raise WorkflowError(machine.comment_missing(step))
            with machine.around_save(locked):
                changed = set(before_save(locked) or ()) if before_save is not None else set()
                machine.run_guards(locked, attempt)
                source = machine.state_of(locked)
                setattr(locked, machine.state_field, step.target)
                if machine.changed_at_field is not None:
                    setattr(locked, machine.changed_at_field, timezone.now())
                if machine.history:
                    locked._change_reason = str(step.label)  # simple-history's own way to take a reason and a user
                    if by is not None:
                        locked._history_user = by
                locked.save(update_fields=[*machine.save_fields, *sorted(changed - set(machine.save_fields))])
            record = machine.record.objects.create(
                **{machine.subject: locked}, action=action, source=source, target=step.target, actor=by,
                comment=comment, version=version if version is not None else machine.version_of(locked),
            )
            for effect in machine._effects_of(action):
                effect(locked, record)
            machine.audit(machine.name, user=by, obj=locked, action_name=action, source=source,
                          target=step.target, comment=comment)
            if machine.notify is not None:
                transaction.on_commit(lambda: machine.notify(record))
    except WorkflowError as refusal:
        machine.audit(machine.name, user=by, obj=obj, outcome="refused", action_name=action,
                      reason=str(refusal.message))
        raise
    _refresh(machine, obj, locked)
    return record


def _refresh(machine: Machine, obj, locked) -> None:
    for name in machine.refresh_fields:
        setattr(obj, name, getattr(locked, name))
