"""Who may see and act on assessments. One vocabulary for views, templates and querysets."""

import rules

from accounts.rules import is_bureau_officer, is_expert, is_member_user
from alliances.rules import is_chairman_user, is_member_of_alliance, sees_all_alliances
from alliances.workflow import State

from .models import AssessmentRound


@rules.predicate
def is_member_of_assessed_alliance(user, assessment):
    return assessment is not None and is_member_of_alliance(user, assessment.alliance)


@rules.predicate
def is_chairman_of_assessed_alliance(user, obj):
    """``obj`` is an assessment round or a rectification: both name their alliance."""
    return obj is not None and is_chairman_user(user, obj.alliance)


@rules.predicate
def self_assessment_is_open(user, assessment):
    return assessment is not None and assessment.status == AssessmentRound.Status.SELF_ASSESSMENT


@rules.predicate
def is_assigned_expert(user, assignment):
    return bool(assignment is not None and user.is_authenticated and assignment.expert.user_id == user.pk)


@rules.predicate
def scorecard_is_open(user, assignment):
    return (assignment is not None and assignment.submitted_at is None
            and assignment.round.status == AssessmentRound.Status.EXPERT_SCORING)


@rules.predicate
def rectification_awaits_report(user, rectification):
    return (rectification is not None and rectification.is_open and rectification.reported_at is None
            and rectification.reassessment_id is None and rectification.alliance.state == State.RECTIFICATION)


rules.add_perm("assessments.view_assessment_list", sees_all_alliances | is_member_user)
rules.add_perm("assessments.view_assessment", sees_all_alliances | is_member_of_assessed_alliance)
rules.add_perm("assessments.manage_assessments", is_bureau_officer)
rules.add_perm("assessments.view_expert_scores", is_bureau_officer)
rules.add_perm("assessments.edit_self_assessment",
               is_member_user & is_chairman_of_assessed_alliance & self_assessment_is_open)
rules.add_perm("assessments.view_scorecards", is_expert)
rules.add_perm("assessments.view_assignment", is_expert & is_assigned_expert)
rules.add_perm("assessments.score_assessment", is_expert & is_assigned_expert & scorecard_is_open)
rules.add_perm("assessments.view_rectification", sees_all_alliances | is_member_of_assessed_alliance)
rules.add_perm("assessments.report_rectification",
               is_member_user & is_chairman_of_assessed_alliance & rectification_awaits_report)
