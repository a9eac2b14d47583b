"""REST API of the review workflow (expert assignments, scores, joint review, designations)."""

ROUTES = []
