from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<id:pk>/", views.public_detail, name="detail"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.create, name="create"),
    path("manage/<id:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/<id:pk>/edit/", views.edit, name="edit"),
    path("manage/<id:pk>/publish/", views.publish, name="publish"),
    path("manage/<id:pk>/extend/", views.extend, name="extend"),
    path("manage/<id:pk>/criteria/", views.criteria, name="criteria"),
    path("application/<id:alliance_pk>/documents/", views.documents, name="documents"),
    path("application/<id:alliance_pk>/documents/<id:document_pk>/", views.download_document,
         name="download_document"),
]
