"""The conversation tab of a dossier's page on the portal (P11): the thread, the form to
write (while the conversation is open), the attachments' downloads. Reached by the
dossier's author, the members of its profil and a follower without an account
(dossier_de_la_requete: anybody else gets 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from dossiers.forms_conversation import MessageForm
from dossiers.models import MessageDossier, PieceJointeMessage
from dossiers.selectors_conversation import etat_conversation
from dossiers.services_conversation import fil_lire, message_poster
from portal.dossier_page import contexte_dossier, dossier_de_la_requete

AGENT = MessageDossier.Cote.AGENT


@require_http_methods(["GET", "POST"])
def dossier_messages(request, pk):
    dossier = dossier_de_la_requete(request, pk)
    etat = etat_conversation(dossier, request.user, cote_lu=AGENT)
    if not etat.existe:
        raise Http404  # no conversation opened on this dossier (the tab is hidden)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not etat.ouverte:
        form.add_error(None, _("La conversation est fermée : vous ne pouvez plus écrire."))
    elif request.method == "POST" and form.is_valid():
        try:
            message = message_poster(
                dossier=dossier,
                auteur=request.user,
                cote=MessageDossier.Cote.USAGER,
                texte=form.cleaned_data["texte"],
                fichiers=form.cleaned_data["fichiers"],
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("Votre message est envoyé."))
            return redirect(f"{request.path}#message-{message.pk}")
    return _page(request, dossier, etat, form, status=400 if form.errors else 200)


def _page(request, dossier, etat, form, *, status):
    liste, deja_lu = fil_lire(dossier=dossier, user=request.user, cote_lu=AGENT)
    context = {
        **contexte_dossier(request, dossier, "messages"),
        "fil": liste,
        "deja_lu": deja_lu if request.user.is_authenticated else None,
        "ouverte": etat.ouverte,
        "form": form,
    }
    return render(request, "portal/dossiers/messages.html", context, status=status)


@require_safe
def message_piece_jointe(request, pk, piece_pk):
    dossier = dossier_de_la_requete(request, pk)
    piece = get_object_or_404(PieceJointeMessage, pk=piece_pk, message__dossier=dossier)
    try:
        fichier = piece.fichier.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        fichier, as_attachment=True, filename=piece.nom, content_type=piece.type_mime
    )
