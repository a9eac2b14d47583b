"""Two clicks on "submit" at the same moment (two tabs, two colleagues) make one version, not two; an invitation
answered while the application is being submitted waits for the lock. Needs PostgreSQL's row locks."""

import threading

import pytest
from django.db import connection

from alliances import services
from alliances.models import ApplicationVersion, StateTransition
from tests.factories import eligible_alliance, member_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def worker(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()  # the thread's own connection, or the test database cannot be dropped

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def test_simultaneous_submissions_make_one_version(using_postgres):
    chairman = member_user()
    alliance = eligible_alliance(chairman=chairman.organisation)
    results, errors = run_together(*[lambda: services.submit_application(alliance, by=chairman)] * 3)
    assert errors == []
    assert sorted(result is None for result in results) == [False, True, True]
    assert ApplicationVersion.objects.filter(alliance=alliance).count() == 1
    assert StateTransition.objects.filter(alliance=alliance, action="submit").count() == 1


def test_confirmation_racing_a_submission_is_settled_before_the_snapshot(using_postgres):
    chairman = member_user()
    alliance = eligible_alliance(chairman=chairman.organisation)
    invitee = member_user()
    invitation = services.invite_member(alliance, by=chairman, credit_code=invitee.organisation.credit_code)
    _results, errors = run_together(
        lambda: services.submit_application(alliance, by=chairman),
        lambda: services.respond_to_invitation(invitation, by=invitee, accept=True),
    )
    assert errors == []
    snapshot = ApplicationVersion.objects.get(alliance=alliance).snapshot
    frozen = {m["credit_code"]: m["status"] for m in snapshot["members"]}
    invitation.refresh_from_db()
    # Either order is fine; what the version shows is what was true when it was frozen.
    assert frozen[invitee.organisation.credit_code] in ("invited", "confirmed")
    assert invitation.status == "confirmed"
