"""REST API of the bureau dashboard: aggregates computed in the database."""

ROUTES = []
