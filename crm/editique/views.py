"""Document templates in the CRM (issue 6): list, create, edit with a live preview on a
sample or an existing dossier, PDF/DOCX of the preview, publish, produce and download.
For agents with `editique.concevoir_modeles`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from common.gabarits import ErreurGabarit, lignes
from common.nombres import entier
from crm.access import redacteur_required
from crm.editique.forms import ApercuForm, ModeleDocumentForm
from editique import contextes, services
from editique.models import DocumentGenere, ModeleDocument

MENU = "documents"
TYPES_MIME = DocumentGenere.TYPES_MIME


def fil_ariane(*pairs) -> dict:
    links = []
    if pairs:
        links = [{"url": reverse("crm:editique"), "label": _("Modèles de document")}]
        links += [{"url": url, "label": label} for url, label in pairs[:-1]]
    return {
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": links,
        "current": pairs[-1][1] if pairs else _("Modèles de document"),
        "menu_actif": MENU,
    }


def _modeles():
    return ModeleDocument.objects.prefetch_related("versions")


def _type_contexte(modele: ModeleDocument) -> contextes.TypeContexte | None:
    try:
        return contextes.get(modele.contexte)
    except KeyError:
        return None


def _objets(modele: ModeleDocument) -> list[tuple[int, str]]:
    type_contexte = _type_contexte(modele)
    return type_contexte.objets(modele.cible) if type_contexte else []


def _contexte(modele: ModeleDocument, objet_pk: int | None, user):
    """(object or None, context): the chosen object's, else the sample with the real agent,
    authority and date."""
    type_contexte = _type_contexte(modele)
    if type_contexte is not None and objet_pk:
        try:
            return type_contexte.contexte(objet_pk, utilisateur=user)
        except LookupError:
            pass
    exemple = type_contexte.exemple(modele.cible) if type_contexte else {}
    return None, {**exemple, **contextes.contexte_commun(user)}


def _apercu(modele: ModeleDocument, objet_pk: int | None, user) -> dict:
    """What the preview shows: the problems, the variables, the rendered document."""
    schema = services.schema(modele)
    problemes = [
        {"partie": dict(services.PARTIES)[partie], "probleme": probleme}
        for partie, liste in services.problemes(modele, schema).items()
        for probleme in liste
    ]
    objet, contexte = _contexte(modele, objet_pk, user)
    rendu = erreur = None
    try:
        rendu = services.rendre(modele.mise_en_page(), contexte, titre=modele.nom)
    except ErreurGabarit as exc:
        erreur = str(exc)
    return {
        "problemes": problemes,
        "variables": lignes(schema),
        "rendu": rendu,
        "erreur_rendu": erreur,
        "objet_apercu": objet,
        "objet_pk": objet.pk if objet is not None else "",
    }


def _objet_demande(data) -> int | None:
    return entier(data.get("objet")) or None


@redacteur_required
@require_safe
def liste(request):
    modeles = list(_modeles())
    cibles = dict(contextes.choix_cibles())  # one query: the dispositifs' titles
    for modele in modeles:
        modele.cible_libelle = cibles.get(modele.cible, modele.cible) if modele.cible else ""
    context = {
        "page_title": _("Modèles de document"),
        "modeles": modeles,
        **fil_ariane(),
    }
    return render(request, "crm/editique/liste.html", context)


def _page(request, modele: ModeleDocument | None):
    form = ModeleDocumentForm(request.POST if request.method == "POST" else None, instance=modele)
    if request.method == "POST" and form.is_valid():
        modele = form.save()
        messages.success(request, _("Le modèle « %(nom)s » est enregistré.") % {"nom": modele})
        url = reverse("crm:editique_modele", args=[modele.pk])
        objet = _objet_demande(request.POST)
        return redirect(f"{url}?objet={objet}" if objet else url)
    titre = str(modele) if modele and modele.pk else _("Nouveau modèle de document")
    context = {
        "page_title": titre,
        "form": form,
        "modele": modele,
        **fil_ariane((None, titre)),
    }
    if modele is not None:
        objet_pk = _objet_demande(request.GET)
        context.update(_apercu(modele, objet_pk, request.user))
        context["apercu_form"] = ApercuForm(initial={"objet": objet_pk}, objets=_objets(modele))
        context["documents"] = modele.documents.select_related("version", "cree_par")[:10]
    return render(request, "crm/editique/modele.html", context)


@redacteur_required
def creer(request):
    return _page(request, None)


@redacteur_required
def modifier(request, pk):
    return _page(request, get_object_or_404(_modeles(), pk=pk))


@redacteur_required
@require_POST
def apercu(request, pk):
    """The preview of what is typed, not saved (htmx: the partial, live)."""
    enregistre = get_object_or_404(_modeles(), pk=pk)
    brouillon = get_object_or_404(_modeles(), pk=pk)
    form = ModeleDocumentForm(request.POST, instance=brouillon)
    modele = form.instance if form.is_valid() else enregistre
    objet_pk = _objet_demande(request.POST)
    context = {
        "modele": enregistre,
        "form_invalide": not form.is_valid(),
        **_apercu(modele, objet_pk, request.user),
    }
    if request.htmx:
        return render(request, "crm/editique/includes/apercu.html", context)
    titre = _("Aperçu de « %(nom)s »") % {"nom": enregistre}
    context.update(
        page_title=titre,
        **fil_ariane((reverse("crm:editique_modele", args=[pk]), str(enregistre)), (None, titre)),
    )
    return render(request, "crm/editique/apercu.html", context)


@redacteur_required
@require_safe
def apercu_fichier(request, pk, format_):
    """The saved draft as PDF or DOCX, on the sample or the chosen object (not stored)."""
    if format_ not in TYPES_MIME:
        raise Http404
    modele = get_object_or_404(_modeles(), pk=pk)
    _objet, contexte = _contexte(modele, _objet_demande(request.GET), request.user)
    try:
        contenu = services.apercu(modele, contexte, format_)
    except ErreurGabarit as erreur:
        messages.error(request, _("Aperçu impossible : %(e)s") % {"e": erreur})
        return redirect("crm:editique_modele", pk=pk)
    reponse = HttpResponse(contenu, content_type=TYPES_MIME[format_])
    reponse["Content-Disposition"] = f'attachment; filename="apercu-{modele.code}.{format_}"'
    return reponse


@redacteur_required
@require_POST
def publier(request, pk):
    modele = get_object_or_404(_modeles(), pk=pk)
    try:
        version = services.modele_publier(modele=modele, par=request.user)
    except ValidationError as erreur:
        messages.error(
            request,
            _("Publication refusée : %(raisons)s") % {"raisons": " ; ".join(erreur.messages[:10])},
        )
    else:
        messages.success(request, _("Version %(n)s publiée.") % {"n": version.numero})
    url = reverse("crm:editique_modele", args=[pk])
    objet = _objet_demande(request.POST)
    return redirect(f"{url}?objet={objet}" if objet else url)


@redacteur_required
@require_POST
def produire(request, pk):
    """Produces the document from the published version on the chosen object and stores
    it there."""
    modele = get_object_or_404(_modeles(), pk=pk)
    form = ApercuForm(request.POST, objets=_objets(modele))
    url = reverse("crm:editique_modele", args=[pk])
    if not form.is_valid() or not form.cleaned_data["objet"]:
        messages.error(request, _("Choisissez le dossier pour lequel produire le document."))
        return redirect(url)
    objet_pk = form.cleaned_data["objet"]
    type_contexte = _type_contexte(modele)
    if type_contexte is None:  # its kind's app is no longer installed
        messages.error(request, _("Ce dossier n’existe plus."))
        return redirect(url)
    try:
        objet, contexte = type_contexte.contexte(objet_pk, utilisateur=request.user)
        document = services.document_generer(
            modele=modele,
            contexte=contexte,
            format_=form.cleaned_data["format"] or DocumentGenere.Format.PDF,
            objet=objet,
            titre=f"{modele.nom} — {objet}",
            par=request.user,
        )
    except LookupError:
        messages.error(request, _("Ce dossier n’existe plus."))
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    except ErreurGabarit as erreur:
        messages.error(request, _("Production impossible : %(e)s") % {"e": erreur})
    else:
        messages.success(
            request,
            _("Le document « %(t)s » est produit et rangé dans le dossier.") % {"t": document},
        )
    return redirect(f"{url}?objet={objet_pk}")


@redacteur_required
@require_safe
def document(request, pk):
    """Download of a stored document (never served from the web root)."""
    document = get_object_or_404(DocumentGenere, pk=pk)
    try:
        fichier = document.fichier.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        fichier,
        as_attachment=True,
        filename=document.nom_fichier,
        content_type=TYPES_MIME.get(document.format),
    )
