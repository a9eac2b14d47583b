"""Frozen application versions: the snapshot taken at submission and the differences between two.

A snapshot is plain JSON (decimals as strings, dates as ISO text), so it never changes when the
live rows change later. ``diff`` compares two snapshots section by section and names each field
with its label, so a reviewer reads "Output targets: … → …" rather than keys.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from .models import Alliance, AllianceAgreement, GovernanceMember, Membership, PlannedInvestment, WorkPlan

SNAPSHOT_FORMAT = 1
BASIC_FIELDS = (
    "name", "technical_direction", "output_targets", "secretariat_contact", "secretariat_phone",
    "secretariat_email", "secretariat_address", "standing_body",
)


def snapshot(alliance: Alliance) -> dict:
    """Everything the applicant submits, as plain JSON. Bounded queries whatever the size."""
    alliance = Alliance.objects.select_related("sector", "chairman", "chairman__district").get(pk=alliance.pk)
    members = (
        Membership.objects.filter(alliance=alliance).select_related("organisation")
        .order_by("role", "organisation__name", "pk")
    )
    governance = GovernanceMember.objects.filter(alliance=alliance).order_by("body", "pk")
    agreement = AllianceAgreement.objects.filter(alliance=alliance).first()
    plan = WorkPlan.objects.filter(alliance=alliance).prefetch_related("targets", "investments").first()
    chairman = alliance.chairman
    return {
        "format": SNAPSHOT_FORMAT,
        "basic": {
            **{name: getattr(alliance, name) for name in BASIC_FIELDS},
            "sector": {"id": alliance.sector_id, "code": alliance.sector.code, "name": alliance.sector.name},
            "chairman": {"id": chairman.pk, "name": chairman.name, "credit_code": chairman.credit_code,
                         "district": chairman.district.name},
        },
        "members": [
            {
                "organisation_id": m.organisation_id, "name": m.organisation.name,
                "credit_code": m.organisation.credit_code, "kind": m.organisation.kind,
                "role": m.role, "is_core": m.is_core, "status": m.status,
            }
            for m in members
        ],
        "governance": [
            {"body": g.body, "person_name": g.person_name, "position": g.position, "title": g.title,
             "organisation_name": g.organisation_name}
            for g in governance
        ],
        "agreement": None if agreement is None else {
            "id": agreement.pk, "original_name": agreement.original_name, "size": agreement.size,
            "sha256": agreement.sha256, "pages": agreement.pages, "uploaded_at": agreement.uploaded_at.isoformat(),
        },
        "work_plan": {name: getattr(plan, name) if plan else "" for name in WorkPlan.TEXT_FIELDS},
        "targets": [
            {"year": t.year, "indicator": t.indicator, "target_value": plain_decimal(t.target_value), "unit": t.unit}
            for t in (plan.targets.all() if plan else [])
        ],
        "investment": [
            {"year": i.year, "source": i.source, "amount": plain_decimal(i.amount)}
            for i in (plan.investments.all() if plan else [])
        ],
    }


def plain_decimal(value) -> str:
    """Decimals as text without trailing zeros ("1200.5", not "1200.5000", "1.2E+3" or a float)."""
    return format(value.normalize(), "f")


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class RowChange:
    """One row of a list (a member unit, a target …) that was added, removed or changed."""

    kind: str  # "added", "removed" or "changed"
    title: str
    details: list[FieldChange] = field(default_factory=list)


@dataclass
class SectionDiff:
    title: str
    fields: list[FieldChange] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.rows)


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def _choice(choices, value):
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _yes_no(value):
    return str(_("yes") if value else _("no"))


def _fields(old: dict, new: dict, labels: dict) -> list[FieldChange]:
    return [
        FieldChange(str(label), str(old.get(name) or ""), str(new.get(name) or ""))
        for name, label in labels.items()
        if (old.get(name) or "") != (new.get(name) or "")
    ]


def _rows(old: list, new: list, key, title, describe) -> list[RowChange]:
    """Rows matched by ``key``; ``describe(row)`` gives {label: text} compared field by field."""
    old_by_key = {key(row): row for row in old}
    new_by_key = {key(row): row for row in new}
    changes = []
    for k, row in new_by_key.items():
        if k not in old_by_key:
            changes.append(RowChange("added", title(row), [FieldChange(label, "", text)
                                                             for label, text in describe(row).items() if text]))
            continue
        before, after = describe(old_by_key[k]), describe(row)
        details = [FieldChange(label, before.get(label, ""), text) for label, text in after.items()
                   if before.get(label, "") != text]
        if details:
            changes.append(RowChange("changed", title(row), details))
    for k, row in old_by_key.items():
        if k not in new_by_key:
            changes.append(RowChange("removed", title(row)))
    return changes


def diff(old: dict, new: dict) -> list[SectionDiff]:
    """Section-by-section differences between two snapshots (older first)."""
    basic_labels = {name: _label(Alliance, name) for name in BASIC_FIELDS}
    old_basic, new_basic = dict(old["basic"]), dict(new["basic"])
    for snap in (old_basic, new_basic):
        snap["sector_name"] = snap["sector"]["name"]
        snap["chairman_name"] = snap["chairman"]["name"]
    basic_labels["sector_name"] = _label(Alliance, "sector")
    basic_labels["chairman_name"] = _label(Alliance, "chairman")

    def describe_member(row):
        return {
            str(_("role")): _choice(Membership.Role, row["role"]),
            str(_("core enterprise")): _yes_no(row["is_core"]),
            str(_("status")): _choice(Membership.Status, row["status"]),
        }

    def describe_governance(row):
        return {
            str(_("position in the body")): row["position"],
            str(_("professional title")): row["title"],
            str(_("organisation")): row["organisation_name"],
        }

    def describe_target(row):
        return {str(_("target")): f"{row['target_value']} {row['unit']}"}

    def describe_investment(row):
        return {str(_("amount (10k CNY)")): row["amount"]}

    agreement = SectionDiff(str(_("Alliance agreement")))
    old_agreement, new_agreement = old.get("agreement") or {}, new.get("agreement") or {}
    if old_agreement.get("sha256") != new_agreement.get("sha256"):
        agreement.fields.append(FieldChange(
            str(_("file")), _agreement_text(old_agreement), _agreement_text(new_agreement)))

    return [
        SectionDiff(str(_("Basic information")), fields=_fields(old_basic, new_basic, basic_labels)),
        SectionDiff(str(pgettext("application section", "Member units")), rows=_rows(
            old["members"], new["members"], key=lambda r: r["credit_code"],
            title=lambda r: f"{r['name']}（{r['credit_code']}）", describe=describe_member)),
        SectionDiff(str(_("Governance")), rows=_rows(
            old["governance"], new["governance"], key=lambda r: (r["body"], r["person_name"]),
            title=lambda r: f"{_choice(GovernanceMember.Body, r['body'])}：{r['person_name']}",
            describe=describe_governance)),
        agreement,
        SectionDiff(str(_("Work plan")), fields=_fields(
            old["work_plan"], new["work_plan"], {name: _label(WorkPlan, name) for name in WorkPlan.TEXT_FIELDS})),
        SectionDiff(str(_("Targets per year")), rows=_rows(
            old["targets"], new["targets"], key=lambda r: (r["year"], r["indicator"]),
            title=lambda r: f"{r['year']} {r['indicator']}", describe=describe_target)),
        SectionDiff(str(_("Planned R&D investment")), rows=_rows(
            old["investment"], new["investment"], key=lambda r: (r["year"], r["source"]),
            title=lambda r: f"{r['year']} {_choice(PlannedInvestment.Source, r['source'])}",
            describe=describe_investment)),
    ]


def _agreement_text(agreement: dict) -> str:
    if not agreement:
        return ""
    return f"{agreement['original_name']} (SHA-256 {agreement['sha256'][:12]}…)"
