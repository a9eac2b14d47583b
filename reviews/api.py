"""REST API of the review workflow: the officers' queue and the application's actions, expert
assignments and scores, joint-review opinions, designations and the public register.

Every state change goes through the same service functions as the pages (``reviews.services``, and
``alliances.services.submit_application`` for submission); a refused one is answered by the
project's exception handler as 409 (illegal now), 403 (not your role) or 400, with the reason.
Assessment actions (open, decide, re-assess) belong to the assessments API, which calls
``assessments.services``.
"""

import django_filters
from django.db.models import BooleanField, Case, Prefetch, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.rules import is_bureau_officer, is_department_reviewer
from alliance_portal.core.permissions import QUERYSET, SERVICE_CHECKS
from alliance_portal.core.rest import ChoiceLabel
from alliances import services as alliance_services
from alliances import workflow
from alliances.models import Alliance, District, Sector, StateTransition
from alliances.transitions import transition

from . import selectors, services
from .models import (
    CriterionScore,
    Designation,
    ExpertAssignment,
    ExpertProfile,
    JointReviewOpinion,
    Scorecard,
    ScoreCriterion,
    Section,
)

# The application phase of the table; the assessment phase goes through assessments.services.
APPLICATION_ACTIONS = ("submit", "resubmit", "withdraw", "start_screening", "return_for_revision",
                       "send_to_experts", "send_to_joint_review", "start_public_notice", "grant_pilot", "reject")


def _apply(alliance, *, name, comment, guidance, by):
    """Dispatch an application action to the service the pages call for it."""
    if name in ("submit", "resubmit"):
        return alliance_services.submit_application(alliance, by=by)
    if name == "return_for_revision":
        return services.return_for_revision(alliance, guidance=guidance, comment=comment, by=by)
    if name == "grant_pilot":
        services.grant_pilot(alliance, by=by, comment=comment)
        return alliance.transitions.order_by("-at", "-pk").first()
    return transition(alliance, action=name, by=by, comment=comment)


# --- Serializers --------------------------------------------------------------------------------


class ReviewApplicationSerializer(serializers.ModelSerializer):
    sector = serializers.CharField(source="sector.name")
    chairman = serializers.CharField(source="chairman.name")
    state_label = ChoiceLabel("state")
    experts_assigned = serializers.IntegerField()
    experts_scored = serializers.IntegerField()
    opinions_given = serializers.IntegerField()
    open_objections = serializers.IntegerField()

    class Meta:
        model = Alliance
        fields = ["id", "name", "sector", "chairman", "state", "state_label", "state_changed_at", "current_version",
                  "experts_assigned", "experts_scored", "opinions_given", "open_objections"]


class TransitionRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=APPLICATION_ACTIONS)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    guidance = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=4000), required=False, default=dict,
        help_text=_("For return_for_revision: guidance per section (basic, members, governance, agreement, "
                    "work_plan)."),
    )

    def validate_guidance(self, value):
        unknown = set(value) - set(Section.values)
        if unknown:
            raise serializers.ValidationError(_("Unknown sections: %(sections)s")
                                              % {"sections": ", ".join(sorted(unknown))})
        return value


class TransitionRecordSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = StateTransition
        fields = ["id", "action", "source", "target", "actor", "at", "comment", "version"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, record):
        return str(record.actor) if record.actor_id else None


class TransitionResultSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=workflow.State.choices)
    transition = TransitionRecordSerializer(allow_null=True, help_text=_(
        "Null when the application already stood in the target state (a repeated request)."))


class AllowedActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    target = serializers.ChoiceField(choices=workflow.State.choices)
    comment_required = serializers.BooleanField()
    waiting_for = serializers.CharField(allow_null=True)


class ScreeningRequestSerializer(serializers.Serializer):
    passed_item_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=True)


class AssignExpertsRequestSerializer(serializers.Serializer):
    experts = serializers.PrimaryKeyRelatedField(queryset=ExpertProfile.objects.all(), many=True,
                                                 help_text=_("Expert profile ids."))
    due_date = serializers.DateField()


class OpinionRequestSerializer(serializers.Serializer):
    opinion = serializers.ChoiceField(choices=JointReviewOpinion.Opinion.choices)
    remarks = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class CriterionScoreSerializer(serializers.ModelSerializer):
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)

    class Meta:
        model = CriterionScore
        fields = ["criterion", "criterion_name", "score", "weight", "max_score", "comment"]


class ScorecardSerializer(serializers.ModelSerializer):
    scores = CriterionScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Scorecard
        fields = ["recommendation", "weighted_total", "comments", "updated_at", "submitted_at", "scores"]


class ExpertAssignmentSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    expert_name = serializers.CharField(source="expert.user.__str__", read_only=True)
    status_label = ChoiceLabel("status")
    weighted_total = serializers.DecimalField(source="scorecard.weighted_total", max_digits=6, decimal_places=2,
                                              default=None, allow_null=True, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ExpertAssignment
        fields = ["id", "alliance", "alliance_name", "expert", "expert_name", "version", "status", "status_label",
                  "due_date", "is_overdue", "assigned_at", "responded_at", "decline_reason", "weighted_total"]


class ExpertAssignmentDetailSerializer(ExpertAssignmentSerializer):
    scorecard = serializers.SerializerMethodField()

    class Meta(ExpertAssignmentSerializer.Meta):
        fields = [*ExpertAssignmentSerializer.Meta.fields, "scorecard"]

    @extend_schema_field(ScorecardSerializer(allow_null=True))
    def get_scorecard(self, assignment):
        card = getattr(assignment, "scorecard", None)
        return ScorecardSerializer(card).data if card is not None else None


class RespondRequestSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class _CriterionField(serializers.PrimaryKeyRelatedField):
    """A criterion of the scorecard the application is scored on (its call's, or the default)."""

    def get_queryset(self):
        alliance = self.context.get("alliance")
        return selectors.criteria_for(alliance) if alliance is not None else ScoreCriterion.objects.none()


class ScoreInputSerializer(serializers.Serializer):
    criterion = _CriterionField(queryset=ScoreCriterion.objects.none())
    score = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")

    def validate(self, attrs):
        if attrs["score"] > attrs["criterion"].max_score:
            raise serializers.ValidationError({"score": _("At most %(max)s points.") % {"max": attrs["criterion"].max_score}})
        return attrs


class ScorecardRequestSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True)
    comments = serializers.CharField(required=False, allow_blank=True, max_length=8000, default="")
    recommendation = serializers.ChoiceField(choices=Scorecard.Recommendation.choices, required=False,
                                             allow_blank=True, default="")
    submit = serializers.BooleanField(default=False, help_text=_("Submit as final; it can never change again."))


class JointReviewOpinionSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    opinion_label = ChoiceLabel("opinion")
    given_by = serializers.SerializerMethodField()

    class Meta:
        model = JointReviewOpinion
        fields = ["id", "alliance", "alliance_name", "version", "department", "department_name", "opinion",
                  "opinion_label", "remarks", "given_by", "given_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_given_by(self, opinion):
        return str(opinion.given_by) if opinion.given_by_id else None


class DesignationSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    sector = serializers.CharField(source="alliance.sector.name", read_only=True)
    chairman = serializers.CharField(source="alliance.chairman.name", read_only=True)
    level_label = ChoiceLabel("level")
    is_standing = serializers.BooleanField(read_only=True)

    class Meta:
        model = Designation
        fields = ["id", "certificate_number", "alliance", "alliance_name", "sector", "chairman", "level",
                  "level_label", "year", "designated_at", "is_standing", "revoked_at", "revoke_reason"]


class RegisterEntrySerializer(serializers.ModelSerializer):
    """One line of the public register (公示名录): no internal fields."""

    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    sector = serializers.CharField(source="alliance.sector.name", read_only=True)
    chairman = serializers.CharField(source="alliance.chairman.name", read_only=True)
    level_label = ChoiceLabel("level")

    class Meta:
        model = Designation
        fields = ["id", "certificate_number", "alliance_name", "sector", "chairman", "level", "level_label", "year",
                  "designated_at"]


# --- Filters ------------------------------------------------------------------------------------


class ReviewQueueFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=workflow.State.choices)
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.all())

    class Meta:
        model = Alliance
        fields = ["state", "sector"]


class ExpertAssignmentFilter(django_filters.FilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue",
                                           label=_("unanswered or unscored after the due date"))
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = ExpertAssignment
        fields = ["alliance", "expert", "status", "version"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status__in=ExpertAssignment.OPEN, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class JointReviewOpinionFilter(django_filters.FilterSet):
    given_after = django_filters.DateFilter(field_name="given_at", lookup_expr="date__gte")
    given_before = django_filters.DateFilter(field_name="given_at", lookup_expr="date__lte")

    class Meta:
        model = JointReviewOpinion
        fields = ["alliance", "department", "opinion", "version"]


class DesignationFilter(django_filters.FilterSet):
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.all(), field_name="alliance__sector")
    district = django_filters.ModelChoiceFilter(queryset=District.objects.all(),
                                                field_name="alliance__chairman__district",
                                                label=_("district of the chairman unit"))
    standing = django_filters.BooleanFilter(field_name="revoked_at", lookup_expr="isnull",
                                            label=_("not revoked"))
    designated_after = django_filters.DateFilter(field_name="designated_at", lookup_expr="date__gte")
    designated_before = django_filters.DateFilter(field_name="designated_at", lookup_expr="date__lte")

    class Meta:
        model = Designation
        fields = ["alliance", "level", "year", "sector", "district", "standing"]


class RegisterFilter(django_filters.FilterSet):
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.all(), field_name="alliance__sector")

    class Meta:
        model = Designation
        fields = ["level", "year", "sector"]


# --- Viewsets -----------------------------------------------------------------------------------


def _with_overdue(queryset):
    return queryset.annotate(is_overdue=Case(
        When(status__in=ExpertAssignment.OPEN, due_date__lt=timezone.localdate(), then=Value(True)),
        default=Value(False), output_field=BooleanField(),
    ))


class ReviewApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """The officers' review queue (applications past the draft stage), and each application's actions."""

    serializer_class = ReviewApplicationSerializer
    filterset_class = ReviewQueueFilter
    search_fields = ["name", "chairman__name"]
    ordering_fields = ["state_changed_at", "name"]
    permission_map = {
        "list": "reviews.view_queue", "retrieve": "reviews.view_queue",
        "transition": SERVICE_CHECKS, "actions": "alliances.view_alliance",
        "screening": SERVICE_CHECKS, "assign_experts": SERVICE_CHECKS, "opinion": SERVICE_CHECKS,
    }

    def get_queryset(self):
        if self.action in ("list", "retrieve"):
            return selectors.review_queue()
        # Actions reach any alliance the user can see (an applicant submits its own); the services
        # decide what the user's role may do in the current state.
        return Alliance.objects.visible_to(self.request.user).select_related("sector", "chairman")

    @extend_schema(request=TransitionRequestSerializer, responses={200: TransitionResultSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Apply an action of the application workflow (submit, return, send to experts, grant …)."""
        alliance = self.get_object()
        data = TransitionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = _apply(alliance, name=data.validated_data["action"], comment=data.validated_data["comment"],
                        guidance=data.validated_data["guidance"], by=request.user)
        return Response(TransitionResultSerializer({"state": alliance.state, "transition": record}).data)

    @extend_schema(responses={200: AllowedActionSerializer(many=True)}, filters=False)
    @action(detail=True, pagination_class=None, filter_backends=[])
    def actions(self, request, pk=None):
        """The actions this user's roles may take from the current state, with what each still waits for."""
        alliance = self.get_object()
        waiting = services.blockers(alliance) if request.user.has_perm("reviews.view_queue") else {}
        allowed = [t for t in workflow.actions_from(alliance.state, alliance.stages)
                   if t.action in APPLICATION_ACTIONS and any(request.user.has_role(role) for role in t.roles)]
        return Response(AllowedActionSerializer([
            {"action": t.action, "label": str(t.label), "target": t.target.value,
             "comment_required": t.comment_required, "waiting_for": waiting.get(t.action)} for t in allowed
        ], many=True).data)

    @extend_schema(request=ScreeningRequestSerializer, responses={200: TransitionResultSerializer})
    @action(detail=True, methods=["post"])
    def screening(self, request, pk=None):
        """Save the formal-screening checklist (形式审查) of the current version: the items that passed."""
        alliance = self.get_object()
        data = ScreeningRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_screening(alliance, passed_item_ids=data.validated_data["passed_item_ids"], by=request.user)
        return Response(TransitionResultSerializer({"state": alliance.state, "transition": None}).data)

    @extend_schema(request=AssignExpertsRequestSerializer, responses={201: ExpertAssignmentSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="assign-experts")
    def assign_experts(self, request, pk=None):
        """Ask experts to score the current version by a due date. Refused whole, with the reason, when an
        expert has a conflict of interest, is unavailable or was already asked."""
        alliance = self.get_object()
        data = AssignExpertsRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.assign_experts(alliance, experts=data.validated_data["experts"],
                                          due_date=data.validated_data["due_date"], by=request.user)
        rows = _with_overdue(ExpertAssignment.objects.filter(pk__in=[a.pk for a in created])
                             .select_related("alliance", "expert__user", "scorecard"))
        return Response(ExpertAssignmentSerializer(rows, many=True).data, status=201)

    @extend_schema(request=OpinionRequestSerializer, responses={200: JointReviewOpinionSerializer})
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        """Record (or revise, until the public notice starts) your department's joint-review opinion (会审意见)."""
        alliance = self.get_object()
        data = OpinionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        opinion = services.record_opinion(alliance, opinion=data.validated_data["opinion"],
                                          remarks=data.validated_data["remarks"], by=request.user)
        return Response(JointReviewOpinionSerializer(opinion).data)


class ExpertAssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Expert assignments and their scores: the bureau sees all; an expert only their own."""

    filterset_class = ExpertAssignmentFilter
    ordering_fields = ["due_date", "assigned_at"]
    ordering = ["-assigned_at", "-pk"]
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET, "respond": SERVICE_CHECKS,
                      "scorecard": SERVICE_CHECKS, "withdraw": SERVICE_CHECKS}

    def get_queryset(self):
        user = self.request.user
        queryset = ExpertAssignment.objects.select_related("alliance", "expert__user", "scorecard")
        if not is_bureau_officer(user):
            queryset = queryset.filter(expert__user_id=user.pk) if user.is_authenticated else queryset.none()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("scorecard__scores", queryset=CriterionScore.objects.select_related("criterion")))
        return _with_overdue(queryset)

    def get_serializer_class(self):
        return ExpertAssignmentDetailSerializer if self.action == "retrieve" else ExpertAssignmentSerializer

    def _refetch(self, assignment):
        return self.get_queryset().get(pk=assignment.pk)

    @extend_schema(request=RespondRequestSerializer, responses={200: ExpertAssignmentSerializer})
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """The assigned expert accepts or declines (with a reason)."""
        assignment = self.get_object()
        data = RespondRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.respond_to_assignment(assignment, accept=data.validated_data["accept"],
                                       reason=data.validated_data["reason"], by=request.user)
        return Response(ExpertAssignmentSerializer(self._refetch(assignment)).data)

    @extend_schema(request=ScorecardRequestSerializer, responses={200: ExpertAssignmentDetailSerializer})
    @action(detail=True, methods=["post"])
    def scorecard(self, request, pk=None):
        """Save the scorecard (评分表); with ``submit`` it becomes final."""
        assignment = self.get_object()
        data = ScorecardRequestSerializer(data=request.data, context={"alliance": assignment.alliance})
        data.is_valid(raise_exception=True)
        scores = {row["criterion"].pk: (row["score"], row["comment"]) for row in data.validated_data["scores"]}
        services.save_scorecard(assignment, scores=scores, comments=data.validated_data["comments"],
                                recommendation=data.validated_data["recommendation"],
                                submit=data.validated_data["submit"], by=request.user)
        self.action = "retrieve"
        return Response(ExpertAssignmentDetailSerializer(self._refetch(assignment)).data)

    @extend_schema(request=None, responses={200: ExpertAssignmentSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The bureau withdraws an assignment that is still unanswered or unscored."""
        assignment = self.get_object()
        services.withdraw_assignment(assignment, by=request.user)
        return Response(ExpertAssignmentSerializer(self._refetch(assignment)).data)


class JointReviewOpinionViewSet(viewsets.ReadOnlyModelViewSet):
    """Joint-review opinions (会审意见) of the departments: for the bureau and the departments."""

    serializer_class = JointReviewOpinionSerializer
    filterset_class = JointReviewOpinionFilter
    ordering_fields = ["given_at"]
    ordering = ["-given_at", "-pk"]
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET}

    def get_queryset(self):
        user = self.request.user
        queryset = JointReviewOpinion.objects.select_related("alliance", "department", "given_by")
        if is_bureau_officer(user) or is_department_reviewer(user):
            return queryset
        return queryset.none()


class DesignationViewSet(viewsets.ReadOnlyModelViewSet):
    """Designations (认定) as pilot or demonstration unit, revoked ones included, of the alliances you see."""

    serializer_class = DesignationSerializer
    filterset_class = DesignationFilter
    search_fields = ["alliance__name", "alliance__chairman__name", "certificate_number"]
    ordering_fields = ["designated_at", "certificate_number", "year"]
    ordering = ["-designated_at", "-pk"]
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET}

    def get_queryset(self):
        return Designation.objects.filter(
            alliance__in=Alliance.objects.visible_to(self.request.user).values("pk")
        ).select_related("alliance__sector", "alliance__chairman")


class RegisterViewSet(viewsets.ReadOnlyModelViewSet):
    """The public register of designated alliances (each once, at its highest standing level); open to all."""

    serializer_class = RegisterEntrySerializer
    filterset_class = RegisterFilter
    search_fields = ["alliance__name", "alliance__chairman__name", "certificate_number"]
    ordering_fields = ["designated_at", "certificate_number"]
    permission_classes = [permissions.AllowAny]
    permission_map = {"list": QUERYSET, "retrieve": QUERYSET}

    def get_queryset(self):
        return selectors.register()


ROUTES = [
    ("reviews/applications", ReviewApplicationViewSet, "review-application"),
    ("reviews/assignments", ExpertAssignmentViewSet, "expert-assignment"),
    ("reviews/opinions", JointReviewOpinionViewSet, "joint-opinion"),
    ("designations", DesignationViewSet, "designation"),
    ("register", RegisterViewSet, "register"),
]
