from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("export.<str:fmt>", views.project_export, name="export"),
    path("alliance/<id:alliance_pk>/new/", views.project_create, name="create"),
    path("<id:pk>/", views.project_detail, name="detail"),
    path("<id:pk>/edit/", views.project_edit, name="edit"),
    path("<id:pk>/submit/", views.project_submit, name="submit"),
    path("<id:pk>/approve/", views.project_approve, name="approve"),
    path("<id:pk>/period/", views.project_period, name="period"),
    path("<id:pk>/do/<slug:action>/", views.project_transition, name="transition"),
    path("<id:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<id:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<id:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("<id:pk>/reports/new/", views.report_create, name="report_create"),
    path("reports/<id:pk>/", views.report_detail, name="report_detail"),
    path("<id:pk>/changes/<slug:kind>/", views.change_create, name="change_create"),
    path("changes/<id:pk>/", views.change_detail, name="change_detail"),
    path("alliance/<id:alliance_pk>/", views.alliance_overview, name="alliance"),
    path("alliance/<id:alliance_pk>/activities/", views.activity_list, name="activities"),
    path("alliance/<id:alliance_pk>/activities/<id:pk>/", views.activity_detail, name="activity"),
    path("activities/evidence/<id:pk>/", views.activity_evidence_download, name="activity_evidence"),
    path("activities/evidence/<id:pk>/delete/", views.activity_evidence_delete, name="activity_evidence_delete"),
    path("alliance/<id:alliance_pk>/plans/", views.plan_list, name="plans"),
    path("alliance/<id:alliance_pk>/plans/new/", views.plan_edit, name="plan_create"),
    path("alliance/<id:alliance_pk>/plans/<id:pk>/", views.plan_detail, name="plan_detail"),
    path("alliance/<id:alliance_pk>/plans/<id:pk>/edit/", views.plan_edit, name="plan_edit"),
]
