"""Who may do what in the review workflow. One vocabulary for views, templates, the API and querysets.

Which role may apply which transition is declared in ``alliances.workflow.TRANSITIONS`` and checked by
``alliances.transitions.transition``; these predicates guard the pages around it.
"""

import rules

from accounts.rules import is_bureau_officer, is_department_reviewer, is_expert, is_officer
from alliances.rules import is_member_of_alliance, sees_all_alliances


@rules.predicate
def is_assigned_expert(user, assignment):
    return bool(assignment is not None and user.is_authenticated and assignment.expert.user_id == user.pk)


@rules.predicate
def has_joint_review_department(user):
    membership = getattr(user, "department_membership", None) if user.is_authenticated else None
    return bool(membership and membership.department.joins_joint_review and membership.department.is_active)


is_joint_reviewer = is_department_reviewer & has_joint_review_department

rules.add_perm("reviews.view_queue", is_bureau_officer)
rules.add_perm("reviews.review_application", is_bureau_officer)
rules.add_perm("reviews.issue_official_documents", is_officer)  # officers proper, not administrators
rules.add_perm("reviews.view_my_assignments", is_expert)
rules.add_perm("reviews.score_assignment", is_expert & is_assigned_expert)
rules.add_perm("reviews.give_opinion", is_joint_reviewer)
rules.add_perm("reviews.resolve_objection", is_bureau_officer)
rules.add_perm("reviews.assign_supervision", is_bureau_officer)
rules.add_perm("reviews.view_certificate", sees_all_alliances | is_member_of_alliance)
