from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.create, name="create"),
    path("manage/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", views.edit, name="edit"),
    path("manage/<int:pk>/publish/", views.publish, name="publish"),
    path("manage/<int:pk>/extend/", views.extend, name="extend"),
    path("manage/<int:pk>/criteria/", views.criteria, name="criteria"),
    path("application/<int:alliance_pk>/documents/", views.documents, name="documents"),
    path("application/<int:alliance_pk>/documents/<int:document_pk>/", views.download_document,
         name="download_document"),
]
