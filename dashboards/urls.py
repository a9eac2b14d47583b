from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.xlsx", views.export_table, name="export"),
    path("rows/<slug:dataset>/", views.rows, name="rows"),
]
