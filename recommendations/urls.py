from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/<id:pk>/", views.application, name="application"),
    path("applications/<id:pk>/recommend/", views.recommend, name="recommend"),
    path("applications/<id:pk>/decline/", views.decline, name="decline"),
    path("calls/<id:call_pk>/ranking/", views.ranking, name="ranking"),
    path("letters/<id:pk>/", views.letter, name="letter"),
]
