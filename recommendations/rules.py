"""Who may act as the district (区县推荐) and who may read its letters."""

import rules

from accounts.rules import is_district_reviewer
from alliances.rules import is_chairman_user, sees_all_alliances


@rules.predicate
def has_district(user):
    return bool(user.is_authenticated and user.district_id)


@rules.predicate
def is_reviewer_of_its_district(user, recommendation):
    return bool(recommendation is not None and user.district_id and recommendation.district_id == user.district_id)


@rules.predicate
def is_applicant_of(user, recommendation):
    return recommendation is not None and is_chairman_user(user, recommendation.alliance)


is_scoped_district_reviewer = is_district_reviewer & has_district

rules.add_perm("recommendations.review_district", is_scoped_district_reviewer)
rules.add_perm("recommendations.download_letter",
               sees_all_alliances | (is_scoped_district_reviewer & is_reviewer_of_its_district) | is_applicant_of)
