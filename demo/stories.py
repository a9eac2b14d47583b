"""The demo applications' histories, played through the real services on a moved clock.

Each alliance's story runs day by day from its submission (``time_machine`` moves the clock, so
timelines, versions, deadlines, designations and notifications carry believable dates). Every state
change goes through ``alliances.services.submit_application`` or ``reviews.services`` (both use
``alliances.transitions.transition``); nothing writes a state directly.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from alliances import services as applicant
from alliances.models import WorkPlan
from alliances.transitions import transition
from alliances.workflow import State
from reviews import selectors as review_selectors
from reviews import services as review
from reviews.models import (
    Department,
    ExpertAssignment,
    JointReviewOpinion,
    ReviewSettings,
    Scorecard,
    ScreeningCheckItem,
    Section,
)

from .compose import Spec, create_draft
from .people import Cast

# Where each story stops, and how the way there looks.
PILOT = "pilot"
PUBLIC_NOTICE = "public_notice"
JOINT_REVIEW_TWO_OPINIONS = "joint_review_two_opinions"
JOINT_REVIEW = "joint_review"
EXPERT_REVIEW_SCORING = "expert_review_scoring"
EXPERT_REVIEW_INVITED = "expert_review_invited"
SCREENING_PARTIAL = "screening_partial"
SCREENING = "screening"
SUBMITTED = "submitted"
RETURNED = "returned"
RESUBMITTED = "resubmitted"
DRAFT = "draft"
DRAFT_INCOMPLETE = "draft_incomplete"
REJECTED = "rejected"

EXPECTED_STATE = {
    PILOT: State.PILOT, PUBLIC_NOTICE: State.PUBLIC_NOTICE, JOINT_REVIEW_TWO_OPINIONS: State.JOINT_REVIEW,
    JOINT_REVIEW: State.JOINT_REVIEW, EXPERT_REVIEW_SCORING: State.EXPERT_REVIEW,
    EXPERT_REVIEW_INVITED: State.EXPERT_REVIEW, SCREENING_PARTIAL: State.SCREENING, SCREENING: State.SCREENING,
    SUBMITTED: State.SUBMITTED, RETURNED: State.RETURNED, RESUBMITTED: State.RESUBMITTED, DRAFT: State.DRAFT,
    DRAFT_INCOMPLETE: State.DRAFT, REJECTED: State.REJECTED,
}
# Days from submission to the last step of each story (the submission date is chosen from it).
DURATION = {
    PILOT: 32, PUBLIC_NOTICE: 16, JOINT_REVIEW_TWO_OPINIONS: 15, JOINT_REVIEW: 13, EXPERT_REVIEW_SCORING: 10,
    EXPERT_REVIEW_INVITED: 5, SCREENING_PARTIAL: 2, SCREENING: 1, SUBMITTED: 0, RETURNED: 3, RESUBMITTED: 8,
    DRAFT: 0, DRAFT_INCOMPLETE: 0, REJECTED: 12,
}
RETURNED_ON_THE_WAY = {RESUBMITTED, RETURNED}

GOOD_COMMENTS = [
    "联盟以骨干企业为主体，产学研结合紧密，技术路线清晰，年度目标具体可考核，建议通过。",
    "成员单位覆盖产业链上下游，研发投入计划合理，协议权责明确，建议列为试点联盟。",
    "技术方向符合我市重点产业发展需求，共性技术攻关任务明确，具备较好的辐射带动作用。",
]
FAIR_COMMENTS = [
    "总体可行，但研发投入以自筹为主，政府引导资金使用方式需进一步细化。",
    "建议进一步明确知识产权归属和成果转化收益分配办法。",
]
POOR_COMMENTS = [
    "联盟成员以同质化企业为主，技术支撑单位参与度不足，共性技术攻关内容不够具体，暂不建议通过。",
    "工作方案目标偏宏观，缺少可考核的年度指标，与已有联盟方向存在重复。",
]
GUIDANCE = {
    Section.MEMBERS: "请补充技术支撑单位研发平台的认定文件，并说明各成员单位在联盟中的具体分工。",
    Section.WORK_PLAN: "年度目标中的“新增销售收入”请按年度分解，并说明研发投入中银行贷款部分的落实情况。",
}


def _department_for(sector: str) -> str:
    return {"next-gen-it": "industry-it", "high-end-equipment": "industry-it",
            "energy-environment": "development-reform"}.get(sector, "science-technology")


@dataclass
class Director:
    """Plays the stories. ``clock`` is a ``time_machine`` traveller; ``today`` is the real date."""

    rng: random.Random
    cast: Cast
    clock: object
    real_now: datetime

    def at(self, day: date, hour: int = 9, minute: int = 30) -> None:
        moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        if moment > self.real_now:
            raise ValueError(f"a demo story may not happen in the future ({moment:%Y-%m-%d %H:%M})")
        self.clock.move_to(moment)

    # --- one story ------------------------------------------------------------------------------

    def play(self, spec: Spec, story: str, *, chair_user, ends_on: date, returned_once: bool = False) -> "object":
        """Create ``spec``'s application and take it to the end of ``story`` on ``ends_on`` at the latest."""
        returns = returned_once or story in RETURNED_ON_THE_WAY
        duration = DURATION[story] + (7 if returns and story not in RETURNED_ON_THE_WAY else 0)
        day0 = ends_on - timedelta(days=duration)
        self.at(day0 - timedelta(days=self.rng.randrange(12, 30)), 10, 5)
        alliance = create_draft(self.rng, spec, chair_user=chair_user, complete=story != DRAFT_INCOMPLETE)
        if story in (DRAFT, DRAFT_INCOMPLETE):
            return alliance

        self.at(day0, 16, 20)
        applicant.submit_application(alliance, by=chair_user)
        if story == SUBMITTED:
            return alliance
        officer = self.cast.officer if spec.number % 2 else self.cast.officer2
        day = day0 + timedelta(days=1)
        self.at(day, 9, 10)
        transition(alliance, action="start_screening", by=officer)
        if story == SCREENING:
            return alliance
        if story == SCREENING_PARTIAL:
            self.at(day + timedelta(days=1), 10, 40)
            items = list(ScreeningCheckItem.objects.filter(is_active=True).values_list("pk", flat=True))
            review.record_screening(alliance, passed_item_ids=items[: len(items) // 2], by=officer)
            return alliance

        if returns:
            day += timedelta(days=2)
            self.at(day, 15, 0)
            items = list(ScreeningCheckItem.objects.filter(is_active=True).values_list("pk", flat=True))
            review.record_screening(alliance, passed_item_ids=items[:-2], by=officer)
            review.return_for_revision(alliance, guidance=dict(GUIDANCE), by=officer,
                                       comment="材料基本齐全，请按修改意见补充后重新提交。")
            if story == RETURNED:
                return alliance
            day += timedelta(days=3)
            self.at(day, 11, 25)
            plan = WorkPlan.objects.get(alliance=alliance)  # fresh: the instance caches the empty plan
            applicant.update_work_plan(alliance, by=chair_user, fields={
                "main_goals": plan.main_goals + "（已按修改意见将销售收入目标分年度分解，银行贷款已取得授信意向。）",
                "composition": plan.composition + "各技术支撑单位的研发平台认定文件已作为附件补充。",
            })
            self.at(day + timedelta(days=1), 17, 5)
            applicant.submit_application(alliance, by=chair_user)
            if story == RESUBMITTED:
                return alliance
            day += timedelta(days=2)
            self.at(day, 9, 0)
            transition(alliance, action="start_screening", by=officer)

        day += timedelta(days=1)
        self.at(day, 14, 30)
        items = ScreeningCheckItem.objects.filter(is_active=True).values_list("pk", flat=True)
        review.record_screening(alliance, passed_item_ids=list(items), by=officer)
        transition(alliance, action="send_to_experts", by=officer, comment="形式审查通过，提交专家评审。")
        assignments = self._assign_experts(alliance, officer, day)

        quality = {REJECTED: 0.52}.get(story, self.rng.uniform(0.78, 0.92))
        if story == EXPERT_REVIEW_INVITED:
            self.at(day + timedelta(days=1), 20, 15)
            review.respond_to_assignment(assignments[0], accept=True, by=assignments[0].expert.user)
            review.respond_to_assignment(assignments[1], accept=False, by=assignments[1].expert.user,
                                         reason="本人近期在外地出差，无法按期完成评审。")
            return alliance
        scored = assignments if story != EXPERT_REVIEW_SCORING else assignments[:3]
        for number, assignment in enumerate(assignments):
            self.at(day + timedelta(days=1 + number % 2), 8 + number, 45)
            review.respond_to_assignment(assignment, accept=True, by=assignment.expert.user)
        for number, assignment in enumerate(scored):
            self.at(day + timedelta(days=4 + number), 19, 10 + number * 7)
            self._score(assignment, quality)
        if story == EXPERT_REVIEW_SCORING:
            return alliance

        day += timedelta(days=4 + len(scored) + 1)
        self.at(day, 10, 0)
        if story == REJECTED:
            transition(alliance, action="reject", by=officer,
                              comment="专家评审平均分低于60分，且与已有联盟技术方向重复，决定不予认定。")
            return alliance
        transition(alliance, action="send_to_joint_review", by=officer, comment="专家评审通过，提请联席会审。")
        if story == JOINT_REVIEW:
            return alliance
        reviewers = self.cast.department_reviewers
        opinions = reviewers if story != JOINT_REVIEW_TWO_OPINIONS else reviewers[:2]
        for number, reviewer in enumerate(opinions):
            self.at(day + timedelta(days=1 + number // 2), 15, 20 + number * 9)
            review.record_opinion(alliance, opinion=JointReviewOpinion.Opinion.AGREE, by=reviewer,
                                  remarks="同意认定为试点联盟。")
        if story == JOINT_REVIEW_TWO_OPINIONS:
            return alliance

        day += timedelta(days=3)
        self.at(day, 9, 0)
        transition(alliance, action="start_public_notice", by=officer, comment="联席会审通过，进行公示。")
        if story == PUBLIC_NOTICE:
            return alliance
        notice = alliance.public_notices.get(closed_at__isnull=True)
        self.at(notice.ends_on + timedelta(days=1), 10, 30)
        review.grant_pilot(alliance, by=officer, comment="公示期满无异议，认定为试点联盟。")
        department = Department.objects.get(code=_department_for(spec.sector))
        liaison = self.cast.liaisons[spec.number % len(self.cast.liaisons)]
        review.assign_supervision(alliance, liaison_officer=liaison, department=department, by=officer)
        return alliance

    # --- expert review --------------------------------------------------------------------------

    def _assign_experts(self, alliance, officer, day: date) -> list[ExpertAssignment]:
        wanted = ReviewSettings.current().experts_per_application
        pool = [e for e in self.cast.experts if e.sectors.filter(pk=alliance.sector_id).exists()]
        conflicted = review.conflicts_of_interest(pool, alliance)
        available = [e for e in pool if e.pk not in conflicted]
        if len(available) < 3:  # fall back to experts from neighbouring fields rather than none
            others = [e for e in self.cast.experts if e not in pool]
            conflicted = review.conflicts_of_interest(others, alliance)
            available += [e for e in others if e.pk not in conflicted]
        count = min(wanted, len(available), 5)
        first = self.cast.experts[0]  # the "expert" demo login reviews every application it may
        chosen = [first] if first in available else []
        chosen += self.rng.sample([e for e in available if e != first], count - len(chosen))
        return review.assign_experts(alliance, experts=chosen, due_date=day + timedelta(days=14), by=officer)

    def _score(self, assignment: ExpertAssignment, quality: float) -> None:
        scores = {}
        criteria = list(review_selectors.criteria_for(assignment.alliance))
        for criterion in criteria:
            share = min(1.0, max(0.2, self.rng.gauss(quality, 0.06)))
            value = (Decimal(criterion.max_score) * Decimal(str(share))).quantize(Decimal("0.5"),
                                                                                     rounding=ROUND_HALF_UP)
            scores[criterion.pk] = (value, "")
        total = sum(v for v, _ in scores.values()) / sum(c.max_score for c in criteria) * 100
        if total >= 75:
            recommendation, comments = Scorecard.Recommendation.APPROVE, self.rng.choice(GOOD_COMMENTS)
        elif total >= 60:
            recommendation, comments = Scorecard.Recommendation.REVISE, self.rng.choice(FAIR_COMMENTS)
        else:
            recommendation, comments = Scorecard.Recommendation.REJECT, self.rng.choice(POOR_COMMENTS)
        review.save_scorecard(assignment, scores=scores, comments=comments, recommendation=recommendation,
                              submit=True, by=assignment.expert.user)
