"""One organisation with an object behind every kind of URL the portal has, and the people of every other
role who must not reach them; ``object_urls`` fills the URL resolver's patterns with this organisation's ids."""

from dataclasses import dataclass, field
from datetime import date

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import Role
from alliances import versions
from alliances.models import AllianceAgreement, ApplicationVersion, District, Membership
from alliances.workflow import State
from assessments.models import AssessmentExpertAssignment, AssessmentRound, LifecycleStage, Rectification
from calls.models import ApplicationDocument, RequiredDocument
from notifications.models import Notification
from projects.models import ChangeRequest, ProjectAttachment
from recommendations.models import DistrictRecommendation
from reviews.models import (
    Department,
    Designation,
    ExpertAssignment,
    ExpertProfile,
    JointReviewOpinion,
    Objection,
    PublicNotice,
    Supervision,
)
from site_visits.models import SiteVisit, SiteVisitAttachment
from tests.factories import (
    AllianceFactory,
    CallFactory,
    OrganisationFactory,
    UserFactory,
    confirmed_member,
    member_user,
)
from tests.projects.factories import ActivityFactory, DevelopmentPlanFactory, approved_project, report_for

# Not an organisation's object: public by design (公示 notices, the register of designated alliances, published
# calls), the bureau's own reference data, or tokens mailed to one person.
NOT_ORGANISATION_OBJECTS = {
    "reviews:notice", "api:register-detail", "api:sector-detail", "api:district-detail", "calls:detail",
    "calls:manage_detail", "calls:edit", "calls:publish", "calls:extend", "calls:criteria",
    "password_reset_confirm", "colleague_welcome", "alliances:export", "projects:export", "dashboards:export",
    "dashboards:rows", "api:not-found",
    # a released batch's notice and designation document are public; the ranking page lists the asking
    # reviewer's own district; a published call is readable by every signed-in user
    "reviews:batch_notice", "reviews:batch_document", "reviews:batch_document_pdf", "recommendations:ranking",
    "api:call-detail",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    objects: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)


def build() -> World:
    """Organisation A, chairman of alliance A (a pilot with everything filed), and the outsiders."""
    w = World()
    o = w.objects
    org = OrganisationFactory(name="淄博甲方新材料有限公司")
    o["organisation"] = org
    w.people["owner"] = member_user(organisation=org, full_name="甲方 管理员")
    colleague = member_user(organisation=org, full_name="甲方 同事")
    colleague.is_org_admin = False
    colleague.save(update_fields=["is_org_admin"])
    o["colleague"] = colleague
    alliance = AllianceFactory(chairman=org, state=State.PILOT, current_version=2, name="甲方牵头的产业技术创新战略联盟")
    o["alliance"] = alliance
    o["membership"] = confirmed_member(alliance)
    o["versions"] = [ApplicationVersion.objects.create(alliance=alliance, number=n,
                                                       snapshot=versions.snapshot(alliance)) for n in (1, 2)]
    o["agreement"] = AllianceAgreement.objects.create(alliance=alliance, file=ContentFile(PDF, name="a.pdf"),
                                                      original_name="协议.pdf", size=len(PDF), sha256="0" * 64, pages=1)
    other_alliance = AllianceFactory(state=State.DRAFT)
    o["invitation"] = Membership.objects.create(alliance=other_alliance, organisation=org,
                                                status=Membership.Status.INVITED)
    o["designation"] = Designation.objects.create(alliance=alliance, level=Designation.Level.PILOT, year=2026,
                                                  sequence=901, certificate_number="〔2026〕901")
    notice = PublicNotice.objects.create(alliance=alliance, version=2, starts_on=date(2026, 3, 1),
                                         ends_on=date(2026, 3, 10))
    o["notice"] = notice
    o["objection"] = Objection.objects.create(notice=notice, name="李某", phone="13800000001", text="名单有误。")
    assigned = ExpertProfile.objects.create(user=UserFactory(roles=[Role.EXPERT]), title="教授")
    o["assignment"] = ExpertAssignment.objects.create(alliance=alliance, expert=assigned, version=2,
                                                      due_date=date(2099, 1, 1))
    department = Department.objects.create(code="resilience-dept", name="测试部门")
    o["opinion"] = JointReviewOpinion.objects.create(alliance=alliance, version=2, department=department,
                                                     opinion=JointReviewOpinion.Opinion.AGREE)
    o["assessment"] = AssessmentRound.objects.create(
        alliance=alliance, kind=AssessmentRound.Kind.BIENNIAL, status=AssessmentRound.Status.SELF_ASSESSMENT,
        opened_from=State.PILOT, period_start=date(2024, 1, 1), period_end=date(2025, 12, 31),
        self_assessment_due=date(2099, 3, 31))
    o["assessment_assignment"] = AssessmentExpertAssignment.objects.create(round=o["assessment"], expert=assigned)
    failed = AssessmentRound.objects.create(
        alliance=alliance, kind=AssessmentRound.Kind.BIENNIAL, status=AssessmentRound.Status.DECIDED,
        opened_from=State.PILOT, period_start=date(2022, 1, 1), period_end=date(2023, 12, 31),
        outcome=AssessmentRound.Outcome.RECTIFICATION)
    o["rectification"] = Rectification.objects.create(round=failed, alliance=alliance, required_actions="整改。",
                                                      deadline=date(2099, 1, 1))
    o["stage"] = LifecycleStage.objects.create(alliance=alliance, stage=LifecycleStage.Stage.GROWTH, reason="测试")
    project = approved_project(alliance=alliance, lead_unit=org)
    o["project"] = project
    o["report"] = report_for(project, period_start=date(2026, 1, 1), completed=("100", "0", "0", "0"))
    o["change"] = ChangeRequest.objects.create(project=project, kind=ChangeRequest.Kind.EXTENSION,
                                               justification="设备到货延迟", proposed={"end_date": "2028-06-30"})
    o["attachment"] = ProjectAttachment.objects.create(project=project, file=ContentFile(PDF, name="a.pdf"),
                                                       original_name="附件.pdf", content_type="application/pdf",
                                                       size=len(PDF), sha256="0" * 64)
    o["plan"] = DevelopmentPlanFactory(alliance=alliance)
    o["activity"] = ActivityFactory(alliance=alliance)
    o["notification"] = Notification.objects.create(recipient=w.people["owner"], kind="test", title="待办",
                                                    created_at=timezone.now())

    # A's application in this year's call, waiting for its district, with a document, a letter and a visit.
    call = CallFactory()
    o["call"] = call
    application = AllianceFactory(chairman=org, call=call, state=State.DISTRICT_REVIEW, current_version=1,
                                  name="甲方申报的产业技术创新战略联盟")
    o["application"] = application
    required = RequiredDocument.objects.create(call=call, name="营业执照")
    o["call_document"] = ApplicationDocument.objects.create(
        alliance=application, required_document=required, file=ContentFile(PDF, name="licence.pdf"),
        original_name="营业执照.pdf", size=len(PDF), sha256="0" * 64, pages=1)
    o["recommendation"] = DistrictRecommendation.objects.create(
        alliance=application, version=1, call=call, district=org.district, decision="recommended", rank=1,
        letter=ContentFile(PDF, name="letter.pdf"), letter_name="推荐函.pdf", letter_size=len(PDF), letter_pages=1)
    o["visit"] = SiteVisit.objects.create(alliance=application, version=1, scheduled_on=date(2099, 1, 1),
                                          place="甲方厂区")
    o["visit_attachment"] = SiteVisitAttachment.objects.create(
        visit=o["visit"], file=ContentFile(PDF, name="photo.pdf"), original_name="现场.pdf",
        content_type="application/pdf", size=len(PDF), sha256="0" * 64)

    # Everyone else: another member unit (chairman of its own alliance), an expert not assigned, a
    # department reviewer, a district reviewer of another district, the liaison of another alliance.
    foreign = member_user(full_name="乙方 管理员")
    AllianceFactory(chairman=foreign.organisation)
    w.people["other_member"] = foreign
    w.people["unassigned_expert"] = UserFactory(roles=[Role.EXPERT], full_name="未分配专家")
    ExpertProfile.objects.create(user=w.people["unassigned_expert"], title="研究员")
    w.people["department_reviewer"] = UserFactory(roles=[Role.DEPARTMENT_REVIEWER], full_name="部门审核人")
    elsewhere = District.objects.exclude(pk=org.district_id).order_by("code").first()
    w.people["other_district_reviewer"] = UserFactory(roles=[Role.DISTRICT_REVIEWER], district=elsewhere,
                                                      full_name="外区审核人")
    liaison = UserFactory(roles=[Role.LIAISON], full_name="外盟联络员")
    Supervision.objects.create(alliance=AllianceFactory(state=State.PILOT), liaison_officer=liaison)
    w.people["other_liaison"] = liaison
    w.people["anonymous"] = None
    return w


def state(world: World) -> dict:
    """Everything the URLs could change, to compare before and after the outsiders' requests."""
    from django.apps import apps

    labels = ("alliances.Alliance", "alliances.Membership", "alliances.Organisation", "alliances.ApplicationVersion",
              "alliances.AllianceAgreement", "projects.Project", "projects.ProjectAttachment",
              "projects.ProgressReport", "projects.ChangeRequest", "projects.DevelopmentPlan", "projects.Activity",
              "projects.ProjectTransition", "reviews.Designation", "reviews.ExpertAssignment", "reviews.Objection",
              "reviews.JointReviewOpinion", "alliances.StateTransition", "reviews.Supervision",
              "assessments.AssessmentRound", "assessments.Rectification", "assessments.LifecycleStage",
              "assessments.AssessmentExpertAssignment", "notifications.Notification")
    dump = {label: list(apps.get_model(label).objects.order_by("pk").values()) for label in labels}
    dump["colleague_active"] = type(world.objects["colleague"]).objects.get(pk=world.objects["colleague"].pk).is_active
    return dump


def _api_ids(o) -> dict:
    return {
        "organisation": o["organisation"].pk, "alliance": o["alliance"].pk, "membership": o["membership"].pk,
        "application": o["versions"][0].pk, "review-application": o["alliance"].pk,
        "expert-assignment": o["assignment"].pk, "joint-opinion": o["opinion"].pk,
        "designation": o["designation"].pk, "assessment": o["assessment"].pk, "lifecycle-stage": o["stage"].pk,
        "project": o["project"].pk, "progress-report": o["report"].pk, "change-request": o["change"].pk,
        "activity": o["activity"].pk, "notification": o["notification"].pk,
    }


def _page_kwargs(o) -> dict:
    """URL name → its keyword arguments for organisation A's objects."""
    a, p = o["alliance"].pk, o["project"].pk
    return {
        "colleague_set_active": {"pk": o["colleague"].pk},
        "organisation_detail": {"pk": o["organisation"].pk},
        "organisation_verify": {"pk": o["organisation"].pk},
        "organisation_reject": {"pk": o["organisation"].pk},
        "alliances:respond": {"membership_pk": o["invitation"].pk},
        "alliances:detail": {"pk": a},
        "alliances:step": {"pk": a, "number": 1},
        "alliances:download_agreement": {"pk": a, "agreement_pk": o["agreement"].pk},
        "alliances:diff": {"pk": a, "old": 1, "new": 2},
        "alliances:diff_current": {"pk": a, "old": 1},
        **{f"reviews:{name}": {"pk": a} for name in (
            "application", "transition", "checklist", "return", "assign_experts", "supervision")},
        "reviews:replace_assignment": {"pk": o["assignment"].pk},
        "reviews:withdraw_assignment": {"pk": o["assignment"].pk},
        "reviews:resolve_objection": {"pk": o["objection"].pk},
        "reviews:assignment": {"pk": o["assignment"].pk},
        "reviews:respond": {"pk": o["assignment"].pk},
        "reviews:opinion": {"pk": a},
        "reviews:certificate": {"pk": o["designation"].pk},
        "reviews:certificate_pdf": {"pk": o["designation"].pk},
        **{f"assessments:{name}": {"pk": o["assessment"].pk} for name in (
            "detail", "self_assessment", "assign_expert", "decide", "set_stage")},
        "assessments:withdraw_expert": {"pk": o["assessment"].pk, "assignment_pk": o["assessment_assignment"].pk},
        "assessments:scorecard": {"pk": o["assessment_assignment"].pk},
        "assessments:rectification": {"pk": o["rectification"].pk},
        "assessments:open_reassessment": {"pk": o["rectification"].pk},
        "projects:create": {"alliance_pk": a},
        **{f"projects:{name}": {"pk": p} for name in (
            "detail", "edit", "submit", "approve", "period", "attachment_add", "report_create")},
        "projects:transition": {"pk": p, "action": "start"},
        "projects:attachment_download": {"pk": o["attachment"].pk},
        "projects:attachment_delete": {"pk": o["attachment"].pk},
        "projects:report_detail": {"pk": o["report"].pk},
        "projects:change_create": {"pk": p, "kind": "extension"},
        "projects:change_detail": {"pk": o["change"].pk},
        "projects:alliance": {"alliance_pk": a},
        "projects:activities": {"alliance_pk": a},
        "projects:plans": {"alliance_pk": a},
        "projects:plan_create": {"alliance_pk": a},
        "projects:plan_detail": {"alliance_pk": a, "pk": o["plan"].pk},
        "projects:plan_edit": {"alliance_pk": a, "pk": o["plan"].pk},
        "notifications:mark_read": {"pk": o["notification"].pk},
        "calls:documents": {"alliance_pk": a},
        "calls:download_document": {"alliance_pk": o["application"].pk, "document_pk": o["call_document"].pk},
        **{f"reviews:{name}": {"call_id": o["call"].pk} for name in ("batch", "batch_release", "batch_designate")},
        "reviews:batch_stage": {"call_id": o["call"].pk, "pk": o["application"].pk},
        **{f"recommendations:{name}": {"pk": o["application"].pk} for name in ("application", "recommend", "decline")},
        "recommendations:letter": {"pk": o["recommendation"].pk},
        "site_visits:schedule": {"pk": o["application"].pk},
        "site_visits:visit": {"pk": o["visit"].pk},
        "site_visits:attachment": {"pk": o["visit_attachment"].pk},
        "api:call-funnel": {"pk": o["call"].pk},
    }


def _patterns(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin: staff only, its own permission system
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and entry.pattern.regex.groups:
            yield f"{namespace}{entry.name}"


def plain_pages() -> list[str]:
    """Every URL of the resolver without arguments (admin excepted): the pages anybody can ask for."""
    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace != "admin":
                    yield from walk(entry.url_patterns,
                                    f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups:
                yield f"{namespace}{entry.name}"

    return [reverse(name) for name in dict.fromkeys(walk(get_resolver().url_patterns))
            if name not in ("logout", "set_language")]


def object_urls(world: World) -> tuple[list[tuple[str, str]], list[str]]:
    """Every URL of the resolver that names an object, filled with A's ids: ``([(name, url)], [unmapped])``."""
    pages, api = _page_kwargs(world.objects), _api_ids(world.objects)
    urls, unmapped = [], []
    for name in dict.fromkeys(_patterns(get_resolver().url_patterns)):
        if name in NOT_ORGANISATION_OBJECTS:
            continue
        if name in pages:
            urls.append((name, reverse(name, kwargs=pages[name])))
        elif name.startswith("api:") and (basename := next(
                (b for b in sorted(api, key=len, reverse=True) if name[4:].startswith(f"{b}-")), None)):
            urls.append((name, reverse(name, kwargs={"pk": api[basename]})))
        else:
            unmapped.append(name)
    return urls, unmapped


def add_review_stages(world: World, *, officer) -> None:
    """Additively (new keys only): the people whose forms need an application waiting for them, and those
    applications, so that every review form is on a page: a district reviewer of A's district with an
    application of a call waiting for its recommendation (and A's recommendation to rank); a joint reviewer
    (a department taking part in joint review) with applications of a batch call in joint review, one with
    the department's opinion still missing (also the officer's staged-outcome forms); applications before
    and in their site visit, the visit due today (the officer's scheduling and findings forms); the liaison
    officer of A's alliance; an administrator (superuser; Django's admin under /admin/ is not crawled)."""
    from reviews.models import Department
    from site_visits import services as site_visit_services
    from tests.factories import district_reviewer
    from tests.recommendations.conftest import waiting_application
    from tests.reviews.batch_fixtures import batch_call, in_joint_review
    from tests.reviews.conftest import make_department_reviewer, make_expert
    from tests.site_visits.conftest import scored_application

    o, people = world.objects, world.people
    people["district_reviewer"] = district_reviewer(o["organisation"].district, full_name="甲方所在区 审核人")
    # A call of its own: A's call requires a document that a freshly submitted application lacks.
    o["district_call"] = CallFactory(title="需区县推荐的一批", district_quota=3)
    o["waiting"] = waiting_application(o["district_call"], district_code=o["organisation"].district.code,
                                       name="甲方区内待推荐的产业技术创新战略联盟")

    department = Department.objects.filter(joins_joint_review=True, is_active=True).order_by("pk").first()
    people["joint_reviewer"] = make_department_reviewer(department.code, "会审部门 审核人")
    o["batch_call"] = batch_call(title="会审中的一批")
    o["joint_agreed"] = in_joint_review(o["batch_call"], "各部门已同意的产业技术创新战略联盟")
    o["joint_pending"] = in_joint_review(o["batch_call"], "待本部门意见的产业技术创新战略联盟")
    JointReviewOpinion.objects.filter(alliance=o["joint_pending"], department=department).delete()

    o["scored"] = scored_application(officer)  # expert review done: a visit may be scheduled
    o["visiting"] = scored_application(officer)
    o["due_visit"] = site_visit_services.schedule_visit(
        o["visiting"], date=timezone.localdate(), place="乙方厂区", team=[make_expert(name="考察专家").user],
        by=officer)

    people["liaison"] = UserFactory(roles=[Role.LIAISON], full_name="甲方联盟 联络员")
    Supervision.objects.create(alliance=o["alliance"], liaison_officer=people["liaison"])
    people["administrator"] = UserFactory(roles=[Role.ADMIN], is_staff=True, is_superuser=True,
                                          full_name="系统 管理员")


def review_stage_urls(world: World) -> list[str]:
    """The pages of the objects of ``add_review_stages`` that hold their forms."""
    o = world.objects
    return [
        reverse("recommendations:application", kwargs={"pk": o["waiting"].pk}),
        reverse("recommendations:ranking", kwargs={"call_pk": o["call"].pk}),
        *(reverse("reviews:opinion", kwargs={"pk": o[key].pk}) for key in ("joint_agreed", "joint_pending")),
        reverse("reviews:batch", kwargs={"call_id": o["batch_call"].pk}),
        *(reverse("reviews:application", kwargs={"pk": o[key].pk})
          for key in ("waiting", "joint_pending", "scored", "visiting")),
        reverse("site_visits:schedule", kwargs={"pk": o["scored"].pk}),
        reverse("site_visits:visit", kwargs={"pk": o["due_visit"].pk}),
    ]
