from django.urls import path

from . import views

app_name = "site_visits"

urlpatterns = [
    path("applications/<id:pk>/schedule/", views.schedule, name="schedule"),
    path("<id:pk>/", views.visit, name="visit"),
    path("attachments/<id:pk>/", views.attachment, name="attachment"),
]
