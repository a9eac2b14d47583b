from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("export.<str:fmt>", views.project_export, name="export"),
    path("alliance/<int:alliance_pk>/new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/submit/", views.project_submit, name="submit"),
    path("<int:pk>/approve/", views.project_approve, name="approve"),
    path("<int:pk>/period/", views.project_period, name="period"),
    path("<int:pk>/do/<slug:action>/", views.project_transition, name="transition"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("<int:pk>/reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/changes/<slug:kind>/", views.change_create, name="change_create"),
    path("changes/<int:pk>/", views.change_detail, name="change_detail"),
    path("alliance/<int:alliance_pk>/", views.alliance_overview, name="alliance"),
    path("alliance/<int:alliance_pk>/activities/", views.activity_list, name="activities"),
    path("alliance/<int:alliance_pk>/plans/", views.plan_list, name="plans"),
    path("alliance/<int:alliance_pk>/plans/new/", views.plan_edit, name="plan_create"),
    path("alliance/<int:alliance_pk>/plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("alliance/<int:alliance_pk>/plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
]
