"""Who may see and change alliances and member units. One vocabulary for views, templates and querysets."""

import rules

from accounts.rules import (
    is_bureau_officer,
    is_department_reviewer,
    is_district_reviewer,
    is_liaison_officer,
    is_member_user,
)
from alliances.workflow import EDITABLE_BY_APPLICANT, State

from .models import Membership

sees_all_alliances = is_bureau_officer | is_department_reviewer | is_liaison_officer


@rules.predicate
def is_chairman_user(user, alliance):
    return bool(alliance is not None and user.organisation_id and alliance.chairman_id == user.organisation_id)


@rules.predicate
def is_confirmed_member(user, alliance):
    if alliance is None or not user.organisation_id:
        return False

    return alliance.memberships.filter(
        organisation_id=user.organisation_id, status=Membership.Status.CONFIRMED
    ).exists()


@rules.predicate
def is_invited_member(user, alliance):
    if alliance is None or not user.organisation_id:
        return False

    return alliance.memberships.filter(organisation_id=user.organisation_id, status=Membership.Status.INVITED).exists()


@rules.predicate
def application_is_editable(user, alliance):
    return alliance is not None and alliance.state in EDITABLE_BY_APPLICANT


@rules.predicate
def organisation_is_verified(user):
    return bool(user.organisation_id and user.organisation.is_verified)


@rules.predicate
def is_district_reviewer_in_its_step(user, alliance):
    """The chairman unit's district reviews the application while it waits for the district's recommendation."""
    return bool(alliance is not None and user.district_id and alliance.state == State.DISTRICT_REVIEW
                and alliance.chairman.district_id == user.district_id)


is_member_of_alliance = is_chairman_user | is_confirmed_member
reviews_for_district = is_district_reviewer & is_district_reviewer_in_its_step

rules.add_perm("alliances.view_alliance",
               sees_all_alliances | is_member_of_alliance | is_invited_member | reviews_for_district)
rules.add_perm("alliances.create_alliance", is_member_user & rules.predicates.is_authenticated)
rules.add_perm("alliances.edit_application", is_member_user & is_chairman_user & application_is_editable)
rules.add_perm("alliances.submit_application",
               is_member_user & is_chairman_user & application_is_editable & organisation_is_verified)
rules.add_perm("alliances.download_agreement", sees_all_alliances | is_member_of_alliance | reviews_for_district)
rules.add_perm("alliances.view_all_alliances", sees_all_alliances)


@rules.predicate
def is_own_open_invitation(user, membership):
    return bool(membership is not None and user.organisation_id
                and membership.organisation_id == user.organisation_id
                and membership.status == Membership.Status.INVITED)


rules.add_perm("alliances.respond_to_invitation", is_member_user & is_own_open_invitation)
rules.add_perm("alliances.see_duplicate_warning", sees_all_alliances)
rules.add_perm("alliances.view_versions", sees_all_alliances | is_member_of_alliance)
rules.add_perm("alliances.import_alliances", is_bureau_officer)
