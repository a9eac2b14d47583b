"""Every change of a site visit (实地考察). The stage itself changes through ``alliances.transitions.transition``.

``schedule_visit`` creates the visit in the ``before_save`` of the "start_site_visit" transition, so the
state, the visit, the audit event and the team's notifications happen together or not at all; the guard
of that action (``selectors.scheduling_problem``) keeps other paths from starting the stage without a
visit, and the guard of "send_to_joint_review" (``selectors.findings_problem``) waits for the findings.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import audit
from accounts.roles import Role
from accounts.rules import require
from alliance_portal.core.errors import IllegalTransition, WorkflowError
from alliances.models import Alliance
from alliances.transitions import transition
from alliances.workflow import State
from notifications.services import notify

from . import selectors
from .models import SiteVisit, SiteVisitAttachment, SiteVisitCheck
from .uploads import inspect_attachment


class AttachmentRefused(WorkflowError):
    status_code = 400



def _team_problems(team, alliance) -> list[str]:
    problems = []
    for user in team:
        if not user.is_active:
            problems.append(_("%(person)s is not available.") % {"person": user})
        elif not (user.has_role(Role.OFFICER) or user.has_role(Role.ADMIN) or user.has_role(Role.EXPERT)):
            problems.append(_("%(person)s is neither a bureau officer nor an expert.") % {"person": user})
    for user_id, reason in selectors.team_conflicts(team, alliance).items():
        name = next(str(u) for u in team if u.pk == user_id)
        problems.append(f"{name}: {reason}")
    return problems


def schedule_visit(alliance: Alliance, *, date: date, place: str, team, by) -> SiteVisit:
    """Schedule the site visit of an application after expert review (expert review → site visit).

    The team are officers and experts; anyone with a conflict of interest is refused, naming the reason,
    and nothing is scheduled. A repeated click returns the visit already scheduled.
    """
    require(by, "site_visits.schedule_visit", system_may=False)
    team = list(dict.fromkeys(team))
    place = (place or "").strip()
    if not team:
        raise WorkflowError(_("Choose at least one member of the visiting team."))
    if not place:
        raise WorkflowError(_("Say where the visit takes place."))
    if date < timezone.localdate():
        raise WorkflowError(_("The date of the visit cannot be in the past."))
    created = []

    def create(locked: Alliance) -> None:
        problems = _team_problems(team, locked)
        if problems:
            raise WorkflowError(" ".join(problems))
        visit = SiteVisit.objects.create(alliance=locked, version=locked.current_version, scheduled_on=date,
                                         place=place, scheduled_by=by)
        visit.team.set(team)
        audit.record("site_visit_scheduled", user=by, obj=visit, alliance=locked.pk, date=date.isoformat(),
                     place=place, team=[u.pk for u in team])
        transaction.on_commit(lambda: _notify_team(visit, team, by))
        created.append(visit)

    record = transition(alliance, action="start_site_visit", by=by, before_save=create)
    if record is None:
        return selectors.current_visit(alliance)
    return created[0]


def record_findings(visit: SiteVisit, *, checks: dict, conclusion: str, summary: str, attachments=(),
                    by) -> SiteVisit | None:
    """Record what the visit verified against the application, its conclusion and its photos or documents.

    ``checks`` maps each ``SiteVisitCheck.Item`` to ``(verified, note)``; an item that did not match needs
    a note, and then the conclusion cannot be "confirmed". Findings are final once recorded: a repeated
    click returns None. Precondition: the application is in the site-visit stage and the day has come.
    """
    require(by, "site_visits.record_findings", system_may=False)
    summary = (summary or "").strip()
    problems = _findings_problems(checks, conclusion, summary)
    if problems:
        raise WorkflowError(" ".join(problems))
    infos = []
    for upload in attachments:
        try:
            infos.append((upload, inspect_attachment(upload)))
        except ValidationError as error:
            raise AttachmentRefused(error.messages[0]) from None
    stored = []
    try:
        with transaction.atomic():
            locked = SiteVisit.objects.select_for_update(of=("self",)).select_related("alliance").get(pk=visit.pk)
            if locked.is_concluded:
                return None
            if locked.alliance.state != State.SITE_VISIT or locked.version != locked.alliance.current_version:
                raise IllegalTransition(_("The application is no longer in the site-visit stage; reload the page."))
            if locked.scheduled_on > timezone.localdate():
                raise WorkflowError(_("The visit is scheduled for %(date)s; record its findings on or after that "
                                      "day.") % {"date": date_format(locked.scheduled_on, "DATE_FORMAT")})
            SiteVisitCheck.objects.bulk_create(
                SiteVisitCheck(visit=locked, item=item, verified=bool(checks[item][0]),
                               note=(checks[item][1] or "").strip())
                for item in SiteVisitCheck.Item.values
            )
            for upload, info in infos:
                attachment = SiteVisitAttachment(
                    visit=locked, original_name=(getattr(upload, "name", "") or "attachment")[-255:],
                    content_type=info.content_type, size=info.size, sha256=info.sha256, uploaded_by=by,
                )
                upload.seek(0)
                attachment.file.save("attachment", upload, save=False)  # attachment_upload_path names it
                stored.append(attachment.file.name)
                attachment.save()
            locked.status = SiteVisit.Status.CONCLUDED
            locked.conclusion = conclusion
            locked.summary = summary
            locked.concluded_by = by
            locked.concluded_at = timezone.now()
            locked.save(update_fields=["status", "conclusion", "summary", "concluded_by", "concluded_at"])
            audit.record("site_visit_findings", user=by, obj=locked, alliance=locked.alliance_id,
                         conclusion=conclusion, not_verified=[i for i in checks if not checks[i][0]],
                         attachments=[info.sha256 for _upload, info in infos])
            transaction.on_commit(lambda: _notify_findings(locked, by))
    except Exception:
        for name in stored:  # the rows were rolled back: do not leave their files behind
            default_storage.delete(name)
        raise
    visit.status, visit.conclusion, visit.summary = locked.status, locked.conclusion, locked.summary
    return locked


def _findings_problems(checks: dict, conclusion: str, summary: str) -> list[str]:
    problems = []
    missing = [SiteVisitCheck.Item(item).label for item in SiteVisitCheck.Item.values if item not in checks]
    if missing:
        problems.append(_("Say for each item whether it matched the application: %(items)s.")
                        % {"items": "、".join(str(m) for m in missing)})
    unverified = [item for item in SiteVisitCheck.Item.values if item in checks and not checks[item][0]]
    for item in unverified:
        if not (checks[item][1] or "").strip():
            problems.append(_("Describe what did not match for “%(item)s”.") % {"item": SiteVisitCheck.Item(item).label})
    if conclusion not in SiteVisit.Conclusion.values:
        problems.append(_("Choose a conclusion."))
    elif conclusion == SiteVisit.Conclusion.CONFIRMED and unverified:
        problems.append(_("Some items did not match the application; the conclusion cannot be “confirmed”."))
    if not summary:
        problems.append(_("Write a summary of the findings."))
    return problems


def _notify_team(visit: SiteVisit, team, by) -> None:
    notify([u for u in team if u != by], kind="site_visit_scheduled",
           title=_("Site visit to %(alliance)s on %(date)s") % {
               "alliance": visit.alliance.name, "date": date_format(visit.scheduled_on, "DATE_FORMAT")},
           body=visit.place, url=selectors.visit_url(visit))


def _notify_findings(visit: SiteVisit, by) -> None:
    notify([u for u in visit.team.all() if u != by], kind="site_visit_findings",
           title=_("Findings of the site visit to %(alliance)s: %(conclusion)s") % {
               "alliance": visit.alliance.name, "conclusion": visit.get_conclusion_display()},
           body=visit.summary, url=selectors.visit_url(visit))
