from django.urls import path

from . import views

app_name = "site_visits"

urlpatterns = [
    path("applications/<int:pk>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/", views.visit, name="visit"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
