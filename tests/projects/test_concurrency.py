"""Officers approving at the same moment get distinct approval numbers; colleagues filing the same period's
progress report at the same moment produce one report. Real threads on PostgreSQL."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from projects import services
from projects.errors import AlreadyReported
from projects.models import ProgressReport, Project
from projects.workflow import ProjectState

from .factories import ProjectFactory, approved_project

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _race(calls):
    """Run the callables in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the test inspects what each thread met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_simultaneous_approvals_get_distinct_consecutive_numbers(using_postgres, alliance, officer, admin_user):
    projects = [ProjectFactory(alliance=alliance, state=ProjectState.SUBMITTED) for _ in range(6)]
    deciders = [officer, admin_user]
    results = _race([
        (lambda pk=project.pk, by=deciders[i % 2]: services.approve_project(
            Project.objects.get(pk=pk), by=by, granted_funding=Decimal("100")))
        for i, project in enumerate(projects)
    ])
    assert not [r for r in results if isinstance(r, Exception)]
    numbers = sorted(Project.objects.values_list("approval_number", flat=True))
    assert numbers == [f"LM-2026-{n:04d}" for n in range(1, 7)]


def test_simultaneous_reports_for_one_period_make_one_report(using_postgres, alliance, lead_membership, lead_user,
                                                             secretariat):
    project = approved_project(alliance=alliance, lead_unit=lead_membership.organisation)
    values = {"started": True, "completed_self_raised": Decimal("100"), "completed_bank_loans": Decimal("0"),
              "completed_government": Decimal("0"), "completed_other": Decimal("0"),
              "government_funds_used": Decimal("0"), "patents_applied": 1, "patents_granted": 0, "standards": 0,
              "new_products": 0, "technical_secrets": 0, "problems": "", "help_needed": "",
              "decrease_explanation": ""}
    results = _race([
        (lambda by=user: services.submit_progress_report(Project.objects.get(pk=project.pk), by=by,
                                                         period_start=date(2026, 1, 1), values=values))
        for user in (lead_user, secretariat, lead_user, secretariat)
    ])
    assert ProgressReport.objects.filter(project=project).count() == 1
    assert sum(isinstance(r, ProgressReport) for r in results) == 1
    assert sum(isinstance(r, AlreadyReported) for r in results) == 3
    project.refresh_from_db()
    assert project.state == ProjectState.IN_PROGRESS
