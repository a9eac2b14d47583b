"""Member units, alliances, memberships, governance, agreements, work plans and frozen versions."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.rules import is_district_reviewer
from alliance_portal.core.records import TransitionRecord
from alliance_portal.core.validators import validate_no_invisible_controls
from alliances.workflow import State

from .credit_code import validate_credit_code
from .fields import CreditCodeField

# Money is stored in 万元 (10,000 CNY) with four decimals, never as floats.
MONEY = {"max_digits": 16, "decimal_places": 4, "validators": [MinValueValidator(Decimal("0"))]}


def in_reader_language(chinese: str, english: str) -> str:
    """Reference data is entered in Chinese with an optional English name: the one for the page's reader."""
    return english if english and (get_language() or "").startswith("en") else chinese


class Sector(models.Model):
    """An industry sector (产业领域), managed by the bureau."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("industry sector")
        verbose_name_plural = _("industry sectors")
        ordering = ["position", "name"]

    def __str__(self):
        return in_reader_language(self.name, self.name_en)


class District(models.Model):
    """A district or county (区县) of the city."""

    code = models.CharField(_("division code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self):
        return in_reader_language(self.name, self.name_en)


class Organisation(models.Model):
    """A member unit (成员单位): enterprise, university, research institute or other body."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", pgettext_lazy("organisation kind", "Enterprise")
        UNIVERSITY = "university", pgettext_lazy("organisation kind", "University")
        INSTITUTE = "institute", pgettext_lazy("organisation kind", "Research institute")
        OTHER = "other", pgettext_lazy("organisation kind", "Other body")

    class Verification(models.TextChoices):
        PENDING = "pending", pgettext_lazy("verification", "Awaiting verification")
        VERIFIED = "verified", pgettext_lazy("verification", "Verified")
        REJECTED = "rejected", pgettext_lazy("verification", "Rejected")

    name = models.CharField(_("organisation name"), max_length=200, validators=[validate_no_invisible_controls])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    credit_code = CreditCodeField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code],
        error_messages={"unique": _("An organisation with this unified social credit code is already registered.")},
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=255)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    contact_person = models.CharField(_("contact person"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("email"))
    # Enterprise figures (blank for other kinds)
    is_high_tech = models.BooleanField(_("certified high-tech enterprise"), default=False)
    rd_staff = models.PositiveIntegerField(_("R&D staff"), null=True, blank=True)
    rd_spending = models.DecimalField(_("R&D spending (10k CNY)"), null=True, blank=True, **MONEY)
    revenue = models.DecimalField(_("revenue (10k CNY)"), null=True, blank=True, **MONEY)

    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default=Verification.PENDING, db_index=True
    )
    verification_note = models.TextField(_("verification note"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    # Units of alliances designated before the portal (存量联盟) come from the bureau's workbook without
    # users; one person may later claim the unit's account (``claimed_by``), which the bureau verifies.
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("claimed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["district", "kind"]),
                   models.Index(fields=["created_at"])]  # dashboard filter by year
        constraints = [
            # Stored upper-case only (CreditCodeField normalises every ORM write); with ``unique=True`` this
            # makes the code unique whatever its case, even for a write that goes around the model.
            models.CheckConstraint(condition=Q(credit_code=Upper("credit_code")),
                                   name="organisation_credit_code_upper_case"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification == self.Verification.VERIFIED

    @property
    def is_rd_organisation(self) -> bool:
        return self.kind in (self.Kind.UNIVERSITY, self.Kind.INSTITUTE) or self.platforms.exists()


class RDPlatform(models.Model):
    """An R&D platform a unit holds (工程技术研究中心, 企业技术中心, 重点实验室 …)."""

    class Kind(models.TextChoices):
        ENGINEERING_CENTRE = "engineering_centre", _("Engineering (technology) research centre")
        ENTERPRISE_CENTRE = "enterprise_centre", _("Enterprise technology centre")
        ENGINEERING_LAB = "engineering_lab", _("Engineering laboratory")
        KEY_LAB = "key_lab", _("Key laboratory")
        ACADEMICIAN = "academician", _("Academician workstation")
        POSTDOC = "postdoc", _("Postdoctoral workstation")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        MUNICIPAL = "municipal", _("Municipal")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="platforms")
    kind = models.CharField(_("platform type"), max_length=30, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    name = models.CharField(_("platform name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("R&D platform")
        verbose_name_plural = _("R&D platforms")

    def __str__(self):
        return self.name or f"{self.get_level_display()} {self.get_kind_display()}"


class AllianceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Alliances the user may see: the bureau sees all; a unit sees those it is a member of; a district
        reviewer sees the applications of its district while they wait for its recommendation."""

        from .rules import sees_all_alliances  # rules.py imports this module

        if not user.is_authenticated:
            return self.none()
        if sees_all_alliances(user):
            return self
        if user.district_id and is_district_reviewer(user):
            return self.filter(state=State.DISTRICT_REVIEW, chairman__district_id=user.district_id)
        if user.organisation_id is None:
            return self.none()
        # A subquery, not a join on memberships + DISTINCT: the join made PostgreSQL hash every
        # membership of the province for each page of a member's list.
        return self.filter(
            Q(chairman_id=user.organisation_id)
            | Q(pk__in=Membership.objects.filter(
                organisation_id=user.organisation_id,
                status__in=[Membership.Status.CONFIRMED, Membership.Status.INVITED],
            ).values("alliance_id"))
        )


def units_district(unit: str) -> Subquery:
    """The district of the member unit in the field ``unit`` of each row, for ``update()``: how a row's kept
    copy of its unit's district (``Alliance.chairman_district``, ``Project.lead_district``) is set again."""
    return Subquery(Organisation.objects.filter(pk=OuterRef(unit)).values("district")[:1])


def keeping_units_district(instance, unit: str, district: str, save_kwargs: dict) -> dict:
    """Before ``instance`` is saved: its kept copy ``district`` takes the district of the member unit in ``unit``
    whenever that unit may have changed (a full save, or ``unit`` among the fields saved). Returns the save's
    keyword arguments, whose ``update_fields`` then name the copy too."""
    update_fields = save_kwargs.get("update_fields")
    if update_fields is not None and not {unit, f"{unit}_id"} & set(update_fields):
        return save_kwargs
    if getattr(type(instance), unit).is_cached(instance):
        district_id = getattr(instance, unit).district_id
    else:
        district_id = Organisation.objects.filter(pk=getattr(instance, f"{unit}_id")).values_list(
            "district_id", flat=True).first()
    setattr(instance, f"{district}_id", district_id)
    return save_kwargs if update_fields is None else {**save_kwargs, "update_fields": {*update_fields, district}}


class Alliance(models.Model):
    """An industrial technology innovation strategic alliance (产业技术创新战略联盟) and its application."""

    name = models.CharField(_("alliance name"), max_length=200, validators=[validate_no_invisible_controls])
    sector = models.ForeignKey(Sector, verbose_name=_("industry sector"), on_delete=models.PROTECT,
                               related_name="alliances")
    technical_direction = models.TextField(_("technical direction"), blank=True)
    output_targets = models.TextField(_("output targets"), blank=True)
    chairman = models.ForeignKey(Organisation, verbose_name=_("chairman unit"), on_delete=models.PROTECT,
                                 related_name="chaired_alliances")
    # The chairman unit's district, kept on the row (``save``; ``alliances.tally.organisations_kept`` when the
    # unit moves): the lists and the dashboard filter and group alliances by district without joining the units.
    chairman_district = models.ForeignKey(District, verbose_name=_("district of the chairman unit"), null=True,
                                          editable=False, on_delete=models.PROTECT, related_name="+")
    secretariat_contact = models.CharField(_("secretariat contact"), max_length=50, blank=True)
    secretariat_phone = models.CharField(_("secretariat phone"), max_length=30, blank=True)
    secretariat_email = models.EmailField(_("secretariat email"), blank=True)
    secretariat_address = models.CharField(_("secretariat address"), max_length=255, blank=True)
    standing_body = models.CharField(
        _("standing body"), max_length=200, blank=True,
        help_text=_("The permanent office that runs the alliance day to day (常设机构)."),
    )
    call = models.ForeignKey(
        "calls.Call", verbose_name=_("call for applications"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="applications",
        help_text=_("The call this application answers; empty for alliances designated before the portal."),
    )

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)
    current_version = models.PositiveIntegerField(_("submitted versions"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    imported_at = models.DateTimeField(
        _("imported at"), null=True, blank=True,
        help_text=_("Set for alliances designated before the portal and imported from a workbook (存量联盟)."),
    )

    objects = AllianceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "chairman_district"])

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["sector", "state"]), models.Index(fields=["state", "-created_at"]),
            # the API list's and the list page's default orderings: the first page is read off the index
            models.Index(fields=["-created_at", "-id"], name="alliance_newest_idx"),
            models.Index(fields=["-updated_at", "-id"], name="alliance_recent_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Saved with its chairman unit's district (``chairman_district``) whenever the chairman may have
        changed."""
        super().save(*args, **keeping_units_district(self, "chairman", "chairman_district", kwargs))

    @property
    def stages(self):
        """The optional workflow stages of this application's call (none outside a call)."""
        return self.call.stages if self.call_id else frozenset()


class Membership(models.Model):
    """An organisation's place in an alliance. Only confirmed memberships count."""

    class Role(models.TextChoices):
        CHAIRMAN = "chairman", pgettext_lazy("alliance role", "Chairman unit")
        VICE_CHAIRMAN = "vice_chairman", pgettext_lazy("alliance role", "Vice-chairman unit")
        SECRETARIAT = "secretariat", pgettext_lazy("alliance role", "Secretariat unit")
        TECHNICAL_SUPPORT = "technical_support", pgettext_lazy("alliance role", "Technical support unit")
        MEMBER = "member", pgettext_lazy("alliance role", "Member unit")

    class Status(models.TextChoices):
        INVITED = "invited", pgettext_lazy("membership", "Invited")
        CONFIRMED = "confirmed", pgettext_lazy("membership", "Confirmed")
        DECLINED = "declined", pgettext_lazy("membership", "Declined")
        LEFT = "left", pgettext_lazy("membership", "Left")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    is_core = models.BooleanField(_("core enterprise"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["alliance", "organisation"], name="membership_once_per_alliance"),
        ]
        indexes = [models.Index(fields=["organisation", "status"]), models.Index(fields=["alliance", "status"])]

    def __str__(self):
        return f"{self.organisation} – {self.get_role_display()}"


class GovernanceMember(models.Model):
    """A person on the council (理事会) or the expert technical committee (专家技术委员会)."""

    class Body(models.TextChoices):
        COUNCIL = "council", _("Council")
        EXPERT_COMMITTEE = "expert_committee", _("Expert technical committee")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="governance_members")
    body = models.CharField(_("body"), max_length=20, choices=Body.choices)
    person_name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position in the body"), max_length=50, blank=True)
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("governance member")
        verbose_name_plural = _("governance members")
        ordering = ["body", "pk"]

    def __str__(self):
        return f"{self.get_body_display()}: {self.person_name}"


def agreement_upload_path(instance, filename):
    return f"agreements/{instance.alliance_id}/{timezone.now():%Y%m%d%H%M%S}-{instance.sha256[:12]}.pdf"


class AllianceAgreement(models.Model):
    """A scan of the signed alliance agreement (联盟协议), PDF. The newest upload is the current one."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="agreements")
    file = models.FileField(_("file"), upload_to=agreement_upload_path)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("alliance agreement")
        verbose_name_plural = _("alliance agreements")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.original_name


class WorkPlan(models.Model):
    """The alliance's work plan (工作方案)."""

    alliance = models.OneToOneField(Alliance, on_delete=models.CASCADE, related_name="work_plan")
    composition = models.TextField(_("members and composition"), blank=True)
    main_goals = models.TextField(_("main goals"), blank=True)
    work_tasks = models.TextField(_("work tasks"), blank=True)
    cooperation_mechanism = models.TextField(_("cooperation mechanism"), blank=True)
    management_organisation = models.TextField(_("management organisation"), blank=True)
    funds_rules = models.TextField(_("rules for funds"), blank=True)
    project_rules = models.TextField(_("rules for projects"), blank=True)
    ip_rules = models.TextField(_("rules for intellectual property"), blank=True)
    information_sharing_rules = models.TextField(_("rules for information sharing"), blank=True)
    results_transfer_rules = models.TextField(_("rules for transfer of results"), blank=True)

    history = HistoricalRecords()

    TEXT_FIELDS = (
        "composition", "main_goals", "work_tasks", "cooperation_mechanism", "management_organisation",
        "funds_rules", "project_rules", "ip_rules", "information_sharing_rules", "results_transfer_rules",
    )

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")

    def __str__(self):
        return str(self.alliance)


class YearlyTarget(models.Model):
    """A measurable goal of the work plan for one year."""

    work_plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=200)
    target_value = models.DecimalField(_("target"), max_digits=16, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=30)

    class Meta:
        verbose_name = _("yearly target")
        verbose_name_plural = _("yearly targets")
        ordering = ["year", "pk"]

    def __str__(self):
        return f"{self.year} {self.indicator}: {self.target_value} {self.unit}"


class PlannedInvestment(models.Model):
    """Planned R&D investment for one year from one source, in 万元."""

    class Source(models.TextChoices):
        SELF_RAISED = "self_raised", _("Self-raised")
        BANK_LOAN = "bank_loan", _("Bank loans")
        GOVERNMENT = "government", _("Government funding")
        OTHER = "other", _("Other")

    work_plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="investments")
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    amount = models.DecimalField(_("amount (10k CNY)"), **MONEY)

    class Meta:
        verbose_name = _("planned R&D investment")
        verbose_name_plural = _("planned R&D investment")
        ordering = ["year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["work_plan", "year", "source"], name="investment_once_per_year_source"),
        ]

    def __str__(self):
        return f"{self.year} {self.get_source_display()}: {self.amount}"


class ApplicationVersion(models.Model):
    """An immutable, numbered snapshot of the application as it was submitted."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("application version")
        verbose_name_plural = _("application versions")
        ordering = ["alliance", "number"]
        constraints = [models.UniqueConstraint(fields=["alliance", "number"], name="version_number_unique")]

    def __str__(self):
        return f"{self.alliance} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A submitted application version is immutable.")
        super().save(*args, **kwargs)


class EligibilityRules(models.Model):
    """Thresholds for submission, configured by the bureau (one row)."""

    min_core_enterprises = models.PositiveSmallIntegerField(_("minimum confirmed core enterprises"), default=3)
    min_rd_organisations = models.PositiveSmallIntegerField(_("minimum confirmed R&D organisations"), default=1)
    require_agreement = models.BooleanField(_("signed agreement required"), default=True)
    require_governance = models.BooleanField(_("complete governance required"), default=True)
    require_work_plan = models.BooleanField(_("complete work plan required"), default=True)

    class Meta:
        verbose_name = _("eligibility rules")
        verbose_name_plural = _("eligibility rules")

    def __str__(self):
        return str(_("Eligibility rules"))

    @classmethod
    def current(cls) -> "EligibilityRules":
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules


class MemberUnitTally(models.Model):
    """Member units (organisations confirmed in at least one alliance) counted per key of the bureau
    dashboard's filters: an alliance sector (or any), the unit's district, kind and year of registration.
    The summary reads these rows instead of joining 50,000 units to their memberships.

    Kept by ``alliances.tally.kept`` in the same transaction as every service that changes who is a
    confirmed member, in which role, of which sector's alliances, or a unit's district or kind;
    ``manage.py recount_tallies --check`` compares them with the memberships."""

    ANY_SECTOR = 0

    sector = models.PositiveIntegerField()  # an alliance sector's id, or ANY_SECTOR: confirmed in any alliance
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Organisation.Kind.choices)
    year = models.PositiveSmallIntegerField()  # of registration (Asia/Shanghai)
    units = models.PositiveIntegerField(default=0)
    # of these, units that are a technical support unit (技术支撑单位) of some alliance, whatever its sector
    support_units = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("member unit tally")
        verbose_name_plural = _("member unit tallies")
        constraints = [models.UniqueConstraint(fields=["sector", "district", "kind", "year"], name="member_tally_key")]

    def __str__(self):
        return f"{self.sector} {self.district_id} {self.kind} {self.year}: {self.units}"


class StateTransition(TransitionRecord):
    """Append-only record of one transition of an application (``alliances.workflow``): who, when, from, to,
    comment and the application version it concerned. Written by the engine (``alliances.transitions``) and,
    for an alliance imported with its designation, by the import. Its table kept its name from when the
    state machine lived in the reviews app."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(_("from"), max_length=20, choices=State.choices)
    target = models.CharField(_("to"), max_length=20, choices=State.choices)
    version = models.PositiveIntegerField(_("application version"), null=True, blank=True)

    class Meta(TransitionRecord.Meta):
        db_table = "reviews_statetransition"
        verbose_name = _("state transition")
        verbose_name_plural = _("state transitions")
        indexes = [models.Index(fields=["alliance", "at"])]

    def __str__(self):
        return f"{self.alliance_id}: {self.source} → {self.target}"
