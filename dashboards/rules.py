"""Who may see the bureau dashboard: the roles that see every alliance (bureau, departments, liaison)."""

import rules

from alliances.rules import sees_all_alliances

rules.add_perm("dashboards.view_dashboard", sees_all_alliances)
