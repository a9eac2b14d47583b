"""Under real concurrency (PostgreSQL, one connection per thread): one designation per grant, and
certificate numbers without gaps or duplicates."""

import datetime
import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from alliances.models import Alliance, StateTransition
from alliances.workflow import State
from reviews import services
from reviews.models import Designation, PublicNotice
from tests.factories import AllianceFactory, OrganisationFactory, SectorFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def run_together(count, work):
    """Start ``count`` threads at the same moment; each runs ``work(i)`` on its own connection."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def target(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:  # collected and re-raised in the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    assert not errors, errors
    return results


def ready_for_designation(sector) -> Alliance:
    alliance = AllianceFactory(sector=sector, chairman=OrganisationFactory())
    Alliance.objects.filter(pk=alliance.pk).update(state=State.PUBLIC_NOTICE, current_version=1)
    today = timezone.localdate()
    PublicNotice.objects.create(alliance=alliance, version=1, starts_on=today - datetime.timedelta(days=10),
                                ends_on=today - datetime.timedelta(days=1))
    alliance.refresh_from_db()
    return alliance


def test_twenty_simultaneous_grants_make_one_designation(using_postgres, officer):
    alliance = ready_for_designation(SectorFactory())
    results = run_together(20, lambda i: services.grant_pilot(Alliance.objects.get(pk=alliance.pk), by=officer).pk)
    assert Designation.objects.filter(alliance=alliance).count() == 1
    assert len(set(results)) == 1
    assert StateTransition.objects.filter(alliance=alliance, action="grant_pilot").count() == 1
    alliance.refresh_from_db()
    assert alliance.state == State.PILOT


def test_fifty_simultaneous_designations_get_consecutive_numbers(using_postgres, officer):
    sector = SectorFactory()
    alliances = [ready_for_designation(sector) for _ in range(50)]
    run_together(50, lambda i: services.grant_pilot(Alliance.objects.get(pk=alliances[i].pk), by=officer).pk)
    year = timezone.localdate().year
    numbers = sorted(Designation.objects.filter(year=year).values_list("sequence", flat=True))
    assert numbers == list(range(1, 51))
    certificates = set(Designation.objects.values_list("certificate_number", flat=True))
    assert certificates == {f"〔{year}〕{n:03d}" for n in range(1, 51)}
    assert Designation.objects.values("alliance").distinct().count() == 50
