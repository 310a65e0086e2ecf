from allauth.account.adapter import DefaultAccountAdapter

from notifications.services import send_email
from portal import evenements


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's mails (verification, password reset) through Celery, after commit;
    keeps the names typed at sign-up on the account too."""

    def save_user(self, request, user, form, commit=True):
        user.first_name = form.cleaned_data.get("prenom", "")
        user.last_name = form.cleaned_data.get("nom", "")
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            evenements.compte_cree(user)
        return user

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html_body = next(
            (content for content, mimetype in message.alternatives if mimetype == "text/html"),
            None,
        )
        send_email(
            subject=message.subject,
            body=message.body,
            to=message.to,
            html_body=html_body,
            from_email=message.from_email,
        )
