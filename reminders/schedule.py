"""Pure date arithmetic of reminders: which stage a deadline is in on a given day.

A deadline with lead times (60, 30, 7) has stages "60d" (from 60 days before until 31 days before),
"30d", "7d" (7 days before through the due date itself) and, once it has passed, "overdue-1",
"overdue-2", … (one per repeat period). The stage is part of a reminder's natural key, so a sweep
that runs every day sends each stage once, and a sweep that missed some days catches up with the
current stage only (never a stale "60 days left" in the last week).
"""

from datetime import date

OVERDUE = "overdue"


def lead_stage(days: int) -> str:
    return f"{days}d"


def overdue_stage(period: int) -> str:
    return f"{OVERDUE}-{period}"


def stage_on(due: date, today: date, *, lead_days: tuple[int, ...], repeat_days: int,
             overdue: bool = True) -> str | None:
    """The stage of ``due`` on ``today``, or None when nothing is to be said that day.

    ``lead_days`` must be distinct positive ints, furthest first (``conf.lead_days``). With
    ``repeat_days`` 0 an overdue deadline has the single stage "overdue-1".
    """
    left = (due - today).days
    if left >= 0:
        for index, days in enumerate(lead_days):
            nearer = lead_days[index + 1] if index + 1 < len(lead_days) else -1
            if nearer < left <= days:
                return lead_stage(days)
        return None
    if not overdue:
        return None
    late = -left
    period = 1 if repeat_days <= 0 else (late - 1) // repeat_days + 1
    return overdue_stage(period)


def is_overdue(stage: str) -> bool:
    return stage.startswith(OVERDUE)

