"""Sending messages. Callers hand over rendered text: notifications knows nothing of
dossiers (ARCHITECTURE.md). Issue 6 replaces direct enqueueing with an outbox row."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction


def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html_body: str | None = None,
    from_email: str | None = None,
) -> None:
    """Queue an email, sent by a worker once the current transaction commits."""
    from notifications.tasks import send_email_task

    kwargs = {
        "subject": subject,
        "body": body,
        "to": list(to),
        "html_body": html_body,
        "from_email": from_email,
    }
    # Enqueued after commit: a rolled-back sign-up never sends its verification mail,
    # and the worker never reads rows that are not yet visible.
    transaction.on_commit(lambda: send_email_task.delay(**kwargs))


def deliver_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html_body: str | None = None,
    from_email: str | None = None,
) -> None:
    """Hand the message to the configured backend (SMTP in production)."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send(fail_silently=False)
