"""The public call pages: readable without signing in, unpublished calls do not exist for the public, the guide is
Markdown rendered without raw HTML."""

from datetime import timedelta

import pytest
from django.urls import reverse

from calls import services
from tests.factories import SectorFactory

from .conftest import make_call

pytestmark = pytest.mark.django_db


def test_public_list_shows_open_and_recently_closed_published_calls(client, officer):
    open_call = make_call(officer, batch_number=1)
    recently = make_call(officer, batch_number=2, opens_in=timedelta(days=-60), closes_in=timedelta(days=-10))
    make_call(officer, batch_number=3, opens_in=timedelta(days=-400), closes_in=timedelta(days=-200))
    make_call(officer, batch_number=4, publish=False)
    response = client.get(reverse("calls:list"))
    assert response.status_code == 200
    page = response.content.decode()
    listed = [int(part.split('"')[0]) for part in page.split('data-call="')[1:]]
    assert listed == [open_call.pk, recently.pk]


def test_public_detail_shows_guide_sectors_window_documents_and_stages(client, officer):
    sector = SectorFactory(code="biomedicine", name="生物医药", name_en="Biomedicine")
    call = make_call(officer, sectors=[sector], requires_district_recommendation=True, uses_site_visits=True,
                     district_quota=3, guide="## 申报条件\n\n- 成员不少于**5家**",
                     documents=[{"name": "区县推荐函", "is_required": True},
                                {"name": "联盟章程", "is_required": False}])
    page = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
    assert "<h2>申报条件</h2>" in page
    assert "<strong>5家</strong>" in page
    assert "Biomedicine" in page[page.index('id="call-sectors"'):]  # the English page names it in English
    documents = page[page.index('id="call-documents"'):]
    assert documents.index("区县推荐函") < documents.index("联盟章程")
    stages = page[page.index('id="call-stages"'):]
    assert "District recommendation" in stages
    assert "at most 3 applications per district" in stages
    assert "Site visit for shortlisted applicants" in stages


def test_guide_raw_html_and_script_links_are_not_rendered(client, officer):
    call = make_call(officer, guide='<script>alert("x")</script>\n\n[点此](javascript:alert(1)) <img src=x onerror=y>')
    page = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
    guide = page[page.index('id="call-guide"'):page.index("</article>")]
    assert "<script>" not in guide
    assert "&lt;script&gt;" in guide
    assert 'href="javascript' not in guide
    assert "<img" not in guide


def test_unpublished_call_is_not_found_for_the_public_and_members(client, officer, member):
    call = make_call(officer, publish=False)
    assert client.get(reverse("calls:detail", args=[call.pk])).status_code == 404
    client.force_login(member)
    assert client.get(reverse("calls:detail", args=[call.pk])).status_code == 404
    services.publish(call, by=officer)
    assert client.get(reverse("calls:detail", args=[call.pk])).status_code == 200


def test_home_page_and_menu_link_to_the_calls(client):
    page = client.get(reverse("home")).content.decode()
    assert page.count(f'href="{reverse("calls:list")}"') == 2  # the menu and the landing page's button


@pytest.mark.parametrize("size", [2, 8])
def test_public_list_query_count_is_constant(client, officer, size, django_assert_num_queries):
    sector = SectorFactory()
    for number in range(size):
        make_call(officer, batch_number=number + 1, sectors=[sector])
    with django_assert_num_queries(2):  # the calls, their sectors
        response = client.get(reverse("calls:list"))
    assert response.content.decode().count("data-call=") == size
