from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def send_colleague_invitation(*, user_id: int, base_url: str) -> bool:
    """Email a new colleague a one-time link to set their password; quiet when they are gone or set one."""
    user = User.objects.select_related("organisation").filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password() or not user.email:
        return False
    path = reverse("colleague_welcome", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
    })
    context = {"user": user, "organisation": user.organisation, "url": base_url.rstrip("/") + path,
               "PORTAL": settings.PORTAL}
    with translation.override(settings.LANGUAGE_CODE):
        subject = "".join(render_to_string("accounts/email/invitation_subject.txt", context).splitlines())
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def send_email(*, subject: str, body: str, to: list[str]) -> None:
    """Send an email rendered by the caller (password reset)."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def clear_expired_sessions() -> None:
    """Daily (beat): delete expired sessions from the database (Django's ``clearsessions``)."""
    call_command("clearsessions")
