from smtplib import SMTPException

from celery import shared_task

from notifications import services


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_email_task(
    *,
    subject: str,
    body: str,
    to: list[str],
    html_body: str | None = None,
    from_email: str | None = None,
) -> None:
    services.deliver_email(
        subject=subject, body=body, to=to, html_body=html_body, from_email=from_email
    )
