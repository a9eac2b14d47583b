"""Eligibility checks run before an application is submitted.

``check(alliance)`` returns every failed check as a ``Problem`` in plain words, with the numbers
the applicant needs ("Only 2 confirmed core enterprises; at least 3 are required."). The
thresholds are the bureau's ``EligibilityRules``. Only confirmed memberships count.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from .models import (
    Alliance,
    AllianceAgreement,
    EligibilityRules,
    GovernanceMember,
    Membership,
    Organisation,
    PlannedInvestment,
    RDPlatform,
    WorkPlan,
    YearlyTarget,
)

# The sections match the numbered steps of the application form.
BASIC, MEMBERS, GOVERNANCE, AGREEMENT, WORK_PLAN, ORGANISATION = (
    "basic", "members", "governance", "agreement", "work_plan", "organisation",
)
BASIC_REQUIRED = ("technical_direction", "output_targets", "secretariat_contact", "secretariat_phone")


@dataclass(frozen=True)
class Problem:
    code: str
    section: str
    message: str

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class MemberCounts:
    core_enterprises: int
    rd_organisations: int
    confirmed: int
    invited: int


def member_counts(alliance: Alliance) -> MemberCounts:
    """Confirmed core enterprises and R&D organisations, in one query."""
    has_platform = Exists(RDPlatform.objects.filter(organisation_id=OuterRef("organisation_id")))
    confirmed = Q(status=Membership.Status.CONFIRMED)
    rd = Q(organisation__kind__in=[Organisation.Kind.UNIVERSITY, Organisation.Kind.INSTITUTE]) | Q(has_platform=True)
    counts = (
        Membership.objects.filter(alliance=alliance)
        .annotate(has_platform=has_platform)
        .aggregate(
            core_enterprises=Count("pk", filter=confirmed & Q(is_core=True,
                                                               organisation__kind=Organisation.Kind.ENTERPRISE)),
            rd_organisations=Count("pk", filter=confirmed & rd),
            confirmed=Count("pk", filter=confirmed),
            invited=Count("pk", filter=Q(status=Membership.Status.INVITED)),
        )
    )
    return MemberCounts(**counts)


def _field_names(model, names) -> str:
    return pgettext("list separator", ", ").join(str(model._meta.get_field(name).verbose_name) for name in names)


def check(alliance: Alliance, rules: EligibilityRules | None = None) -> list[Problem]:
    """Every failed eligibility check of ``alliance``; an empty list means it may be submitted."""
    rules = rules or EligibilityRules.current()
    problems: list[Problem] = []
    problems += _check_organisation(alliance)
    problems += _check_basic(alliance)
    problems += _check_members(alliance, rules)
    if rules.require_governance:
        problems += _check_governance(alliance)
    if rules.require_agreement and not AllianceAgreement.objects.filter(alliance=alliance).exists():
        problems.append(Problem("agreement_missing", AGREEMENT,
                                _("The signed alliance agreement (PDF) has not been uploaded.")))
    if rules.require_work_plan:
        problems += _check_work_plan(alliance)
    if alliance.call_id:  # the documents its call asks for
        # Imported here: calls.selectors imports this module (calls and alliances still import each other)
        from calls.selectors import missing_document_problems

        problems += missing_document_problems(alliance)
    return problems


def _check_organisation(alliance):
    chairman = Organisation.objects.only("name", "verification").get(pk=alliance.chairman_id)
    if chairman.verification == Organisation.Verification.VERIFIED:
        return []
    if chairman.verification == Organisation.Verification.REJECTED:
        message = _("The bureau rejected the registration of the chairman unit “%(name)s”; an application can "
                    "be submitted only by a verified organisation. Please correct the organisation's details "
                    "and ask for verification again.")
    else:
        message = _("The chairman unit “%(name)s” has not been verified by the bureau yet; an application can be "
                    "submitted only after verification.")
    return [Problem("organisation_not_verified", ORGANISATION, message % {"name": chairman.name})]


def _check_basic(alliance):
    missing = [name for name in BASIC_REQUIRED if not str(getattr(alliance, name) or "").strip()]
    if not missing:
        return []
    return [Problem("basic_incomplete", BASIC,
                    _("Basic information is incomplete: %(fields)s missing.")
                    % {"fields": _field_names(Alliance, missing)})]


def _check_members(alliance, rules):
    counts = member_counts(alliance)
    problems = []
    waiting = ""
    if counts.invited:
        waiting = ngettext(
            "(%(count)d invitation is still waiting for an answer; it counts only once confirmed.)",
            "(%(count)d invitations are still waiting for an answer; they count only once confirmed.)",
            counts.invited,
        ) % {"count": counts.invited}
    if counts.core_enterprises < rules.min_core_enterprises:
        message = ngettext(
            "Only %(count)d confirmed core enterprise; at least %(required)d are required.",
            "Only %(count)d confirmed core enterprises; at least %(required)d are required.",
            counts.core_enterprises,
        ) % {"count": counts.core_enterprises, "required": rules.min_core_enterprises}
        problems.append(Problem("too_few_core_enterprises", MEMBERS, _with_note(message, waiting)))
    if counts.rd_organisations < rules.min_rd_organisations:
        message = ngettext(
            "Only %(count)d confirmed R&D organisation (a university, a research institute or a unit holding an "
            "R&D platform); at least %(required)d required.",
            "Only %(count)d confirmed R&D organisations (universities, research institutes or units holding an "
            "R&D platform); at least %(required)d required.",
            counts.rd_organisations,
        ) % {"count": counts.rd_organisations, "required": rules.min_rd_organisations}
        problems.append(Problem("too_few_rd_organisations", MEMBERS, _with_note(message, waiting)))
    return problems


def _with_note(message, note):
    if not note:
        return message
    return pgettext("a sentence followed by a note in brackets", "%(sentence)s %(note)s") % {
        "sentence": message, "note": note}


def _check_governance(alliance):
    bodies = set(GovernanceMember.objects.filter(alliance=alliance).values_list("body", flat=True).distinct())
    problems = []
    if GovernanceMember.Body.COUNCIL not in bodies:
        problems.append(Problem("no_council", GOVERNANCE, _("No council members are listed.")))
    if GovernanceMember.Body.EXPERT_COMMITTEE not in bodies:
        problems.append(Problem("no_expert_committee", GOVERNANCE,
                                _("No members of the expert technical committee are listed.")))
    if not alliance.standing_body.strip():
        problems.append(Problem("no_standing_body", GOVERNANCE, _("The standing body is not described.")))
    return problems


def _check_work_plan(alliance):
    plan = WorkPlan.objects.filter(alliance=alliance).first()
    if plan is None:
        return [Problem("work_plan_missing", WORK_PLAN, _("The work plan has not been filled in."))]
    problems = []
    missing = [name for name in WorkPlan.TEXT_FIELDS if not getattr(plan, name).strip()]
    if missing:
        problems.append(Problem("work_plan_incomplete", WORK_PLAN,
                                _("The work plan is incomplete: %(fields)s missing.")
                                % {"fields": _field_names(WorkPlan, missing)}))
    if not YearlyTarget.objects.filter(work_plan=plan).exists():
        problems.append(Problem("no_yearly_targets", WORK_PLAN,
                                _("The work plan has no measurable targets per year.")))
    if not PlannedInvestment.objects.filter(work_plan=plan).exists():
        problems.append(Problem("no_planned_investment", WORK_PLAN,
                                _("The work plan has no planned R&D investment.")))
    return problems


def sections_with_problems(problems) -> set[str]:
    return {problem.section for problem in problems}


