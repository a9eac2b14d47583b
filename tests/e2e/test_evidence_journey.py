"""Evidence in a real browser (issue 20, point 10): the chairman unit records an activity and uploads its photo;
a wrong file is refused beside the field with what was typed kept; the officer rates the six health
dimensions beside the life-cycle stage, and the alliance page shows them."""

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.roles import Role
from assessments import services as assessment_services
from assessments.models import HealthScore
from projects.models import ActivityAttachment
from tests.assessments.conftest import designate_pilot
from tests.factories import PASSWORD, UserFactory, member_user

from .helpers import login, shot

pytestmark = pytest.mark.e2e

ALLIANCE = "淄博先进陶瓷产业技术创新战略联盟"
DIMENSIONS = {
    "technology_development": ("4", "低温烧结工艺已中试"),
    "economic_condition": ("3", "成员营收持平"),
    "industry_position": ("4", "国内细分领域前三"),
    "structural_stability": ("2", "两家成员单位退出"),
    "management_mechanisms": ("4", "理事会按章程运行"),
    "innovation_goals": ("5", "技术路线图清晰"),
}


def _photo(tmp_path):
    path = tmp_path / "技术交流会现场.png"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (31, 111, 176)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def cast(live_server):
    officer = UserFactory(roles=[Role.OFFICER], full_name="科技局 王科长")
    chairman = member_user(full_name="联盟秘书长 刘洋")
    with time_machine.travel(timezone.localtime() - datetime.timedelta(days=400), tick=False):
        alliance = designate_pilot(chairman, officer, name=ALLIANCE)
    assessment = assessment_services.open_assessment(alliance, by=officer)
    return {"officer": officer, "chairman": chairman, "alliance": alliance, "assessment": assessment}


def test_activity_photo_and_health_dimensions(page, live_server, cast, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())
    alliance = cast["alliance"]

    # The chairman unit records an activity and is taken to its page to file the evidence.
    login(page, live_server, cast["chairman"].username, PASSWORD)
    page.goto(f"{live_server.url}/projects/alliance/{alliance.pk}/activities/")
    page.fill("#id_date", (timezone.localdate() - datetime.timedelta(days=3)).isoformat())
    page.select_option("#id_kind", "technology_exchange")
    page.fill("#id_title", "先进陶瓷低温烧结技术交流会")
    page.fill("#id_participants", "15家成员单位、山东理工大学")
    page.fill("#id_participant_count", "60")
    page.fill("#id_outcome", "签订合作意向3项")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".alert-success")).to_contain_text("活动已登记")
    expect(page.locator("h1")).to_have_text("先进陶瓷低温烧结技术交流会")

    # A document chosen as a photo is refused beside the field; the description typed stays.
    bad = tmp_path / "会议纪要.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage")
    page.select_option("#id_kind", "photo")
    page.set_input_files("#id_files", str(bad))
    page.fill("#id_description", "会场全景")
    page.get_by_role("button", name="上传").click()
    expect(page.locator("#file-evidence")).to_contain_text("会议纪要.pdf")
    expect(page.locator("#id_description")).to_have_value("会场全景")
    expect(page.locator("#id_kind")).to_have_value("photo")
    shot(page, "evidence-01-wrong-file-refused")

    page.set_input_files("#id_files", str(_photo(tmp_path)))
    page.get_by_role("button", name="上传").click()
    expect(page.locator(".alert-success")).to_contain_text("已上传 1 个文件")
    row = page.locator("#evidence .evidence-row[data-kind=photo]")
    expect(row).to_contain_text("技术交流会现场.png")
    expect(row).to_contain_text("会场全景")
    thumb = row.locator("img.evidence-thumb")
    expect(thumb).to_be_visible()
    assert thumb.evaluate("img => img.naturalWidth") == 320  # the photo itself, served through the portal
    shot(page, "evidence-02-activity-photo")
    page.goto(f"{live_server.url}/projects/alliance/{alliance.pk}/activities/")
    expect(page.locator("#activities")).to_contain_text("照片 1")
    shot(page, "evidence-03-activity-list")
    assert ActivityAttachment.objects.get().content_type == "image/png"

    # The officer rates the six health dimensions beside the stage on the assessment page.
    page.context.clear_cookies()
    login(page, live_server, cast["officer"].username, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{cast['assessment'].pk}/")
    page.select_option("#id_stage", "growth")
    for dimension, (rating, comment) in DIMENSIONS.items():
        page.select_option(f"#id_{dimension}_rating", rating)
        if dimension != "structural_stability":
            page.fill(f"#id_{dimension}_comment", comment)
    page.get_by_role("button", name="保存阶段与健康度").click()
    # One comment left out: refused beside its field, every rating chosen is still there.
    expect(page.locator("#lifecycle")).to_contain_text("请简要说明“结构稳定性”的评定理由")
    expect(page.locator("#id_innovation_goals_rating")).to_have_value("5")
    expect(page.locator("#id_technology_development_comment")).to_have_value("低温烧结工艺已中试")
    shot(page, "evidence-04-health-form-error")
    page.fill("#id_structural_stability_comment", DIMENSIONS["structural_stability"][1])
    page.get_by_role("button", name="保存阶段与健康度").click()
    expect(page.locator(".alert-success")).to_contain_text("六个健康维度已评定")
    health = page.locator("#lifecycle [data-health]").first
    expect(health.locator("[data-dimension=structural_stability]")).to_contain_text("2 · 较差")
    expect(health.locator("[data-dimension=innovation_goals]")).to_contain_text("技术路线图清晰")
    shot(page, "evidence-05-assessment-health")
    assert HealthScore.objects.count() == 6

    # The alliance page shows the six dimensions beside the stage.
    page.goto(f"{live_server.url}/alliances/{alliance.pk}/")
    panel = page.locator("#assessment-panel")
    expect(panel).to_contain_text("成长期")
    expect(panel.locator("[data-dimension=technology_development]")).to_contain_text("技术发展")
    expect(panel.locator("[data-dimension=economic_condition]")).to_contain_text("3 · 一般")
    panel.scroll_into_view_if_needed()
    shot(page, "evidence-06-alliance-panel")
