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
    path("invitations/<int:membership_pk>/", invitations.respond, name="respond"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/step/<int:number>/", application.step, name="step"),
    path("<int:pk>/agreement/<int:agreement_pk>/", detail.download_agreement, name="download_agreement"),
    path("<int:pk>/versions/<int:old>/compare/<int:new>/", detail.diff, name="diff"),
    path("<int:pk>/versions/<int:old>/compare/current/", detail.diff, name="diff_current"),
]
