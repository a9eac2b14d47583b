"""Builds the demo portal: units, people, and 21 alliances whose applications went through the services."""

import logging
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import override_settings
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import Role
from alliance_portal.celery import app as celery_app
from alliances import tally
from alliances.models import Alliance, Organisation
from assessments.models import AssessmentRound, Rectification
from notifications.services import mark_all_read
from projects.models import Activity, ChangeRequest, DevelopmentPlan, ProgressReport, Project

from . import calls, evidence, names, operation, stories
from .compose import Spec, choose_members
from .people import Login, UserMaker, build_experts, build_staff
from .units import build_units

SEED = 20261125
# Alliance number (index in names.ALLIANCES) → the story it lives through, and the call it belongs to.
PREVIOUS_CALL = {0: stories.PILOT, 1: stories.PILOT, 7: stories.PILOT, 9: stories.PILOT, 13: stories.PILOT,
                 18: stories.PILOT, 6: stories.REJECTED}
CURRENT_CALL = {
    2: stories.PUBLIC_NOTICE, 10: stories.JOINT_REVIEW_TWO_OPINIONS, 14: stories.JOINT_REVIEW,
    3: stories.EXPERT_REVIEW_SCORING, 19: stories.EXPERT_REVIEW_INVITED, 8: stories.SCREENING_PARTIAL,
    15: stories.SCREENING, 11: stories.SUBMITTED, 20: stories.SUBMITTED, 4: stories.RETURNED,
    16: stories.RETURNED, 12: stories.RESUBMITTED, 5: stories.DRAFT, 17: stories.DRAFT_INCOMPLETE,
}
RETURNED_BEFORE_DESIGNATION = {0, 9, 13}  # pilots whose history includes a return for revision
NAMED_CHAIRS = {0: ("member", "showcase: a year of projects in every state, reports, changes; self-assessment due"),
                4: ("member_returned", "application returned for revision"),
                5: ("member_draft", "complete draft, ready to submit")}
MARKER_USERNAME = "officer"


def is_loaded() -> bool:
    return User.objects.filter(username=MARKER_USERNAME, email__endswith="@example.com").exists()


def has_data() -> bool:
    return Organisation.objects.exists() or Alliance.objects.exists()


@dataclass
class Result:
    logins: list[Login]
    alliances: dict[str, int]
    after_designation: dict[str, dict[str, int]]
    units: int
    emails_suppressed: int


@contextmanager
def _delivery_held_back():
    """Demo notifications are real rows, but their e-mails stay in memory: tasks run in-process."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            yield
    finally:
        celery_app.conf.task_always_eager = eager


@contextmanager
def _quiet_and_quick():
    """No audit lines on the console while loading; SQLite skips fsync per commit (a demo can be reloaded)."""
    # kombu warns once that the in-memory broker has no host name when an eager task first runs
    loggers = {logging.getLogger("audit"): logging.WARNING, logging.getLogger("kombu.connection"): logging.ERROR}
    levels = {logger: logger.level for logger in loggers}
    for logger, level in loggers.items():
        logger.setLevel(level)
    synchronous = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            synchronous = cursor.execute("PRAGMA synchronous").fetchone()[0]
            cursor.execute("PRAGMA synchronous = OFF")
    try:
        yield
    finally:
        for logger, level in levels.items():
            logger.setLevel(level)
        if synchronous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA synchronous = {int(synchronous)}")


def load(*, enterprises_per_sector: int = 50, institutes_per_sector: int = 5, numbers=None) -> Result:
    """Create the demo. ``numbers`` limits it to some of the 21 alliances (tests use a few)."""
    rng = random.Random(SEED)
    real_now = timezone.now()
    today = timezone.localdate(real_now)
    numbers = sorted(numbers if numbers is not None else range(len(names.ALLIANCES)))
    previous = [n for n in numbers if n in PREVIOUS_CALL]
    current = [n for n in numbers if n in CURRENT_CALL]
    founded = real_now - timedelta(days=760)

    # Stored texts (notification titles, audit details) are written in the portal's language, as in a
    # request; management commands otherwise run with translations switched off.
    with translation.override(settings.LANGUAGE_CODE), _quiet_and_quick(), _delivery_held_back(), \
            time_machine.travel(founded, tick=False) as clock:
        maker = UserMaker()
        cast = build_staff(rng, maker)
        directory = build_units(rng, enterprises_per_sector=enterprises_per_sector,
                                institutes_per_sector=institutes_per_sector, verified_by=cast.officer,
                                verified_at=founded + timedelta(days=3))
        # The first expert (the "expert" login) works outside Zibo, so no demo alliance conflicts with them.
        affiliations = [*names.EXPERT_AFFILIATIONS[:3], directory.universities[0], *names.EXPERT_AFFILIATIONS[3:],
                        directory.universities[3]]
        cast.experts = build_experts(rng, maker, affiliations=affiliations)

        specs, chairs, chairmen = {}, {}, set()
        for number in numbers:
            sector, name, keywords, direction, targets = names.ALLIANCES[number]
            spec = Spec(number=number, sector=sector, name=name, keywords=keywords, direction=direction,
                        targets=targets)
            choose_members(rng, spec, directory, chairmen,
                           pending_invitations=3 if CURRENT_CALL.get(number) == stories.DRAFT_INCOMPLETE else 0)
            username, _note = NAMED_CHAIRS.get(number, (f"chair{number + 1:02d}", ""))
            chairs[number] = maker.make(username, spec.chairman.contact_person, Role.MEMBER, rng=rng,
                                        organisation=spec.chairman, is_org_admin=True)
            specs[number] = spec
        _extra_member_users(maker, rng, directory, specs)

        director = stories.Director(rng=rng, cast=cast, clock=clock, real_now=real_now)
        for position, number in enumerate(previous):
            ends_on = today - timedelta(days=430) + timedelta(days=3 * position)
            specs[number].call_year = ends_on.year
            director.play(specs[number], PREVIOUS_CALL[number], chair_user=chairs[number], ends_on=ends_on,
                          returned_once=number in RETURNED_BEFORE_DESIGNATION)
        # The pilots' year since designation: projects, reports, plans, activities, assessments.
        operator = operation.Operator(rng=random.Random(SEED + 1), cast=cast, director=director, today=today)
        for number in previous:
            if number in operation.LIVES:
                operator.live(specs[number], operation.LIVES[number], chair_user=chairs[number])
        # Everyone has read what came before the last month; the last month's messages are still waiting.
        director.at(today - timedelta(days=30), 18, 0)
        for user in User.objects.filter(is_active=True):
            mark_all_read(by=user, before=timezone.now())
        for number in current:
            specs[number].call_year = today.year
            director.play(specs[number], CURRENT_CALL[number], chair_user=chairs[number],
                          ends_on=today - timedelta(days=1))
        calls.build(officer=cast.officer, now=real_now, previous=[specs[n].name for n in previous], drafts=[
            specs[n].name for n in current if CURRENT_CALL[n] in (stories.DRAFT, stories.DRAFT_INCOMPLETE)],
            ready=[specs[n].name for n in current if CURRENT_CALL[n] == stories.DRAFT])
        suppressed = len(getattr(mail, "outbox", []))
        mail.outbox = []
        # The demo's memberships went in partly around the services (compose.py): counted once here.
        tally.rebuild()

    if 0 in specs:  # issue 20, point 10: the showcase pilot's activity evidence and health
        with translation.override(settings.LANGUAGE_CODE), _quiet_and_quick(), _delivery_held_back():
            evidence.add_evidence(officer=cast.officer, alliance_name=specs[0].name)

    for number in numbers:
        state = Alliance.objects.get(name=specs[number].name).state
        story = PREVIOUS_CALL.get(number) or CURRENT_CALL[number]
        expected = operation.EXPECTED_STATE[operation.LIVES[number]] if number in previous and \
            number in operation.LIVES else stories.EXPECTED_STATE[story]
        if state != expected:
            raise RuntimeError(f"{specs[number].name} ended in {state}, expected {expected}")
    return Result(logins=logins(), units=len(directory.all()), alliances=_state_counts(),
                  after_designation=after_designation(), emails_suppressed=suppressed)


def _extra_member_users(maker, rng, directory, specs) -> dict[str, User]:
    extra = {}
    if 0 in specs:
        extra["colleague"] = maker.make("colleague", "周晓燕", Role.MEMBER, rng=rng, organisation=specs[0].chairman)
    extra["sdut"] = maker.make("sdut", "科技处 梁明", Role.MEMBER, rng=rng, organisation=directory.universities[0],
                               is_org_admin=True)
    extra["newunit"] = maker.make("newunit", directory.pending[0].contact_person, Role.MEMBER, rng=rng,
                                  organisation=directory.pending[0], is_org_admin=True)
    return extra


def after_designation() -> dict[str, dict[str, int]]:
    """What the designated alliances have done since: records counted by state, one query per kind."""

    def by(queryset, field):
        return {str(row[field]): row["n"] for row in queryset.values(field).annotate(n=Count("pk")).order_by(field)}

    reports = ProgressReport.objects.aggregate(on_time=Count("pk", filter=Q(is_late=False)),
                                               late=Count("pk", filter=Q(is_late=True)))
    rectifications = Rectification.objects.aggregate(under_way=Count("pk", filter=Q(closed_at__isnull=True)),
                                                     closed=Count("pk", filter=Q(closed_at__isnull=False)))
    return {
        "projects": by(Project.objects, "state"),
        "progress reports": {"on time": reports["on_time"], "late": reports["late"]},
        "change requests": by(ChangeRequest.objects, "status"),
        "development plans": by(DevelopmentPlan.objects, "status"),
        "activities": by(Activity.objects, "kind"),
        "assessments": by(AssessmentRound.objects, "status"),
        "assessment outcomes": by(AssessmentRound.objects.exclude(outcome=""), "outcome"),
        "rectifications": {"under way": rectifications["under_way"], "closed": rectifications["closed"]},
    }


def _state_counts() -> dict[str, int]:
    counts = {}
    for state in Alliance.objects.values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return counts


def logins() -> list[Login]:
    """The demo logins as they stand in the database (also when the demo was loaded earlier)."""
    users = {u.username: u for u in User.objects.select_related(
        "organisation", "department_membership__department", "expert_profile").filter(email__endswith="@example.com")}
    rows = []

    def add(role, username, note=""):
        user = users.get(username)
        if user is not None:
            rows.append(Login(str(role.label), username, user.full_name, note))

    add(Role.ADMIN, "admin", "superuser, /admin/")
    add(Role.OFFICER, "officer", "screens, assigns experts, designates")
    add(Role.OFFICER, "officer2")
    for username, note in NAMED_CHAIRS.values():
        user = users.get(username)
        add(Role.MEMBER, username, f"organisation admin, {user.organisation}: {note}" if user else "")
    colleague = users.get("colleague")
    add(Role.MEMBER, "colleague", f"not an organisation admin, {colleague.organisation}" if colleague else "")
    add(Role.MEMBER, "sdut", "technical support unit (university)")
    add(Role.MEMBER, "newunit", "registered unit awaiting verification")
    for number, note in operation.CHAIR_NOTES.items():
        add(Role.MEMBER, f"chair{number + 1:02d}", note)
    chairs = sorted(name for name in users if name.startswith("chair"))
    if chairs:
        rows.append(Login(str(Role.MEMBER.label), f"{chairs[0]} … {chairs[-1]}", "",
                          "organisation admins of the other chairman units"))
    for username in ("expert", "expert2", "expert3"):
        user = users.get(username)
        add(Role.EXPERT, username, user.expert_profile.affiliation_name if user else "")
    experts = sorted((name for name in users if name.startswith("expert") and name[6:].isdigit()), key=lambda name: int(name[6:]))
    if len(experts) > 2:
        rows.append(Login(str(Role.EXPERT.label), f"expert4 … {experts[-1]}", "", "more experts"))
    for username in ("dept_kj", "dept_fg", "dept_gx"):
        user = users.get(username)
        add(Role.DEPARTMENT_REVIEWER, username, str(user.department_membership.department) if user else "")
    add(Role.DISTRICT_REVIEWER, "district", "张店区")
    add(Role.LIAISON, "liaison", "liaison officer of pilot alliances")
    add(Role.LIAISON, "liaison2", "liaison officer of pilot alliances")
    return rows
