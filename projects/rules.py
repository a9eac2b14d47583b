"""Who may see and act on projects and alliance operation records. One vocabulary for views, templates
and querysets (``Project.objects.visible_to``)."""

import rules

from accounts.rules import is_bureau_officer, is_member_user
from alliances.models import Membership
from alliances.rules import is_member_of_alliance, sees_all_alliances

from .workflow import EDITABLE_BY_APPLICANT, RUNNING, ProjectState


def _organisation_leads_alliance(organisation_id, alliance) -> bool:
    """The organisation is the alliance's chairman or its (confirmed) secretariat unit."""

    if alliance is None or not organisation_id:
        return False
    if alliance.chairman_id == organisation_id:
        return True
    return alliance.memberships.filter(
        organisation_id=organisation_id, status=Membership.Status.CONFIRMED,
        role__in=[Membership.Role.CHAIRMAN, Membership.Role.SECRETARIAT],
    ).exists()


@rules.predicate
def is_alliance_secretariat(user, alliance):
    """The user works for the alliance's chairman unit or its secretariat."""
    return _organisation_leads_alliance(user.organisation_id, alliance)


@rules.predicate
def is_project_alliance_member(user, project):
    return project is not None and is_member_of_alliance(user, project.alliance)


@rules.predicate
def is_project_applicant(user, project):
    """The lead unit (still a confirmed member) or the alliance's secretariat acts for the project."""
    if project is None or not user.organisation_id:
        return False
    if user.organisation_id == project.lead_unit_id and is_member_of_alliance(user, project.alliance):
        return True
    return _organisation_leads_alliance(user.organisation_id, project.alliance)


# Object-only predicates still take the user first: ``rules`` passes a one-argument predicate the user.
@rules.predicate
def project_is_editable(_user, project):
    return project is not None and project.state in EDITABLE_BY_APPLICANT


@rules.predicate
def project_is_running(_user, project):
    return project is not None and project.state in RUNNING


@rules.predicate
def project_is_filed(_user, project):
    return project is not None and project.state != ProjectState.DRAFT


applicant = is_member_user & is_project_applicant

rules.add_perm("projects.view_all_projects", sees_all_alliances)
rules.add_perm("projects.file_project", is_member_user & is_member_of_alliance)
rules.add_perm("projects.view_project", (sees_all_alliances & project_is_filed) | is_project_alliance_member)
rules.add_perm("projects.edit_project", applicant & project_is_editable)
rules.add_perm("projects.decide_project", is_bureau_officer)
rules.add_perm("projects.report_progress", applicant & project_is_running)
rules.add_perm("projects.request_change", applicant & project_is_running)
rules.add_perm("projects.decide_change", is_bureau_officer)
rules.add_perm("projects.set_report_period", is_bureau_officer)
rules.add_perm("projects.view_alliance_records", sees_all_alliances | is_member_of_alliance)
rules.add_perm("projects.file_alliance_records", is_member_user & is_alliance_secretariat)
rules.add_perm("projects.acknowledge_plan", is_bureau_officer)
