"""Every object URL of one organisation (collected from the URL resolver) requested by every other role,
counted per role.

Outsiders (another member unit, an expert not assigned, a district reviewer of another district, an
anonymous visitor) get 404 or 403 (anonymous: the login page, or 401 from the API) on every one. The
bureau's readers (a department reviewer, the liaison officer of another alliance) may read every
alliance by design (the API's permission matrix says so too); what they may not do is change anything:
their every POST is refused, and for everyone the organisation's data is byte-for-byte the same after.
"""

from collections import Counter

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from . import world as world_module
from .conftest import settle

pytestmark = [pytest.mark.resilience, pytest.mark.django_db]

OUTSIDERS = ("other_member", "unassigned_expert", "other_district_reviewer", "anonymous")
BUREAU_READERS = ("department_reviewer", "other_liaison")


def _status(response) -> int:
    settle(response)  # file downloads stream: close the file
    return response.status_code


def _ask(client: Client, url: str):
    response = client.get(url)
    _status(response)
    if response.status_code == 405:  # an action that only answers POST: try the action itself
        response = client.post(url, {})
        _status(response)
        return "POST", response
    return "GET", response


def _refused(role: str, response) -> bool:
    if response.status_code in (403, 404):
        return True
    if role == "anonymous":
        login = resolve_url(settings.LOGIN_URL)
        return response.status_code == 401 or (
            response.status_code == 302 and response["Location"].startswith(login))
    return False


def _client(world, role) -> Client:
    client = Client(raise_request_exception=False)
    if world.people[role] is not None:
        client.force_login(world.people[role])
    return client


def test_every_object_url_of_an_organisation_is_refused_to_every_other_role(report):
    world = world_module.build()
    urls, unmapped = world_module.object_urls(world)
    assert len(urls) >= 100
    if unmapped:  # URLs of apps newer than the seeded world: listed, to be given an object in world.py
        report(f"not covered yet ({len(unmapped)}): {', '.join(unmapped)}")

    owner = Client()
    owner.force_login(world.people["owner"])
    readable = ("alliances:detail", "alliances:diff", "alliances:download_agreement", "projects:detail",
                "projects:attachment_download", "projects:report_detail", "projects:change_detail",
                "api:alliance-detail", "api:project-detail", "api:notification-detail", "calls:download_document")
    assert {name: _status(owner.get(url)) for name, url in urls if name in readable} == dict.fromkeys(readable, 200)

    before = world_module.state(world)
    problems = []
    for role in OUTSIDERS + BUREAU_READERS:
        client = _client(world, role)
        counts, reads, refused_writes = Counter(), 0, 0
        for name, url in urls:
            method, response = _ask(client, url)
            counts[response.status_code] += 1
            if response.status_code >= 500 or (role in OUTSIDERS and not _refused(role, response)):
                problems.append(f"{role} {method} {url} ({name}) → {response.status_code}")
            elif role in BUREAU_READERS and method == "GET" and response.status_code == 200:
                reads += 1
            elif role in BUREAU_READERS and method == "POST":
                refused_writes += 1  # refused with 403/404/400, or a "not allowed" message and a redirect
        summary = ", ".join(f"{n}×{status}" for status, n in sorted(counts.items()))
        extra = f" ({reads} reads by design, {refused_writes} writes refused)" if role in BUREAU_READERS else ""
        report(f"{role}: {len(urls)} object URLs → {summary}{extra}")

    assert not problems, "\n".join(problems)
    assert world_module.state(world) == before, "a refused request changed the organisation's data"
    report(f"{len(urls)} object URLs × {len(OUTSIDERS + BUREAU_READERS)} roles = "
           f"{len(urls) * len(OUTSIDERS + BUREAU_READERS)} requests: no outsider got in, no 500, nothing changed")


def test_attachment_whose_file_is_gone_is_a_404_not_a_500(report):
    world = world_module.build()
    attachment = world.objects["attachment"]
    attachment.file.delete(save=False)
    owner = Client(raise_request_exception=False)
    owner.force_login(world.people["owner"])
    response = owner.get(f"/projects/attachments/{attachment.pk}/")
    assert response.status_code == 404
    report("project attachment row without its file → 404 (was a 500)")


def test_approval_page_of_an_approved_project_redirects_instead_of_failing(officer, report):
    world = world_module.build()
    project = world.objects["project"]  # approved already
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    response = client.get(f"/projects/{project.pk}/approve/")
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/"
    report("approval page of an approved project → back to the project with a message (was a 500)")
