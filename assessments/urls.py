from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("open/", views.open_assessment, name="open"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("<int:pk>/experts/", views.assign_expert, name="assign_expert"),
    path("<int:pk>/experts/<int:assignment_pk>/withdraw/", views.withdraw_expert, name="withdraw_expert"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/stage/", views.set_stage, name="set_stage"),
    path("scorecards/", views.scorecard_list, name="scorecards"),
    path("scorecards/<int:pk>/", views.scorecard, name="scorecard"),
    path("rectifications/<int:pk>/", views.rectification, name="rectification"),
    path("rectifications/<int:pk>/reassess/", views.open_reassessment, name="open_reassessment"),
]
