"""One OpenAPI enum name per choice set, for drf-spectacular's ``ENUM_NAME_OVERRIDES``.

Several models share a field name ("kind", "status", "level") with different choices; without these
names the schema would carry hashed names such as ``Kind450Enum``. Plain strings only: the settings
module imports this before Django is set up.
"""

ENUM_NAME_OVERRIDES = {
    "WorkflowStateEnum": "alliances.workflow.State",
    "OrganisationKindEnum": "alliances.models.Organisation.Kind",
    "RDPlatformKindEnum": "alliances.models.RDPlatform.Kind",
    "RDPlatformLevelEnum": "alliances.models.RDPlatform.Level",
    "MembershipStatusEnum": "alliances.models.Membership.Status",
    "DesignationLevelEnum": "reviews.models.Designation.Level",
    "ExpertAssignmentStatusEnum": "reviews.models.ExpertAssignment.Status",
    "ProjectStateEnum": "projects.workflow.ProjectState",
    "ProjectKindEnum": "projects.models.ProjectKind",
    "ChangeRequestKindEnum": "projects.models.ChangeRequest.Kind",
    "ChangeRequestStatusEnum": "projects.models.ChangeRequest.Status",
    "ActivityKindEnum": "projects.models.Activity.Kind",
    "AssessmentKindEnum": "assessments.models.AssessmentRound.Kind",
    "AssessmentStatusEnum": "assessments.models.AssessmentRound.Status",
    "AssessmentOutcomeEnum": "assessments.models.AssessmentRound.Outcome",
    "AssessmentGradeEnum": "assessments.models.Grade",
    "LifecycleStageEnum": "assessments.models.LifecycleStage.Stage",
    "HealthDimensionEnum": "assessments.models.HealthDimension",
    "HealthRatingEnum": "assessments.models.HealthRating",
}
