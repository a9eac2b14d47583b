"""Evidence on the showcase pilot (issue 20, point 10): one activity with its photo, sign-in sheet and
minutes, and its life-cycle stage with the six health dimensions rated. Kept apart from the rest of the demo
so that the demo of the whole life after designation can call it, or replace it, in one line."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from accounts.roles import Role
from alliances.models import Alliance
from alliances.workflow import DESIGNATED
from assessments import services as assessment_services
from projects import services as project_services
from projects.models import Activity
from projects.uploads import check_upload

from .pdf import agreement_pdf

HEALTH = {
    "technology_development": (4, "低温烧结等3项关键技术完成中试"),
    "economic_condition": (4, "成员单位销售收入同比增长12%"),
    "industry_position": (4, "国内先进陶瓷细分领域前三"),
    "structural_stability": (3, "本年度新增2家、退出1家成员单位"),
    "management_mechanisms": (5, "理事会、专家委员会按章程运行"),
    "innovation_goals": (5, "技术路线图与年度目标清晰"),
}


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (31, 111, 176)).save(buffer, format="PNG")
    return buffer.getvalue()


def _checked(name: str, content: bytes) -> SimpleUploadedFile:
    upload = SimpleUploadedFile(name, content)
    upload.checked_content_type = check_upload(upload)
    return upload


def add_evidence(*, officer, alliance_name: str) -> int:
    """Record the evidence on ``alliance_name`` if it is designated (a pilot, or one being assessed); returns the
    number of files filed."""
    pilot = Alliance.objects.filter(name=alliance_name, state__in=sorted(DESIGNATED)).first()
    chair = (User.objects.filter(organisation_id=pilot.chairman_id, groups__name=Role.MEMBER.value).first()
             if pilot else None)
    if chair is None:
        return 0
    activity = project_services.record_activity(alliance=pilot, by=chair, activity=Activity(
        date=timezone.localdate() - timedelta(days=20), kind=Activity.Kind.TECHNOLOGY_EXCHANGE,
        title="关键共性技术交流会", participants="成员单位15家、山东理工大学", participant_count=62,
        outcome="发布联盟技术路线图，签订合作意向3项"))
    files = 0
    for kind, name, content in (
            ("photo", "交流会现场.png", _photo()),
            ("sign_in_sheet", "签到表.pdf", agreement_pdf("Sign-in sheet", ["62 participants"], pages=1)),
            ("minutes", "会议纪要.pdf", agreement_pdf("Minutes", ["Technology roadmap published"], pages=1))):
        files += len(project_services.add_activity_evidence(activity=activity, by=chair, kind=kind,
                                                            uploads=[_checked(name, content)]))
    assessment_services.set_lifecycle_stage(pilot, by=officer, stage="growth", health=HEALTH,
                                            reason="成员稳定增长，项目陆续启动。")
    return files
