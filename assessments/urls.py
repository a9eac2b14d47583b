from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("open/", views.open_assessment, name="open"),
    path("<id:pk>/", views.assessment_detail, name="detail"),
    path("<id:pk>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("evidence/<id:pk>/", views.self_assessment_evidence, name="self_assessment_evidence"),
    path("evidence/<id:pk>/delete/", views.self_assessment_evidence_delete, name="self_assessment_evidence_delete"),
    path("<id:pk>/experts/", views.assign_expert, name="assign_expert"),
    path("<id:pk>/experts/<id:assignment_pk>/withdraw/", views.withdraw_expert, name="withdraw_expert"),
    path("<id:pk>/decide/", views.decide, name="decide"),
    path("<id:pk>/stage/", views.set_stage, name="set_stage"),
    path("scorecards/", views.scorecard_list, name="scorecards"),
    path("scorecards/<id:pk>/", views.scorecard, name="scorecard"),
    path("rectifications/<id:pk>/", views.rectification, name="rectification"),
    path("rectifications/<id:pk>/reassess/", views.open_reassessment, name="open_reassessment"),
]
