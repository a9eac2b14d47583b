"""Every change to a call: creation, editing, publication, window extension, its scorecard, applicants' documents.

Each function takes keyword arguments and plain objects, checks the officer's permission, works inside
one transaction on a locked row and writes an audit event.
"""

from decimal import Decimal

import rules
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.rules import require
from alliance_portal.core.errors import NotPermitted
from alliances.models import Alliance
from alliances.uploads import PdfInfo, inspect_pdf
from alliances.workflow import EDITABLE_BY_APPLICANT
from reviews.models import ScoreCriterion

from . import selectors
from .errors import CallError
from .models import ApplicationDocument, Call, RequiredDocument, WindowExtension

CALL_FIELDS = ("year", "batch_number", "title", "title_en", "guide", "opens_at", "closes_at",
               "requires_district_recommendation", "district_quota", "uses_site_visits")
DOCUMENT_FIELDS = ("name", "name_en", "description", "is_required")
CRITERION_FIELDS = ("name", "name_en", "guidance", "weight", "max_score")




def _check_window(opens_at, closes_at) -> None:
    if opens_at is None or closes_at is None or closes_at <= opens_at:
        raise CallError(_("The window must close after it opens."))


def _lock(call: Call) -> Call:
    return Call.objects.select_for_update().get(pk=call.pk)


def create_call(*, by, sectors=(), documents=(), **fields) -> Call:
    """Create an unpublished call with its required documents and a copy of the bureau's default scorecard."""
    require(by, "calls.manage_call", system_may=False,
            message=_("Only bureau officers may manage calls for applications."))
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _check_window(fields.get("opens_at"), fields.get("closes_at"))
    with transaction.atomic():
        call = Call.objects.create(created_by=by, **fields)
        call.sectors.set(sectors)
        _replace_documents(call, documents)
        ScoreCriterion.objects.bulk_create(
            ScoreCriterion(call=call, is_active=True, position=criterion.position,
                           **{name: getattr(criterion, name) for name in CRITERION_FIELDS})
            for criterion in ScoreCriterion.objects.filter(call=None, is_active=True).order_by("position", "pk")
        )
        audit.record("call_created", user=by, obj=call, title=call.title, year=call.year, batch=call.batch_number)
    return call


def update_call(call: Call, *, by, sectors=None, documents=None, **changes) -> Call:
    """Change a call's fields, sectors (when given) and required documents (when given, the whole list)."""
    require(by, "calls.manage_call", system_may=False,
            message=_("Only bureau officers may manage calls for applications."))
    unknown = set(changes) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock(call)
        if "closes_at" in changes and locked.is_published and changes["closes_at"] != locked.closes_at:
            raise CallError(_("The window of a published call is changed only by an extension, with its reason."))
        changed = [name for name, value in changes.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, changes[name])
        _check_window(locked.opens_at, locked.closes_at)
        if changed:
            locked.save(update_fields=changed)
        if sectors is not None:
            locked.sectors.set(sectors)
        if documents is not None:
            _replace_documents(locked, documents)
        audit.record("call_updated", user=by, obj=locked, fields=changed, documents=documents is not None)
    return locked


def _replace_documents(call: Call, documents) -> None:
    """Make the call's required documents the given rows (dicts; with ``id`` to keep an existing one)."""
    kept = []
    for position, row in enumerate(documents):
        values = {name: row.get(name, "" if name != "is_required" else True) for name in DOCUMENT_FIELDS}
        document_id = row.get("id")
        if document_id:
            RequiredDocument.objects.filter(call=call, pk=document_id).update(position=position, **values)
            kept.append(document_id)
        else:
            kept.append(RequiredDocument.objects.create(call=call, position=position, **values).pk)
    removable = RequiredDocument.objects.filter(call=call).exclude(pk__in=kept)
    if removable.filter(uploads__isnull=False).exists():
        raise CallError(_("Applicants have uploaded some of the documents you removed; keep them or mark them "
                          "optional."))
    removable.delete()


def publish(call: Call, *, by) -> Call:
    """Publish the call (it appears on the public page); a second click changes nothing."""
    require(by, "calls.manage_call", system_may=False,
            message=_("Only bureau officers may manage calls for applications."))
    with transaction.atomic():
        locked = _lock(call)
        if locked.is_published:
            return locked
        locked.is_published = True
        locked.save(update_fields=["is_published"])
        audit.record("call_published", user=by, obj=locked)
    return locked


def extend_window(call: Call, *, closes_at, reason: str, by) -> WindowExtension:
    """Move the closing of the window later, recording the reason. Precondition: later than the current close."""
    require(by, "calls.manage_call", system_may=False,
            message=_("Only bureau officers may manage calls for applications."))
    reason = (reason or "").strip()
    if not reason:
        raise CallError(_("Please write down the reason for the extension."))
    with transaction.atomic():
        locked = _lock(call)
        if closes_at is None or closes_at <= locked.closes_at:
            raise CallError(_("An extension must move the closing later than %(closes)s.")
                            % {"closes": _format(locked.closes_at)})
        extension = WindowExtension.objects.create(call=locked, previous_closes_at=locked.closes_at,
                                                   closes_at=closes_at, reason=reason, extended_by=by)
        locked.closes_at = closes_at
        locked.save(update_fields=["closes_at"])
        audit.record("call_window_extended", user=by, obj=locked, previous=extension.previous_closes_at.isoformat(),
                     closes_at=closes_at.isoformat(), reason=reason)
    call.closes_at = closes_at
    return extension


def update_criteria(call: Call, *, by, criteria: list[dict]) -> list[ScoreCriterion]:
    """Replace the call's scorecard. Refused once any expert submitted a score under it; weights sum to 100."""
    require(by, "calls.manage_call", system_may=False,
            message=_("Only bureau officers may manage calls for applications."))
    total = sum((Decimal(row["weight"]) for row in criteria), Decimal(0))
    if not criteria:
        raise CallError(_("The scorecard needs at least one criterion."))
    if total != 100:
        raise CallError(_("The weights add up to %(total)s; they must add up to 100.") % {"total": total})
    with transaction.atomic():
        locked = _lock(call)
        if selectors.scorecard_locked(locked):
            raise CallError(str(selectors.SCORECARD_LOCKED))
        kept = []
        for position, row in enumerate(criteria):
            values = {name: row.get(name, "") for name in CRITERION_FIELDS}
            criterion_id = row.get("id")
            if criterion_id and ScoreCriterion.objects.filter(call=locked, pk=criterion_id).update(
                    position=position, is_active=True, **values):
                kept.append(criterion_id)
            else:
                kept.append(ScoreCriterion.objects.create(call=locked, position=position, **values).pk)
        # Criteria scored in saved drafts are referenced by those scores: retire them instead of deleting.
        ScoreCriterion.objects.filter(call=locked).exclude(pk__in=kept).update(is_active=False)
        audit.record("call_scorecard_updated", user=by, obj=locked, criteria=len(kept))
    return list(ScoreCriterion.objects.filter(call=call, is_active=True))


def upload_document(alliance: Alliance, *, required_document: RequiredDocument, file, by,
                    info: PdfInfo | None = None) -> ApplicationDocument:
    """Store an applicant's scan of one of its call's documents (PDF checked by content). Earlier uploads stay."""
    info = info or inspect_pdf(file)  # raises ValidationError with the reason
    if not rules.has_perm("alliances.edit_application", by, alliance):
        raise NotPermitted(_("Only the chairman unit may upload documents, while the application is a draft "
                             "or returned for revision."))
    if required_document.call_id != alliance.call_id:
        raise CallError(_("This document is not asked for by the application's call."))
    stored = None
    try:
        with transaction.atomic():
            locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
            if locked.state not in EDITABLE_BY_APPLICANT:
                raise NotPermitted(_("This application is with the bureau; documents can be uploaded only while "
                                     "it is a draft or returned for revision."))
            document = ApplicationDocument(
                alliance=locked, required_document=required_document, uploaded_by=by,
                original_name=(getattr(file, "name", "") or "document.pdf")[-255:],
                size=info.size, sha256=info.sha256, pages=info.pages,
            )
            file.seek(0)
            document.file.save("document.pdf", file, save=False)
            stored = document.file.name
            document.save()
            audit.record("call_document_uploaded", user=by, obj=locked, document=document.pk,
                         required_document=required_document.pk, sha256=info.sha256, size=info.size)
    except Exception:
        if stored:  # the row was rolled back: do not leave its file behind
            default_storage.delete(stored)
        raise
    return document


def _format(value) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def check_call_accepts(call: Call, sector) -> None:
    """Refuse a new application to ``call`` unless the call is open now and covers ``sector``."""
    if not call.is_open():
        raise CallError(_("“%(call)s” accepts applications from %(opens)s to %(closes)s; it is not open now.")
                        % {"call": call.title, "opens": _format(call.opens_at), "closes": _format(call.closes_at)})
    if not selectors.covers(call, sector):
        raise CallError(_("“%(call)s” does not cover the sector %(sector)s; choose another call or sector.")
                        % {"call": call.title, "sector": sector.name})
