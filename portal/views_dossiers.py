"""Tracking (P10): « Mes demandes », the citizen's filed dossiers across all their
profils, and the dossier page's tabs « Suivi », « Ma demande » and « Documents ».

The tab views are not @login_required: a visitor without an account follows the
dossiers their session proved (SUIVIS_SESSION, P6); `dossier_de_la_requete` answers 404
to anybody else."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from common.fichiers import IMAGES, PDF, reponse_fichier, visionnable
from dossiers import selectors_suivi, suivi
from dossiers.selectors import brouillons_de
from instruction import selectors_corrections
from portal.compte import fil_ariane
from portal.dossier_page import contexte_dossier, dossier_de_la_requete
from usagers.selectors import profils_de_user

PAR_PAGE = 20
HISTORIQUE_MAX = 10
BROUILLONS_MAX = 20


class FiltresDemandes(forms.Form):
    """The list's filters (GET); an unknown value is reported next to its field and
    ignored, never an error page."""

    q = forms.CharField(label=gettext_lazy("Référence ou démarche"), required=False, max_length=100)
    profil = forms.TypedChoiceField(
        label=gettext_lazy("Demandeur"), required=False, coerce=int, empty_value=None
    )
    dispositif = forms.TypedChoiceField(
        label=gettext_lazy("Démarche"), required=False, coerce=int, empty_value=None
    )
    etat = forms.ChoiceField(
        label=gettext_lazy("État"),
        required=False,
        choices=[
            ("", gettext_lazy("Tous")),
            (selectors_suivi.EN_COURS, gettext_lazy("En cours")),
            (selectors_suivi.CLOTURE, gettext_lazy("Clôturées")),
        ],
    )

    def __init__(self, *args, profils=(), dispositifs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profil"].choices = [("", _("Tous mes profils"))] + [
            (p.pk, p.nom) for p in profils
        ]
        self.fields["dispositif"].choices = [("", _("Toutes les démarches"))] + [
            (d.pk, d.titre) for d in dispositifs
        ]

    def filtres(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        donnees = self.cleaned_data
        return {
            "texte": donnees.get("q") or "",
            "profil": donnees.get("profil"),
            "dispositif": donnees.get("dispositif"),
            "etat": donnees.get("etat") or "",
        }


@login_required
@require_safe
def dossiers(request):
    """« Mes demandes »: newest filed first, with filters and each one's state."""
    user = request.user
    profils = list(profils_de_user(user).only("pk", "nom").order_by("-personnel", "nom"))
    form = FiltresDemandes(
        request.GET or None,
        profils=profils,
        dispositifs=selectors_suivi.dispositifs_des_demandes(user),
    )
    filtres = form.filtres()
    page = Paginator(selectors_suivi.demandes_de(user, **filtres), PAR_PAGE).get_page(
        request.GET.get("page")
    )
    etats = suivi.etats(page.object_list, usager=True)
    lignes = [{"dossier": d, "etat": etats[d.pk]} for d in page.object_list]
    parametres = request.GET.copy()
    parametres.pop("page", None)
    context = {
        "page_title": _("Mes demandes"),
        "breadcrumb_links": fil_ariane(),
        "form": form,
        "filtre": any(filtres.values()),
        "page": page,
        "lignes": lignes,
        "parametres": parametres.urlencode(),
        "brouillons": list(brouillons_de(user)[:BROUILLONS_MAX]),
    }
    return render(request, "portal/dossiers/liste.html", context)


@require_safe
def dossier(request, pk):
    """Tab « Suivi »: the lifeline, the key facts and the history the citizen sees."""
    dossier = dossier_de_la_requete(request, pk)
    tout = request.GET.get("historique") == "tout"
    historique = selectors_suivi.historique_usager(dossier, limite=None if tout else HISTORIQUE_MAX)
    context = {
        **contexte_dossier(request, dossier, "suivi"),
        "ligne_de_vie": suivi.ligne_de_vie(dossier, usager=True),
        "faits": selectors_suivi.faits(dossier),
        "historique": historique[:HISTORIQUE_MAX] if not tout else historique,
        "historique_suite": not tout and len(historique) > HISTORIQUE_MAX,
        # A correction the service asked for (I10), with its form's link.
        "correction": selectors_corrections.correction_ouverte(dossier),
    }
    return render(request, "portal/dossiers/suivi.html", context)


@require_safe
def dossier_donnees(request, pk):
    """Tab « Ma demande »: what was filed, tab by tab, as the form displayed it."""
    dossier = dossier_de_la_requete(request, pk)
    context = {
        **contexte_dossier(request, dossier, "donnees"),
        "onglets_donnees": selectors_suivi.donnees_affichees(dossier),
        # F10: an account's dossier the guide (or the default rule) leaves modifiable.
        "peut_modifier": request.user.is_authenticated and suivi.usager_peut_modifier(dossier),
    }
    return render(request, "portal/dossiers/donnees.html", context)


@require_safe
def dossier_documents(request, pk):
    """Tab « Documents »: those received for this dossier, the chosen one (the newest
    by default) shown in the page when the browser can display it."""
    dossier = dossier_de_la_requete(request, pk)
    documents = list(selectors_suivi.documents_recus(dossier))
    choisi = request.GET.get("document", "")
    courant = next((d for d in documents if str(d.pk) == choisi), None)
    if courant is None and documents:
        courant = documents[0]
    context = {
        **contexte_dossier(request, dossier, "documents"),
        "documents": documents,
        "courant": courant,
        "visionneuse": courant is not None and visionnable(courant.type_mime),
        "est_pdf": courant is not None and courant.type_mime == PDF,
        "est_image": courant is not None and courant.type_mime in IMAGES,
    }
    return render(request, "portal/dossiers/documents.html", context)


@require_safe
@xframe_options_sameorigin
def dossier_document(request, pk, document_pk):
    """One document of the dossier: shown inline for the viewer, or downloaded
    (?telecharger=1). Checked twice: the dossier through the request's scope, the
    document among those deposited for it."""
    dossier = dossier_de_la_requete(request, pk)
    document = get_object_or_404(selectors_suivi.documents_recus(dossier), pk=document_pk)
    try:
        fichier = document.fichier.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return reponse_fichier(
        fichier,
        nom=document.nom_fichier,
        type_mime=document.type_mime,
        inline=request.GET.get("telecharger") != "1",
    )
