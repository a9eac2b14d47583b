"""The designated alliances' life after designation, played through the real services on a moved clock.

Projects are filed, submitted, approved, reported on (on time and late), changed, accepted, failed and
terminated through ``projects.services``; plans and activities through the same module; assessments are
opened, self-assessed, scored and decided through ``assessments.services`` (demonstration, pilot kept,
rectification, revocation). Every date is counted back from the real today, so due dates, overdue flags
and reminders fall where they would in a portal that has been running for a year.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from alliances.models import Alliance
from alliances.workflow import State
from assessments import services as assessing
from assessments.models import AssessmentCriterion, AssessmentRound
from projects import periods
from projects import services as projects
from projects.models import (
    Activity,
    BudgetYear,
    ChangeRequest,
    DevelopmentPlan,
    FundingSource,
    Milestone,
    Project,
    ProjectKind,
    ProjectParticipant,
)
from reviews import services as review
from reviews.models import Designation

from .compose import Spec
from .people import Cast

# What each pilot of last year's call has lived through since its designation (alliance number → life).
SHOWCASE = "showcase"  # every project state, reports on time and late, change requests; self-assessment awaited
DEMONSTRATION = "demonstration"  # assessed excellent after a year: demonstration unit
PILOT_KEPT = "pilot_kept"  # assessed as a pass: stays a pilot
EXPERT_SCORING = "expert_scoring"  # self-assessment in, experts scoring (the "expert" login has yet to score)
RECTIFICATION = "rectification"  # failed its assessment: rectifying, report not yet sent
REVOKED = "revoked"  # failed, rectified too little, re-assessed, title revoked
LIVES = {0: SHOWCASE, 1: DEMONSTRATION, 7: PILOT_KEPT, 9: EXPERT_SCORING, 13: RECTIFICATION, 18: REVOKED}
CHAIR_NOTES = {1: "demonstration alliance (assessed excellent)", 7: "pilot kept after its assessment",
               9: "assessment in expert scoring", 13: "under rectification, report to send",
               18: "pilot title revoked after re-assessment"}
EXPECTED_STATE = {
    SHOWCASE: State.ASSESSMENT, DEMONSTRATION: State.DEMONSTRATION, PILOT_KEPT: State.PILOT,
    EXPERT_SCORING: State.ASSESSMENT, RECTIFICATION: State.RECTIFICATION, REVOKED: State.REVOKED,
}

REVOKED_DAYS_AGO = 160
YEAR_ONE = "试点运行满一年，开展年度跟踪考核评估。"
QUARTERLY = Project.ReportPeriod.QUARTERLY
S = FundingSource


@dataclass
class Budget:
    """A project's investment plan in 万元, split by source, spread evenly over its calendar years."""

    self_raised: int
    bank_loans: int
    government: int
    other: int = 0

    @property
    def total(self) -> Decimal:
        return Decimal(self.self_raised + self.bank_loans + self.government + self.other)

    def years(self, start: date, end: date) -> list[BudgetYear]:
        """One row per calendar year; the first year takes what an even split leaves over, so the rows add up."""
        years = list(range(start.year, end.year + 1))
        rows = []
        for index, year in enumerate(years):
            amounts = {}
            for source in S.values:
                amount = Decimal(getattr(self, source))
                part = (amount / len(years)).quantize(Decimal("1"))  # whole 万元, as plans are written
                amounts[source] = amount - part * (len(years) - 1) if index == 0 else part
            rows.append(BudgetYear(year=year, **amounts))
        return rows


@dataclass
class Operator:
    """Plays the lives. ``director`` moves the clock (``stories.Director.at``); ``today`` is the real date."""

    rng: random.Random
    cast: Cast
    director: object
    today: date
    begin: date | None = None  # the current alliance's first project start

    def at(self, day: date, hour: int = 10, minute: int = 0) -> None:
        self.director.at(day, hour, minute)

    # --- the calendar the lives are laid on ------------------------------------------------------

    def quarters(self, begin: date) -> list[periods.Period]:
        """The reporting quarters from the one holding ``begin`` to the last one already due."""
        period = periods.period_containing(begin, QUARTERLY)
        found = []
        while period.due_date < self.today:
            found.append(period)
            period = period.next()
        if len(found) < 4:  # designated 14 months ago, a pilot always has four quarters behind it
            raise RuntimeError("the demo's pilots need four reporting quarters behind them")
        return found

    # --- one alliance ----------------------------------------------------------------------------

    def live(self, spec: Spec, life: str, *, chair_user) -> None:
        """Play ``life`` for the designated alliance of ``spec``, from the month after its designation."""
        alliance = Alliance.objects.get(name=spec.name)
        designated = timezone.localdate(Designation.objects.get(
            alliance=alliance, level=Designation.Level.PILOT).designated_at)
        self.begin = designated + timedelta(days=30)  # its first projects start a month after designation
        quarters = self.quarters(self.begin)
        self._plans(alliance, chair_user, quarters, pending_next_year=life == SHOWCASE)
        self._activities(alliance, chair_user, spec, quarters, few=life in (RECTIFICATION, REVOKED))
        if life == SHOWCASE:
            self._showcase_projects(alliance, chair_user, spec, quarters)
        elif life == REVOKED:  # it stopped reporting before its title was revoked
            running = self._running_project(alliance, chair_user, spec,
                                            [q for q in quarters if q.due_date < self.today - timedelta(days=REVOKED_DAYS_AGO)],
                                            late=True)
        else:
            self._running_project(alliance, chair_user, spec, quarters, late=life == RECTIFICATION)
            if life in (DEMONSTRATION, PILOT_KEPT):
                self._finished_project(alliance, chair_user, spec, quarters)
        getattr(self, f"_assessment_{life}")(alliance, chair_user)
        if life == REVOKED:
            self.at(self.today - timedelta(days=REVOKED_DAYS_AGO - 10), 10, 0)
            projects.decide_project(running, action="terminate", by=self.cast.officer,
                                    comment="联盟试点称号已撤销，项目终止实施，结余政府资金按规定收回。")

    # --- plans and activities ----------------------------------------------------------------------

    def _plans(self, alliance, chair, quarters, *, pending_next_year: bool) -> None:
        officer = self.cast.officer
        first = date(quarters[1].start.year, 1, 1)  # the first full year of operation
        self.at(self.begin - timedelta(days=25), 15, 10)
        plan = projects.submit_plan(alliance=alliance, by=chair, plan=DevelopmentPlan(
            kind=DevelopmentPlan.Kind.MEDIUM_LONG, year=first.year, end_year=first.year + 4,
            title=f"{alliance.name}{first.year}—{first.year + 4}年发展规划",
            content="一、发展基础与形势\n二、总体思路和发展目标\n三、重点任务：共性技术攻关、标准体系建设、公共服务平台\n"
                    "四、保障措施"))
        self.at(self.begin - timedelta(days=18), 10, 20)
        projects.acknowledge_plan(plan, by=officer, note="规划目标明确，请按年度分解落实。")
        self.at(self.begin - timedelta(days=15), 16, 0)
        plan = projects.submit_plan(alliance=alliance, by=chair, plan=DevelopmentPlan(
            kind=DevelopmentPlan.Kind.ANNUAL, year=first.year, title=f"{alliance.name}{first.year}年度发展计划",
            content="一、年度目标：新增联盟项目3项，召开高层次交流活动2次以上\n二、重点任务\n三、经费安排"))
        self.at(self.begin - timedelta(days=8), 9, 40)
        projects.acknowledge_plan(plan, by=officer)
        if pending_next_year:  # next year's plan, waiting for the bureau
            self.at(self.today - timedelta(days=5), 17, 30)
            projects.submit_plan(alliance=alliance, by=chair, plan=DevelopmentPlan(
                kind=DevelopmentPlan.Kind.ANNUAL, year=self.today.year + 1,
                title=f"{alliance.name}{self.today.year + 1}年度发展计划",
                content="一、年度目标：完成2项联盟标准，建成公共技术服务平台\n二、重点任务\n三、经费安排"))

    def _activities(self, alliance, chair, spec: Spec, quarters, *, few: bool) -> None:
        keyword = spec.keywords[0]
        university = spec.technical_support[0].name
        rows = [
            (self.begin + timedelta(days=40), Activity.Kind.INTERNAL, f"{quarters[1].start.year}年度理事会会议",
             "理事长单位、副理事长单位及各成员单位代表", 28, "审议通过年度工作计划和联盟项目立项建议。"),
            (quarters[1].start + timedelta(days=50), Activity.Kind.TECHNOLOGY_EXCHANGE, f"{keyword}关键技术高峰论坛",
             f"成员单位、{university}、行业专家", 160, "发布共性技术需求清单12项，达成合作意向5项。"),
            (quarters[2].start + timedelta(days=20), Activity.Kind.BUSINESS_MODEL, f"{keyword}产业链供需对接会",
             "成员单位、金融机构、下游用户企业", 95, "签订供需合作协议4项，意向金额3200万元。"),
            (quarters[-1].start + timedelta(days=30), Activity.Kind.INTERNAL, "专家技术委员会季度例会",
             f"专家技术委员会委员、{university}", 18, "评议在研项目进展，提出调整建议3条。"),
        ]
        for day, kind, title, participants, count, outcome in (rows[:1] if few else rows):
            self.at(day + timedelta(days=2), 14, 0)
            projects.record_activity(alliance=alliance, by=chair, activity=Activity(
                date=day, kind=kind, title=title, participants=participants, participant_count=count,
                outcome=outcome))

    # --- projects ----------------------------------------------------------------------------------

    def _file(self, alliance, chair, spec: Spec, *, title: str, kind: str, start: date, end: date, budget: Budget,
              filed_on: date, lead=None, planned=(4, 1, 1, 2, 1)) -> Project:
        self.at(filed_on, 10, 15)
        applied, granted, standards, products, secrets = planned
        project = Project(
            alliance=alliance, title=title, kind=kind, sector=alliance.sector, lead_unit=lead or spec.chairman,
            objectives=f"围绕{spec.keywords[0]}产业共性需求，开展“{title}”，形成可推广的技术成果。",
            key_indicators="关键性能指标达到国内领先水平；形成中试验证报告；培养研发骨干10人以上。",
            planned_patents_applied=applied, planned_patents_granted=granted, planned_standards=standards,
            planned_new_products=products, planned_technical_secrets=secrets, start_date=start, end_date=end,
            total_investment=budget.total, report_period_months=QUARTERLY,
        )
        support = spec.technical_support[0]
        participants = [ProjectParticipant(organisation=support, name=support.name, task="关键技术研究与测试验证")]
        if lead is not None and lead != spec.chairman:
            participants.append(ProjectParticipant(organisation=spec.chairman, name=spec.chairman.name,
                                                   task="工程化验证与应用推广"))
        middle = start + (end - start) / 2
        milestones = [Milestone(title="完成方案设计与小试", due_date=middle),
                      Milestone(title="完成中试验证并形成成果", due_date=end)]
        return projects.save_project(project=project, by=chair, participants=participants, milestones=milestones,
                                     budget_years=budget.years(start, end))

    def _submit(self, project, chair, day: date) -> None:
        self.at(day, 16, 45)
        projects.submit_project(project, by=chair)

    def _approve(self, project, day: date, share: str = "0.8") -> None:
        self.at(day, 11, 0)
        granted = (project.government_funding_requested * Decimal(share)).quantize(Decimal("1"))
        projects.approve_project(project, by=self.cast.officer, granted_funding=granted,
                                 comment="经联盟项目评审会评审，同意立项。")

    def _report(self, project, chair, period, *, late: bool = False, outputs=(0, 0, 0, 0, 0),
                problems: str = "") -> None:
        """File the report for ``period``: each source spent in step with the time gone, ``outputs`` to date."""
        day = period.due_date + timedelta(days=9) if late else period.end + timedelta(days=self.rng.randrange(3, 12))
        self.at(day, 15, 30)
        gone = (min(period.end, project.end_date) - project.start_date).days / max(
            (project.end_date - project.start_date).days, 1)
        share = Decimal(str(round(min(1.0, gone) * self.rng.uniform(0.85, 0.95), 3)))
        planned = {source: sum((getattr(row, source) for row in project.budget_years.all()), Decimal(0))
                   for source in S.values}
        spent = {source: (planned[source] * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                 for source in S.values}
        applied, granted, standards, products, secrets = outputs
        milestones = [m.pk for m in project.milestones.filter(reached_on__isnull=True, due_date__lte=period.end)]
        projects.submit_progress_report(project, by=chair, period_start=period.start, milestones_reached=milestones,
                                        values={
            "started": True, **{f"completed_{source}": spent[source] for source in S.values},
            "government_funds_used": spent[S.GOVERNMENT], "patents_applied": applied, "patents_granted": granted,
            "standards": standards, "new_products": products, "technical_secrets": secrets,
            "problems": problems, "help_needed": "",
        })

    def _approved_and_reporting(self, alliance, chair, spec, quarters, *, title, kind, end, budget, lead=None,
                                reported=None, late=(), outputs=None) -> Project:
        """A project filed after designation, approved, starting on ``begin``, reporting each quarter in
        ``reported`` (those numbered in ``late`` after their due date)."""
        start = self.begin
        project = self._file(alliance, chair, spec, title=title, kind=kind, start=start, end=end, budget=budget,
                             filed_on=start - timedelta(days=14), lead=lead)
        self._submit(project, chair, start - timedelta(days=12))
        self._approve(project, start - timedelta(days=3))
        self._reports(project, chair, quarters if reported is None else reported, late=late, outputs=outputs)
        return project

    def _reports(self, project, chair, reported, *, late=(), outputs=None, first: int = 0) -> None:
        for index, period in enumerate(reported, start=first):
            figures = outputs[index] if outputs else (index + 1, index // 2, index // 3, index // 2, 0)
            self._report(project, chair, period, late=index in late, outputs=figures,
                         problems="部分进口检测设备到货延迟。" if index in late else "")

    def _showcase_projects(self, alliance, chair, spec: Spec, quarters) -> None:
        """One project in every state, reports on time and late, change requests approved, refused and pending."""
        keyword, officer, today = spec.keywords[0], self.cast.officer, self.today
        vice = spec.vice_chairs[0]
        two_years = date(self.begin.year + 2, 6, 30)  # two-year projects

        running = self._approved_and_reporting(
            alliance, chair, spec, quarters, title=f"{keyword}膜材料共性技术研发", kind=ProjectKind.COMMON_RD,
            end=two_years, budget=Budget(700, 200, 300), reported=quarters[:2], late={1})
        self.at(quarters[1].due_date + timedelta(days=20), 9, 50)
        change = projects.request_change(running, by=chair, kind=ChangeRequest.Kind.EXTENSION,
                                         justification="中试设备采购周期延长，申请延期六个月完成验收。",
                                         proposed={"end_date": date(two_years.year, 12, 31).isoformat()})
        self.at(quarters[1].due_date + timedelta(days=30), 14, 20)
        projects.decide_change(change, by=officer, approve=True, comment="理由充分，同意延期。")
        self._reports(running, chair, quarters[2:], first=2)

        overdue = self._approved_and_reporting(
            alliance, chair, spec, quarters, title=f"高纯{keyword}粉体关键技术突破及成果转化",
            kind=ProjectKind.KEY_BREAKTHROUGH, end=two_years, budget=Budget(900, 300, 200, 100), lead=vice,
            reported=quarters[:-1])  # the last quarter's report is overdue
        self.at(today - timedelta(days=6), 10, 30)
        projects.request_change(overdue, by=chair, kind=ChangeRequest.Kind.OBJECTIVES,
                                justification="下游用户提出更高纯度要求，申请调整考核指标。",
                                proposed={"objectives": overdue.objectives + "产品纯度提高至99.99%。",
                                          "key_indicators": "粉体纯度≥99.99%；粒径D50≤0.5μm；形成年产200吨示范线。"})

        accepting = self._approved_and_reporting(
            alliance, chair, spec, quarters, title=f"{keyword}公共技术服务平台建设", kind=ProjectKind.SERVICE_PLATFORM,
            end=quarters[-1].end, budget=Budget(400, 0, 200))
        self.at(quarters[-1].end + timedelta(days=13), 9, 15)
        projects.transition_project(accepting, action="request_acceptance", by=chair,
                                    comment="平台已建成并对外开放服务，申请验收。")

        passed = self._approved_and_reporting(
            alliance, chair, spec, quarters, title=f"{keyword}联盟标准制定", kind=ProjectKind.ALLIANCE_STANDARD,
            end=quarters[1].end, budget=Budget(80, 0, 40), reported=quarters[:2],
            outputs=[(0, 0, 0, 0, 0), (0, 0, 2, 0, 0)])
        self.at(quarters[1].end + timedelta(days=14), 10, 0)
        projects.transition_project(passed, action="request_acceptance", by=chair)
        self.at(quarters[1].end + timedelta(days=40), 15, 0)
        projects.decide_project(passed, action="pass_acceptance", by=officer, comment="两项联盟标准已发布实施，通过验收。")

        failed = self._approved_and_reporting(
            alliance, chair, spec, quarters, title=f"{keyword}3D打印成形技术研发", kind=ProjectKind.COMMON_RD,
            end=quarters[2].end, budget=Budget(260, 0, 100), reported=quarters[:3], late={1},
            outputs=[(0, 0, 0, 0, 0), (1, 0, 0, 0, 0), (1, 0, 0, 0, 0)])
        self.at(quarters[2].end + timedelta(days=12), 11, 30)
        projects.transition_project(failed, action="request_acceptance", by=chair)
        self.at(quarters[2].end + timedelta(days=14), 16, 10)
        projects.decide_project(failed, action="fail_acceptance", by=officer,
                                comment="主要技术指标未达到任务书要求，专利申请数量不足，验收不予通过。")

        stopped = self._approved_and_reporting(
            alliance, chair, spec, quarters, title=f"{keyword}基复合材料中试线建设", kind=ProjectKind.KEY_BREAKTHROUGH,
            end=two_years, budget=Budget(1500, 500, 300), lead=spec.vice_chairs[1], reported=quarters[:2], late={1})
        self.at(quarters[1].end + timedelta(days=30), 10, 5)
        halved = [{"year": row.year, S.SELF_RAISED: row.self_raised / 2, S.BANK_LOANS: row.bank_loans / 2,
                   S.GOVERNMENT: row.government, S.OTHER: row.other} for row in stopped.budget_years.order_by("year")]
        total = sum((row[source] for row in halved for source in S.values), Decimal(0))
        budget_change = projects.request_change(
            stopped, by=chair, kind=ChangeRequest.Kind.BUDGET, justification="承担单位资金紧张，申请压减自筹资金和银行贷款。",
            proposed={"total_investment": str(total), "budget": [
                {key: value if key == "year" else str(value) for key, value in row.items()} for row in halved]})
        self.at(quarters[1].end + timedelta(days=38), 14, 40)
        projects.decide_change(budget_change, by=officer, approve=False,
                               comment="压减后无法完成中试线建设目标，不同意调整。")
        self.at(quarters[1].end + timedelta(days=50), 9, 30)
        projects.decide_project(stopped, action="terminate", by=officer,
                                comment="承担单位经营困难，项目无法继续实施，经联盟理事会同意终止。")

        later = date(today.year + 1, 1, 1)
        approved = self._file(alliance, chair, spec, title=f"电子{keyword}基板关键技术研发", kind=ProjectKind.COMMON_RD,
                              start=later, end=date(later.year + 1, 12, 31), budget=Budget(500, 100, 150),
                              filed_on=today - timedelta(days=40))
        self._submit(approved, chair, today - timedelta(days=36))
        self._approve(approved, today - timedelta(days=15))

        waiting = self._file(alliance, chair, spec, title=f"{keyword}废料循环利用技术研发", kind=ProjectKind.COMMON_RD,
                             start=later, end=date(later.year + 1, 6, 30), budget=Budget(300, 0, 100), lead=vice,
                             filed_on=today - timedelta(days=9))
        self._submit(waiting, chair, today - timedelta(days=4))

        returned = self._file(alliance, chair, spec, title=f"{keyword}检测认证服务平台建设",
                              kind=ProjectKind.SERVICE_PLATFORM, start=later, end=date(later.year + 1, 12, 31),
                              budget=Budget(350, 0, 150), filed_on=today - timedelta(days=30))
        self._submit(returned, chair, today - timedelta(days=26))
        self.at(today - timedelta(days=18), 15, 45)
        projects.decide_project(returned, action="return", by=officer,
                                comment="请补充平台服务收费标准和对外开放共享方案，并细化年度投资计划。")

        rejected = self._file(alliance, chair, spec, title=f"{keyword}窑炉节能改造", kind=ProjectKind.COMMON_RD,
                              start=quarters[1].start, end=quarters[-1].end, budget=Budget(600, 0, 200),
                              filed_on=self.begin + timedelta(days=20))
        self._submit(rejected, chair, self.begin + timedelta(days=24))
        self.at(self.begin + timedelta(days=40), 10, 40)
        projects.decide_project(rejected, action="reject", by=officer,
                                comment="项目属单个企业技术改造，不属于联盟共性技术研发，不予立项。")

        self._file(alliance, chair, spec, title=f"{keyword}人才实训基地建设", kind=ProjectKind.SERVICE_PLATFORM,
                   start=later, end=date(later.year, 12, 31), budget=Budget(120, 0, 60),
                   filed_on=today - timedelta(days=2))

    def _running_project(self, alliance, chair, spec: Spec, quarters, *, late: bool) -> Project:
        """A two-year project reporting every quarter, or (``late``) late from its second report and
        overdue on its last."""
        end = date(self.begin.year + 1, 12, 31)
        reported = quarters[:-1] if late else quarters
        return self._approved_and_reporting(
            alliance, chair, spec, quarters, title=f"{spec.keywords[0]}共性关键技术研发", kind=ProjectKind.COMMON_RD,
            end=end, budget=Budget(800, 200, 250), reported=reported,
            late=set(range(1, len(reported))) if late else ())

    def _finished_project(self, alliance, chair, spec: Spec, quarters) -> None:
        project = self._approved_and_reporting(
            alliance, chair, spec, quarters, title=f"{spec.keywords[0]}公共检测服务平台建设",
            kind=ProjectKind.SERVICE_PLATFORM, end=quarters[1].end, budget=Budget(300, 0, 120), reported=quarters[:2])
        self.at(quarters[1].end + timedelta(days=12), 10, 0)
        projects.transition_project(project, action="request_acceptance", by=chair)
        self.at(quarters[1].end + timedelta(days=35), 15, 0)
        projects.decide_project(project, action="pass_acceptance", by=self.cast.officer, comment="平台运行良好，通过验收。")

    # --- assessments -------------------------------------------------------------------------------

    def _open(self, alliance, day: date, *, why: str = YEAR_ONE) -> AssessmentRound:
        self.at(day, 9, 30)
        return assessing.open_assessment(alliance, by=self.cast.officer, kind=AssessmentRound.Kind.ON_DEMAND,
                                         due_date=day + timedelta(days=30), comment=why)

    def _self_assess(self, assessment, chair, day: date, *, good: bool) -> None:
        self.at(day, 16, 0)
        report = assessment.self_assessment
        values = {name: getattr(report, name) for name in report.FIGURES}
        for name in report.FIGURES:
            if values[name] is None:
                values[name] = Decimal("86000") if name == "revenue" else 0
        values.update(
            goals_summary="完成工作方案年度主要目标。" if good else "部分年度目标未完成，项目进度滞后。",
            achievements="突破关键共性技术3项，制定联盟标准2项，建成公共技术服务平台1个。" if good
            else "召开理事会1次，启动共性技术项目1项。",
            problems="中小企业参与度有待提高。" if good else "成员单位参与度低，研发投入不足，活动开展少。",
            next_steps="扩大成员范围，加快成果转化。",
        )
        achievements = {row.pk: (row.target.target_value * Decimal("1.05" if good else "0.6"), "")
                        for row in report.target_achievements.select_related("target")}
        assessing.save_self_assessment(report, by=chair, values=values, achievements=achievements)
        assessing.submit_self_assessment(report, by=chair)

    def _experts_for(self, alliance, count: int, *, login_first: bool) -> list:
        conflicted = review.conflicts_of_interest(self.cast.experts, alliance)
        free = [e for e in self.cast.experts if e.pk not in conflicted]
        login = self.cast.experts[0]
        others = [e for e in free if e != login]
        chosen = self.rng.sample(others, count - 1 if login_first else count)
        return [login, *chosen] if login_first else chosen

    def _score(self, assessment, experts, day: date, *, share: float, pending=()) -> None:
        """Ask ``experts`` (and ``pending``, who do not score yet) on ``day``; the experts score in the days after."""
        criteria = list(AssessmentCriterion.objects.filter(is_active=True))
        assignments = []
        for number, expert in enumerate([*experts, *pending]):
            self.at(day, 9, 10 + number)
            assignments.append(assessing.assign_expert(assessment, expert=expert, by=self.cast.officer))
        for number, assignment in enumerate(assignments[:len(experts)]):
            self.at(day + timedelta(days=2 + number), 19, 30)
            scores = {c.pk: min(c.max_score, max(Decimal(0), (c.max_score * Decimal(str(
                share + self.rng.uniform(-0.04, 0.04)))).quantize(Decimal("0.5")))) for c in criteria}
            assessing.submit_score(assignment, by=assignment.expert.user, scores=scores,
                                   opinion="联盟运行规范，成果显著。" if share >= 0.8 else
                                   "联盟运行基本正常。" if share >= 0.6 else "联盟活跃度低，目标完成差距较大。")

    def _decided(self, alliance, chair, *, opened: int, share: float, why: str = YEAR_ONE,
                 **decision) -> AssessmentRound:
        """An assessment opened ``opened`` days ago, self-assessed, scored by three experts and decided."""
        assessment = self._open(alliance, self.today - timedelta(days=opened), why=why)
        self._self_assess(assessment, chair, self.today - timedelta(days=opened - 20), good=share >= 0.6)
        self._score(assessment, self._experts_for(alliance, 3, login_first=False),
                    self.today - timedelta(days=opened - 22), share=share)
        self.at(self.today - timedelta(days=opened - 40), 10, 0)
        return assessing.decide_outcome(assessment, by=self.cast.officer, **decision)

    def _assessment_showcase(self, alliance, chair) -> None:
        self._open(alliance, self.today - timedelta(days=6))  # the chairman unit is still writing it

    def _assessment_demonstration(self, alliance, chair) -> None:
        self._decided(alliance, chair, opened=90, share=0.92, comment="考核优秀，授予示范联盟称号。")

    def _assessment_pilot_kept(self, alliance, chair) -> None:
        self._decided(alliance, chair, opened=200, share=0.72, comment="考核合格，保留试点联盟资格。",
                      why="试点运行过半年，开展中期跟踪考核。")

    def _assessment_expert_scoring(self, alliance, chair) -> None:
        assessment = self._open(alliance, self.today - timedelta(days=40))
        self._self_assess(assessment, chair, self.today - timedelta(days=18), good=True)
        login, *others = self._experts_for(alliance, 3, login_first=True)
        self._score(assessment, others, self.today - timedelta(days=16), share=0.8, pending=[login])

    def _assessment_rectification(self, alliance, chair) -> None:
        self._decided(alliance, chair, opened=100, share=0.5, comment="多项考核指标未完成。",
                      rectification_deadline=self.today + timedelta(days=30),
                      required_actions="1. 召开理事会，调整联盟组织机构；2. 补足研发投入；3. 年内开展2次以上高层次交流活动。")

    def _assessment_revoked(self, alliance, chair) -> None:
        failed = self._decided(alliance, chair, opened=330, share=0.48, comment="联盟运行不规范，考核不合格。",
                               why="科技联络员反映联盟长期未开展活动、项目进展滞后，开展专项考核。",
                               rectification_deadline=self.today - timedelta(days=180),
                               required_actions="1. 健全理事会和秘书处；2. 落实研发投入；3. 按季度报送项目进展。")
        self.at(self.today - timedelta(days=185), 17, 0)
        assessing.submit_rectification_report(failed.rectification, by=chair,
                                              report="已召开理事会1次，研发投入仍在筹措中。")
        self.at(self.today - timedelta(days=175), 9, 0)
        reassessment = assessing.open_reassessment(failed.rectification, by=self.cast.officer,
                                                   comment="整改期满，组织复评。")
        self._score(reassessment, self._experts_for(alliance, 3, login_first=False),
                    self.today - timedelta(days=172), share=0.42)
        self.at(self.today - timedelta(days=REVOKED_DAYS_AGO), 10, 30)
        assessing.decide_reassessment(reassessment, by=self.cast.officer, restore=False,
                                      comment="整改不到位，复评不合格，撤销试点联盟称号。")

