"""Lead times and batch sizes of the reminder sweeps, read from ``settings.PORTAL["REMINDERS"]``.

settings.py sets the lead times (from ``REMINDER_*`` environment variables); every key also has a
default here, for the keys a deployment or a test leaves out. Day counts are calendar days;
deadlines are dates in the portal's time zone (end of day local time).
"""

from django.conf import settings

DEFAULTS = {
    # Biennial assessment (两年一次考核): days before the anniversary of designation or of the last
    # assessment (the cycle's length is the bureau's ``assessments.AssessmentRules.cycle_years``).
    "ASSESSMENT_LEAD_DAYS": (60, 30, 7),
    # The self-assessment report (自评报告) of an open assessment: days before its due date.
    "SELF_ASSESSMENT_LEAD_DAYS": (7,),
    # Progress reports (进展报告) of projects: due reminder this many days before; overdue weekly.
    "PROGRESS_REPORT_LEAD_DAYS": (7,),
    # Expert reviews (专家评审): due reminder this many days before the assignment's deadline.
    "EXPERT_REVIEW_LEAD_DAYS": (3,),
    # A returned application (退回修改) not resubmitted this many days after it was returned.
    "RESUBMISSION_DAYS": 30,
    # Annual development plan (年度发展计划): due reminder in this month, "missing" from this month on.
    "ANNUAL_PLAN_DUE_MONTH": 1,
    "ANNUAL_PLAN_MISSING_MONTH": 3,
    # Rectification (整顿) deadline approaching: days before; passed: weekly.
    "RECTIFICATION_LEAD_DAYS": (30, 7),
    # Overdue subjects are reminded again every this many days (0: only once).
    "OVERDUE_REPEAT_DAYS": 7,
    # Ledger rows written per INSERT statement (bounds memory; one statement for any city or province),
    # and reminders handed to one delivery task.
    "INSERT_BATCH_SIZE": 100_000,
    "DELIVERY_BATCH_SIZE": 200,
    # A pending reminder older than this (minutes) is handed to a delivery task again.
    "REDELIVER_AFTER_MINUTES": 30,
}


def get(name: str):
    """One reminder setting: ``settings.PORTAL["REMINDERS"][name]`` or its default."""
    configured = getattr(settings, "PORTAL", {}).get("REMINDERS", {})
    return configured.get(name, DEFAULTS[name])


def lead_days(name: str) -> tuple[int, ...]:
    """A lead-time setting as distinct positive day counts, furthest first."""
    return tuple(sorted({int(days) for days in get(name) if int(days) > 0}, reverse=True))
