"""Who may schedule site visits, record their findings and read them."""

import rules

from accounts.rules import is_bureau_officer
from reviews.rules import is_joint_reviewer


@rules.predicate
def is_team_member(user, visit):
    return bool(visit is not None and user.is_authenticated and visit.team.filter(pk=user.pk).exists())


rules.add_perm("site_visits.schedule_visit", is_bureau_officer)
rules.add_perm("site_visits.record_findings", is_bureau_officer)
rules.add_perm("site_visits.view_visit", is_bureau_officer | is_joint_reviewer | is_team_member)
