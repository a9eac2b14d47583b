from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/recommend/", views.recommend, name="recommend"),
    path("applications/<int:pk>/decline/", views.decline, name="decline"),
    path("calls/<int:call_pk>/ranking/", views.ranking, name="ranking"),
    path("letters/<int:pk>/", views.letter, name="letter"),
]
