"""The conversation tab of a dossier's page in the CRM (P11): the thread, the reply
(agents may write even once the conversation is closed), the buttons that open and
close it to the citizen, the attachments' downloads. Dossiers through
dossiers_visible_to (crm/dossier_page): an agent without the right gets 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from crm.access import agent_required
from crm.dossier_page import contexte_dossier, dossier_de_l_agent
from dossiers.forms_conversation import MessageForm
from dossiers.models import MessageDossier, PieceJointeMessage
from dossiers.selectors_conversation import etat_conversation
from dossiers.services_conversation import (
    conversation_fermer,
    conversation_ouvrir,
    fil_lire,
    message_poster,
)

USAGER = MessageDossier.Cote.USAGER


@agent_required
@require_http_methods(["GET", "POST"])
def dossier_messages(request, pk):
    dossier = dossier_de_l_agent(request, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action in ("ouvrir", "fermer"):
        if action == "ouvrir":
            conversation_ouvrir(dossier, request.user)
            messages.success(request, _("La conversation est ouverte : l’usager peut écrire."))
        else:
            conversation_fermer(dossier, request.user)
            messages.success(
                request, _("La conversation est fermée : l’usager ne peut plus écrire.")
            )
        return redirect(request.path)
    etat = etat_conversation(dossier, request.user, cote_lu=USAGER)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not etat.existe:
        form.add_error(None, _("Ouvrez d’abord la conversation."))
    elif request.method == "POST" and form.is_valid():
        try:
            message = message_poster(
                dossier=dossier,
                auteur=request.user,
                cote=MessageDossier.Cote.AGENT,
                texte=form.cleaned_data["texte"],
                fichiers=form.cleaned_data["fichiers"],
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("Votre message est envoyé à l’usager."))
            return redirect(f"{request.path}#message-{message.pk}")
    liste, deja_lu = fil_lire(dossier=dossier, user=request.user, cote_lu=USAGER)
    context = {
        **contexte_dossier(request, dossier, "messages"),
        "fil": liste,
        "deja_lu": deja_lu,
        "conversation": etat,
        "form": form,
    }
    return render(
        request, "crm/dossiers/messages.html", context, status=400 if form.errors else 200
    )


@agent_required
@require_safe
def message_piece_jointe(request, pk, piece_pk):
    dossier = dossier_de_l_agent(request, pk)
    piece = get_object_or_404(PieceJointeMessage, pk=piece_pk, message__dossier=dossier)
    try:
        fichier = piece.fichier.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        fichier, as_attachment=True, filename=piece.nom, content_type=piece.type_mime
    )
