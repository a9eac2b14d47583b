"""Two officers import the same workbook at the same moment: it is imported once, the other import finds it
imported already (or is told to upload again); never two copies, never a 500. Needs PostgreSQL's row locks."""

import threading
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from alliances import importing
from alliances.models import Alliance, Organisation
from reviews.models import CertificateCounter, Designation
from tests.factories import OrganisationFactory

from .import_workbooks import code, valid_rows, workbook_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_simultaneous_imports_of_one_workbook_import_it_once(using_postgres, officer):
    unit = OrganisationFactory(name="淄博已注册软件有限公司", credit_code=code(90))
    content = workbook_bytes(*valid_rows(unit.credit_code, unit.name))
    organisations = Organisation.objects.count()
    barrier = threading.Barrier(3)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(importing.import_workbook(SimpleUploadedFile("x.xlsx", content), by=officer,
                                                     today=date(2026, 11, 25)))
        except importing.ImportRejected as rejected:
            results.append(rejected)
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    created = [r.alliances_created for r in results if isinstance(r, importing.ImportSummary)]
    assert sorted(created, reverse=True)[0] == 4
    assert sum(created) == 4
    assert Alliance.objects.count() == 4
    assert Designation.objects.count() == 4
    assert Organisation.objects.count() == organisations + 24
    assert dict(CertificateCounter.objects.values_list("year", "last_sequence")) == {2021: 2, 2022: 5, 2023: 31}
