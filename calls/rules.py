"""Who may manage calls and see their funnel; published calls are public."""

import rules

from accounts.rules import is_bureau_officer


@rules.predicate
def is_published_call(user, call):
    return bool(call is not None and call.is_published)


rules.add_perm("calls.manage_call", is_bureau_officer)
rules.add_perm("calls.view_funnel", is_bureau_officer)
rules.add_perm("calls.view_call", is_bureau_officer | is_published_call)
