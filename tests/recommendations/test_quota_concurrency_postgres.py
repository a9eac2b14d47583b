"""Under real concurrency (PostgreSQL, one connection per thread) a district never exceeds its quota: the
recommendations of a call are serialised on the call's row."""

import threading

import pytest
from django.db import close_old_connections, connection

from alliance_portal.core.errors import WorkflowError
from alliances.models import Alliance
from alliances.workflow import State
from recommendations import services
from recommendations.models import DistrictRecommendation

from .conftest import letter, waiting_application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def run_together(count, work):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def target(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except WorkflowError as refusal:
            results[i] = refusal.message
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


def test_six_simultaneous_recommendations_fill_a_quota_of_two(using_postgres, call, reviewer):
    applications = [waiting_application(call, name=f"联盟{i}") for i in range(6)]
    letters = [letter() for _ in applications]
    results = run_together(6, lambda i: services.recommend(Alliance.objects.get(pk=applications[i].pk),
                                                           letter=letters[i], by=reviewer))
    refusals = [r for r in results if isinstance(r, str)]
    assert len(refusals) == 4
    # the threads speak the site's default language (translation overrides are per thread)
    assert all(r.startswith("“第一批”每个区县限推荐2项；张店区已推荐2项") for r in refusals), refusals
    recommended = DistrictRecommendation.objects.filter(decision="recommended")
    assert sorted(recommended.values_list("rank", flat=True)) == [1, 2]
    assert Alliance.objects.filter(pk__in=[a.pk for a in applications], state=State.SUBMITTED).count() == 2
    assert Alliance.objects.filter(pk__in=[a.pk for a in applications], state=State.DISTRICT_REVIEW).count() == 4
