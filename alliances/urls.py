from django.urls import path

from .views import application, detail, importing, invitations, lists

app_name = "alliances"

urlpatterns = [
    path("", lists.alliance_list, name="list"),
    path("export/<str:fmt>/", lists.export, name="export"),
    path("new/", application.create, name="create"),
    path("import/", importing.import_alliances, name="import"),
    path("import/template.xlsx", importing.import_template, name="import_template"),
    path("invitations/", invitations.invitations, name="invitations"),
    path("invitations/<id:membership_pk>/", invitations.respond, name="respond"),
    path("<id:pk>/", detail.detail, name="detail"),
    path("<id:pk>/step/<id:number>/", application.step, name="step"),
    path("<id:pk>/agreement/<id:agreement_pk>/", detail.download_agreement, name="download_agreement"),
    path("<id:pk>/versions/<id:old>/compare/<id:new>/", detail.diff, name="diff"),
    path("<id:pk>/versions/<id:old>/compare/current/", detail.diff, name="diff_current"),
]
