"""The agent's dossier pages (F8, C3): the page's tabs Synthèse (the cover
and the management forms), Données, Documents, Historique; correcting, deleting and the
PDF export (the list: views_liste). Dossiers come through `crm.dossier_page.dossier_de_l_agent`
(`dossiers_visible_to`); an agent without the « instruire les dossiers » right gets 403
(clearer than the 404 the scoped selector alone would give).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.gabarits import ErreurGabarit
from crm.access import agent_permission_required
from crm.dossier_page import contexte_dossier, dossier_de_l_agent
from crm.dossiers import forms, views_donnees
from crm.routage import views_dossier as views_routage
from dossiers import editique as dossiers_editique
from dossiers import selectors_gestion as selectors
from dossiers import services_gestion as services
from dossiers import suivi
from dossiers.selectors_droits import portee
from editique import rendu
from editique.models import DocumentGenere

instructeur_required = agent_permission_required("dossiers.instruire_dossiers")


def _synthese(request, dossier, *, status=200, **formulaires):
    coordonnees = services.coordonnees_du_demandeur(dossier)[1]
    defauts = {
        "attribuer_form": forms.AttribuerForm(initial={"agent": dossier.agent_id}, dossier=dossier),
        "classer_form": forms.ClasserForm(initial={"classement": dossier.classement_id}),
        "drapeaux_form": forms.DrapeauxForm(
            initial={n: getattr(dossier, n) for n in services.DRAPEAUX}
        ),
        "parent_form": forms.ParentForm(
            initial={"reference": dossier.parent.reference if dossier.parent_id else ""}
        ),
        "doublon_form": forms.DoublonForm(),
    }
    context = {
        **contexte_dossier(request, dossier, "synthese"),
        **defauts,
        **views_routage.contexte_panneau(request, dossier),
        **formulaires,
        "couverture": selectors.couverture(dossier),
        "chemin_classement": selectors.chemin_classement(dossier.classement),
        "liens": selectors.liens(dossier, request.user),
        "coordonnees": coordonnees,
        "peut_supprimer": request.user.has_perm("dossiers.supprimer_dossiers")
        and portee(request.user).peut("supprimer", dossier.dispositif_id),
    }
    return render(request, "crm/dossiers/synthese.html", context, status=status)


# The routing panel's views (crm/routage) answer a refused form with the whole Synthèse.
synthese_page = _synthese


def _dossier(request, pk):
    return dossier_de_l_agent(request, pk)


@instructeur_required
@require_safe
def synthese(request, pk):
    dossier = _dossier(request, pk)
    return _synthese(request, dossier)


def _gerer(request, pk, form_class, nom, action, champ=None):
    """Parse one management form, call its service, back to the Synthèse (the form
    and its error shown there when refused)."""
    dossier = _dossier(request, pk)
    form = form_class(request.POST, **({"dossier": dossier} if form_class.avec_dossier else {}))
    if form.is_valid():
        try:
            action(dossier, form.cleaned_data)
        except ValidationError as error:
            forms.apply_errors(form, error, champ)
        else:
            messages.success(request, _("Le dossier est mis à jour."))
            return redirect("crm:dossier", pk=dossier.pk)
    return _synthese(request, dossier, status=400, **{nom: form})


@instructeur_required
@require_POST
def attribuer(request, pk):
    return _gerer(
        request,
        pk,
        forms.AttribuerForm,
        "attribuer_form",
        lambda d, data: services.dossier_attribuer(dossier=d, agent=data["agent"], by=request.user),
    )


@instructeur_required
@require_POST
def classer(request, pk):
    return _gerer(
        request,
        pk,
        forms.ClasserForm,
        "classer_form",
        lambda d, data: services.dossier_classer(
            dossier=d, classement=data["classement"], by=request.user
        ),
    )


@instructeur_required
@require_POST
def marquer(request, pk):
    return _gerer(
        request,
        pk,
        forms.DrapeauxForm,
        "drapeaux_form",
        lambda d, data: services.dossier_marquer(dossier=d, by=request.user, **data),
    )


@instructeur_required
@require_POST
def parent(request, pk):
    return _gerer(
        request,
        pk,
        forms.ParentForm,
        "parent_form",
        lambda d, data: services.dossier_lier_parent(
            dossier=d, reference=data["reference"], by=request.user
        ),
        champ="reference",
    )


@instructeur_required
@require_POST
def doublon(request, pk):
    if request.POST.get("action") == "retirer":
        return _gerer(
            request,
            pk,
            forms.DoublonForm,
            "doublon_form",
            lambda d, data: services.dossier_retirer_doublon(dossier=d, by=request.user),
        )
    return _gerer(
        request,
        pk,
        forms.DoublonForm,
        "doublon_form",
        lambda d, data: services.dossier_marquer_doublon(
            dossier=d, reference=data["reference"], by=request.user
        ),
        champ="reference",
    )


@instructeur_required
@require_safe
def donnees(request, pk):
    dossier = _dossier(request, pk)
    context = {
        **contexte_dossier(request, dossier, "donnees"),
        **views_donnees.sections(dossier),
    }
    return render(request, "crm/dossiers/donnees.html", context)


@instructeur_required
@require_safe
def historique(request, pk):
    dossier = _dossier(request, pk)
    page = Paginator(selectors.historique(dossier), 50).get_page(request.GET.get("page"))
    context = {**contexte_dossier(request, dossier, "historique"), "page": page}
    return render(request, "crm/dossiers/historique.html", context)


@instructeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def documents(request, pk):
    """The documents produced for the dossier; POST produces one from a template."""
    dossier = _dossier(request, pk)
    form = forms.DocumentForm(request.POST or None, dossier=dossier)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                document = services.dossier_document_produire(
                    dossier=dossier,
                    modele=form.cleaned_data["modele"],
                    format_=form.cleaned_data["format"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            except ErreurGabarit as error:
                form.add_error(None, _("Production impossible : %(e)s") % {"e": error})
            else:
                messages.success(
                    request, _("Le document « %(t)s » est produit.") % {"t": document.titre}
                )
                return redirect("crm:dossier_documents", pk=dossier.pk)
        status = 400
    context = {
        **contexte_dossier(request, dossier, "documents"),
        "documents": dossiers_editique.documents(dossier),
        "form": form,
    }
    return render(request, "crm/dossiers/documents.html", context, status=status)


@instructeur_required
@require_safe
def document(request, pk, document_pk):
    """Download of a document produced for the dossier (never from the web root)."""
    dossier = _dossier(request, pk)
    document = get_object_or_404(dossiers_editique.documents(dossier), pk=document_pk)
    try:
        fichier = document.fichier.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        fichier,
        as_attachment=True,
        filename=document.nom_fichier,
        content_type=DocumentGenere.TYPES_MIME.get(document.format),
    )


@instructeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def corriger(request, pk):
    # Its form too needs « instruire » (C7): a reader gets no form to fill in vain.
    dossier = dossier_de_l_agent(request, pk, droit="instruire")
    sorte, coordonnees = services.coordonnees_du_demandeur(dossier)
    form = forms.CorrigerForm(request.POST or None, dossier=dossier, coordonnees=coordonnees)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.dossier_corriger(
                    dossier=dossier,
                    by=request.user,
                    motif=data["motif"],
                    dispositif=data["dispositif"],
                    etape=data["etape_courante"],
                    statut=data["statut"],
                    coordonnees=form.coordonnees(),
                )
            except ValidationError as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("La correction est enregistrée dans l’historique."))
                return redirect("crm:dossier", pk=dossier.pk)
        status = 400
    context = {
        **contexte_dossier(request, dossier, "synthese"),
        "form": form,
        "sorte_demandeur": sorte,
        "page_title": _("Corriger le dossier %(r)s") % {"r": dossier.reference},
    }
    return render(request, "crm/dossiers/corriger.html", context, status=status)


@instructeur_required
@require_safe
def pdf(request, pk):
    """The dossier as a PDF: its summary, every tab of the agents' view, its history;
    laid out by éditique's renderer (WeasyPrint, nothing fetched). Needs « exporter » on
    its dispositif (C7), as the list's exports."""
    dossier = dossier_de_l_agent(request, pk, droit="exporter")
    _sorte, coordonnees = services.coordonnees_du_demandeur(dossier)
    corps = render_to_string(
        "dossiers/export_pdf.html",
        {
            "dossier": dossier,
            "etat": suivi.etat(dossier, usager=False),
            "demandeur": dossiers_editique.personne(dossier),
            "chemin_classement": selectors.chemin_classement(dossier.classement),
            "onglets_donnees": selectors.donnees_crm(dossier),
            "historique": selectors.historique(dossier),
            "maintenant": timezone.now(),
            "coordonnees": coordonnees,
        },
    )
    document = rendu.Rendu(
        titre=_("Dossier %(r)s") % {"r": dossier.reference},
        corps=rendu.nettoyer(corps),
        entete="",
        pied=rendu.nettoyer(
            _("Dossier %(r)s — exporté le %(d)s")
            % {"r": dossier.reference, "d": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
        ),
        orientation="portrait",
        marge_mm=18,
        logo=True,
        archivage=False,
    )
    reponse = HttpResponse(rendu.pdf(document), content_type="application/pdf")
    reponse["Content-Disposition"] = f'attachment; filename="{dossier.reference}.pdf"'
    return reponse
