from django.urls import path

from .views import batch, certificate, expert, joint, officer, public

app_name = "reviews"

urlpatterns = [
    # bureau officers
    path("", officer.queue, name="queue"),
    path("applications/<int:pk>/", officer.application, name="application"),
    path("applications/<int:pk>/transition/", officer.apply_transition, name="transition"),
    path("applications/<int:pk>/checklist/", officer.save_checklist, name="checklist"),
    path("applications/<int:pk>/return/", officer.return_for_revision, name="return"),
    path("applications/<int:pk>/experts/", officer.assign_experts, name="assign_experts"),
    path("applications/<int:pk>/supervision/", officer.save_supervision, name="supervision"),
    path("assignments/<int:pk>/replace/", officer.replace_assignment, name="replace_assignment"),
    path("assignments/<int:pk>/withdraw/", officer.withdraw_assignment, name="withdraw_assignment"),
    path("objections/<int:pk>/resolve/", officer.resolve_objection, name="resolve_objection"),
    path("workflow/", officer.workflow_page, name="workflow"),
    # decisions in batch for a call (第N批)
    path("calls/<int:call_id>/batch/", batch.batch, name="batch"),
    path("calls/<int:call_id>/batch/applications/<int:pk>/outcome/", batch.stage, name="batch_stage"),
    path("calls/<int:call_id>/batch/release/", batch.release, name="batch_release"),
    path("calls/<int:call_id>/batch/designate/", batch.designate, name="batch_designate"),
    # experts
    path("expert/", expert.my_assignments, name="my_assignments"),
    path("expert/<int:pk>/", expert.assignment, name="assignment"),
    path("expert/<int:pk>/respond/", expert.respond, name="respond"),
    # department reviewers
    path("joint/", joint.joint_queue, name="joint_queue"),
    path("joint/<int:pk>/", joint.opinion, name="opinion"),
    # certificates
    path("designations/<int:pk>/certificate/", certificate.certificate, name="certificate"),
    path("designations/<int:pk>/certificate.pdf", certificate.certificate_pdf, name="certificate_pdf"),
    path("designations/<int:pk>/reissue/", certificate.reissue, name="certificate_reissue"),
    path("documents/<str:token>.pdf", certificate.document_pdf, name="document_pdf"),
    # public, no sign-in
    path("notices/", public.notices, name="notices"),
    path("notices/<int:pk>/", public.notice, name="notice"),
    path("register/", public.register, name="register"),
    path("verify/<str:token>/", certificate.verify, name="verify"),
    path("calls/<int:call_id>/notice/", batch.batch_notice, name="batch_notice"),
    path("calls/<int:call_id>/designation/", batch.document, name="batch_document"),
    path("calls/<int:call_id>/designation.pdf", batch.document_pdf, name="batch_document_pdf"),
    path("calls/<int:call_id>/designation/reissue/", batch.reissue_document, name="batch_document_reissue"),
]
