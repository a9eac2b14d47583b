"""Seeds a file-based SQLite database for ``test_sqlite_concurrency`` (run in the server's environment with
``manage.py shell``): an officer, members who sign in, applications waiting for screening. Prints their ids."""

import json

from django.db import transaction

from accounts.roles import Role
from alliances.models import Alliance
from alliances.workflow import State
from tests.factories import AllianceFactory, UserFactory

with transaction.atomic():
    officer = UserFactory(username="officer", roles=[Role.OFFICER])
    members = [UserFactory(username=f"member{n}", roles=[Role.MEMBER]) for n in range(8)]
    applications = [AllianceFactory(name=f"并发测试产业技术创新战略联盟{n}") for n in range(12)]
    Alliance.objects.filter(pk__in=[a.pk for a in applications]).update(state=State.SUBMITTED, current_version=1)
print(json.dumps({"applications": [a.pk for a in applications], "members": [m.username for m in members]}))
