"""The pages read in Chinese (the default language): state words, dates as 2026年1月1日, money in 万元;
and the projects catalogue translates every message."""

from datetime import date
from pathlib import Path

import polib
import pytest

from projects.workflow import ProjectState

from .factories import approved_project, report_for

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "projects" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_catalogue_translates_every_message():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue if not entry.translated() or "fuzzy" in entry.flags]
    assert untranslated == []


def test_project_page_in_chinese(client, alliance, lead_membership, officer):
    project = approved_project(alliance=alliance, lead_unit=lead_membership.organisation,
                               state=ProjectState.IN_PROGRESS, number="LM-2026-0003")
    report_for(project, period_start=date(2026, 1, 1), completed=("100", "0", "0", "0"))
    client.force_login(officer)
    page = client.get(f"/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for text in ("立项编号", "实施中", "2026年1月1日", "牵头单位", "分年度、分来源投资计划（万元）", "进展报告",
                 "累计完成投资", "节点目标", "办理过程", "变更记录", "实施监测"):
        assert text in page, text


def test_list_page_in_chinese(client, alliance, officer):
    approved_project(alliance=alliance, state=ProjectState.IN_PROGRESS)
    client.force_login(officer)
    page = client.get("/projects/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for text in ("联盟项目", "共1个项目", "仅看逾期", "共性技术研发", "操作", "逾期"):
        assert text in page, text
