"""The call pages read in Chinese (the default language), and the calls catalogue translates every message."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

from tests.factories import AllianceFactory

from .conftest import make_call

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "calls" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_catalogue_translates_every_message():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue if not entry.translated() or "fuzzy" in entry.flags]
    assert untranslated == []


def test_public_call_page_in_chinese(client, officer):
    call = make_call(officer, requires_district_recommendation=True, uses_site_visits=True,
                     documents=[{"name": "区县推荐函", "is_required": True}])
    page = client.get(reverse("calls:detail", args=[call.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for text in ("申报时间", "截止时间", "受理中", "需上传的材料", "必交", "工作程序", "理事长单位所在区县审核推荐",
                 "对入围单位进行实地考察", "登录后申报", "年"):
        assert text in page, text


def test_officer_call_page_in_chinese(client, officer):
    call = make_call(officer)
    AllianceFactory(call=call)
    client.force_login(officer)
    page = client.get(reverse("calls:manage_detail", args=[call.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for text in ("申报进度漏斗", "草稿", "已提交", "已形式审查", "已认定", "本批次评分表", "延长申报期限"):
        assert text in page, text
