"""The demo's calls for applications: last cycle's closed call, holding the alliances designated from it, and this
year's open call (district recommendation and site visits), holding the drafts being prepared now."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db.models import Max, Min
from django.utils import timezone

from accounts.models import User
from alliances.models import Alliance, StateTransition
from calls import services
from calls.models import Call

from .pdf import agreement_pdf

GUIDE = """## 申报条件

1. 联盟由本市产业链上下游**核心企业不少于3家**、高校或科研院所不少于1家组成；
2. 签订具有法律约束力的联盟协议，设立理事会、专家技术委员会和常设机构；
3. 技术方向符合全市重点产业发展方向，有明确的年度目标和研发投入计划。

## 申报程序

- 理事长单位在线填报申报书并上传附件；
- 理事长单位所在区县科技主管部门审核推荐（出具推荐函）；
- 市科技局组织形式审查、专家评审和实地考察，经联席会审后公示、认定。

## 联系方式

市科技局产学研合作处，电话 0533-2345678。
"""
DOCUMENTS = [
    {"name": "成员单位营业执照（复印件加盖公章）", "name_en": "Business licences of the member units (sealed copies)",
     "is_required": True},
    {"name": "理事长单位近三年财务审计报告", "name_en": "Chairman unit's audited accounts of the last three years",
     "is_required": True},
    {"name": "联盟章程", "name_en": "Alliance charter", "is_required": False},
]


def _opening(moment):
    """09:00 Beijing time on the day of ``moment``: calls open at the start of office hours."""
    return timezone.localtime(moment).replace(hour=9, minute=0, second=0, microsecond=0)


def _closing(moment):
    """23:59 Beijing time on the day of ``moment``: calls close at the end of a day unless the bureau says
    otherwise."""
    return timezone.localtime(moment).replace(hour=23, minute=59, second=0, microsecond=0)


def build(*, officer: User, now, previous: list[str], drafts: list[str], ready: list[str]) -> list[Call]:
    """Create the two calls; ``previous``/``drafts`` are names of alliances to attach, ``ready`` get every document."""
    submitted = StateTransition.objects.filter(alliance__name__in=previous, action="submit").aggregate(
        first=Min("at"), last=Max("at"))
    opens = _opening((submitted["first"] or now - timedelta(days=500)) - timedelta(days=30))
    closes = _closing((submitted["last"] or opens + timedelta(days=40)) + timedelta(days=5))
    closed = services.create_call(
        by=officer, year=opens.year, batch_number=1, title=f"{opens.year}年度第一批产业技术创新战略联盟试点申报",
        title_en=f"{opens.year} call, first batch of pilot alliances", guide=GUIDE, opens_at=opens, closes_at=closes,
        requires_district_recommendation=False, uses_site_visits=False,
        documents=[{"name": "联盟协议（各成员单位法定代表人签字盖章）", "is_required": True}])
    services.publish(closed, by=officer)
    Alliance.objects.filter(name__in=previous).update(call=closed)

    year = now.year if now.year != closed.year else closed.year + 1
    current = services.create_call(
        by=officer, year=year, batch_number=1, title=f"{year}年度第一批产业技术创新战略联盟试点申报",
        title_en=f"{year} call, first batch of pilot alliances", guide=GUIDE,
        opens_at=_opening(now - timedelta(days=20)), closes_at=_closing(now + timedelta(days=40)),
        requires_district_recommendation=True, district_quota=3, uses_site_visits=True, documents=DOCUMENTS)
    services.publish(current, by=officer)
    Alliance.objects.filter(name__in=drafts).update(call=current)
    for alliance in Alliance.objects.filter(name__in=ready).select_related("call"):
        chair = User.objects.filter(organisation_id=alliance.chairman_id, is_org_admin=True).first()
        for document in current.required_documents.filter(is_required=True):
            scan = ContentFile(agreement_pdf("Scan", [document.name_en], pages=1), name=f"{document.name}.pdf")
            services.upload_document(alliance, required_document=document, file=scan, by=chair)
    return [closed, current]
