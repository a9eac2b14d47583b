from django.urls import path

from .views import batch, certificate, expert, joint, officer, public

app_name = "reviews"

urlpatterns = [
    # bureau officers
    path("", officer.queue, name="queue"),
    path("applications/<id:pk>/", officer.application, name="application"),
    path("applications/<id:pk>/transition/", officer.transition_page, name="transition"),
    path("applications/<id:pk>/checklist/", officer.save_checklist, name="checklist"),
    path("applications/<id:pk>/return/", officer.return_for_revision, name="return"),
    path("applications/<id:pk>/experts/", officer.assign_experts, name="assign_experts"),
    path("applications/<id:pk>/supervision/", officer.save_supervision, name="supervision"),
    path("assignments/<id:pk>/replace/", officer.replace_assignment, name="replace_assignment"),
    path("assignments/<id:pk>/withdraw/", officer.withdraw_assignment, name="withdraw_assignment"),
    path("objections/<id:pk>/resolve/", officer.resolve_objection, name="resolve_objection"),
    path("workflow/", officer.workflow_page, name="workflow"),
    # decisions in batch for a call (第N批)
    path("calls/<id:call_id>/batch/", batch.batch, name="batch"),
    path("calls/<id:call_id>/batch/applications/<id:pk>/outcome/", batch.stage, name="batch_stage"),
    path("calls/<id:call_id>/batch/release/", batch.release, name="batch_release"),
    path("calls/<id:call_id>/batch/designate/", batch.designate, name="batch_designate"),
    # experts
    path("expert/", expert.my_assignments, name="my_assignments"),
    path("expert/<id:pk>/", expert.assignment, name="assignment"),
    path("expert/<id:pk>/respond/", expert.respond, name="respond"),
    path("expert/<id:pk>/agreement/<id:agreement_pk>/", expert.assignment_agreement, name="assignment_agreement"),
    path("expert/<id:pk>/documents/<id:document_pk>/", expert.assignment_document, name="assignment_document"),
    # department reviewers
    path("joint/", joint.joint_queue, name="joint_queue"),
    path("joint/<id:pk>/", joint.opinion, name="opinion"),
    # certificates
    path("designations/<id:pk>/certificate/", certificate.certificate, name="certificate"),
    path("designations/<id:pk>/certificate.pdf", certificate.certificate_pdf, name="certificate_pdf"),
    path("designations/<id:pk>/reissue/", certificate.reissue, name="certificate_reissue"),
    path("documents/<str:token>.pdf", certificate.document_pdf, name="document_pdf"),
    # public, no sign-in
    path("notices/", public.notices, name="notices"),
    path("notices/<id:pk>/", public.notice, name="notice"),
    path("register/", public.register, name="register"),
    path("verify/<str:token>/", certificate.verify, name="verify"),
    path("calls/<id:call_id>/notice/", batch.batch_notice, name="batch_notice"),
    path("calls/<id:call_id>/designation/", batch.document, name="batch_document"),
    path("calls/<id:call_id>/designation.pdf", batch.document_pdf, name="batch_document_pdf"),
    path("calls/<id:call_id>/designation/reissue/", batch.reissue_document, name="batch_document_reissue"),
]
