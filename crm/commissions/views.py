"""Commission screens of the CRM (I6): the commissions and their séances, a séance's page
(agenda with one decision form per line — saved inline with htmx, or by a plain POST and
redirect without JavaScript —, totals, documents), creating, editing and closing a séance.

Rights: instructeurs (`dossiers.instruire_dossiers`) see séances and record decisions on
the dossiers they may see; creating, reordering, removing lines and closing needs
`instruction.gerer_commissions` too. Adding a dossier and deciding need the « instruire »
right on its dispositif (C7: the services' scoping)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.fichiers import reponse_fichier
from crm.access import agent_permission_required
from crm.commissions import forms
from crm.dossiers.forms import apply_errors
from editique import rendu
from instruction import selectors_commissions as selectors
from instruction import services_commissions as services
from instruction.models import PointOrdreDuJour, Seance

PERMISSION_GERER = "instruction.gerer_commissions"
instructeur_required = agent_permission_required("dossiers.instruire_dossiers")


def gestionnaire_required(view):
    """An instructeur who also manages commissions; other agents 403."""
    return instructeur_required(agent_permission_required(PERMISSION_GERER)(view))


def _cadre(titre: str, *, liens=(), courant: str = "") -> dict:
    return {
        "page_title": titre,
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": reverse("crm:commissions"), "label": _("Commissions")}, *liens],
        "current": courant or titre,
        "menu_actif": "commissions",
    }


@instructeur_required
@require_safe
def commissions(request):
    page = Paginator(selectors.seances().order_by("-date", "-pk"), 30).get_page(
        request.GET.get("page")
    )
    context = {
        **_cadre(_("Commissions")),
        "links": [],
        "commissions": selectors.commissions(),
        "page": page,
        "parametres": "",
        "gerer": request.user.has_perm(PERMISSION_GERER),
    }
    return render(request, "crm/commissions/liste.html", context)


@gestionnaire_required
@require_http_methods(["GET", "HEAD", "POST"])
def seance_creer(request):
    initial = {"commission": request.GET.get("commission")}
    form = forms.SeanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            seance = services.seance_creer(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("La séance est créée."))
            return redirect("crm:seance", pk=seance.pk)
    context = {**_cadre(_("Nouvelle séance")), "form": form}
    return render(
        request, "crm/commissions/seance_form.html", context, status=400 if form.errors else 200
    )


def _seance(pk) -> Seance:
    return get_object_or_404(Seance.objects.select_related("commission"), pk=pk)


def _contexte_seance(request, seance, *, formulaires=None, document_form=None) -> dict:
    points = selectors.points(seance, request.user)
    formulaires = formulaires or {}
    lignes = [
        (
            point,
            formulaires.get(point.pk)
            or forms.DecisionForm(
                prefix=f"p{point.pk}",
                initial={
                    "decision": point.decision,
                    "montant": (
                        f"{point.montant:.2f}".replace(".", ",")
                        if point.montant is not None
                        else ""
                    ),
                    "motivation": point.motivation,
                },
            ),
        )
        for point in points
    ]
    return {
        **_cadre(str(seance), courant=_("Séance du %(d)s") % {"d": _date(seance)}),
        "seance": seance,
        "lignes": lignes,
        "totaux": services.totaux(points),
        "hors_perimetre": selectors.points_hors_perimetre(seance, request.user),
        "gerer": request.user.has_perm(PERMISSION_GERER),
        "documents": list(seance.documents.select_related("depose_par")),
        "document_form": document_form or forms.DocumentForm(),
    }


def _date(seance) -> str:
    return timezone.localtime(seance.date).strftime("%d/%m/%Y")


@instructeur_required
@require_safe
def seance(request, pk):
    seance = _seance(pk)
    return render(request, "crm/commissions/seance.html", _contexte_seance(request, seance))


def _point(request, seance, point_pk) -> PointOrdreDuJour:
    """An agenda line of this séance whose dossier the agent may see; else 404."""
    point = get_object_or_404(selectors.points_visibles(seance, request.user), pk=point_pk)
    point.seance = seance
    return point


@instructeur_required
@require_POST
def seance_decision(request, pk, point_pk):
    seance = _seance(pk)
    point = _point(request, seance, point_pk)
    form = forms.DecisionForm(request.POST, prefix=f"p{point.pk}")
    enregistre = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_enregistrer(
                point=point,
                decision=data["decision"],
                montant=data["montant"],
                motivation=data["motivation"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            enregistre = True
    if request.htmx:
        seance.refresh_from_db()
        context = _contexte_seance(
            request, seance, formulaires={} if enregistre else {point.pk: form}
        )
        context["ligne_modifiee"] = point.pk
        context["enregistre"] = enregistre
        rang, ligne = next(
            (rang, ligne)
            for rang, ligne in enumerate(context["lignes"], start=1)
            if ligne[0].pk == point.pk
        )
        context["point"], context["form"], context["rang"] = *ligne, rang
        # 200 even with errors: htmx swaps no 4xx answer, and the row must show them.
        return render(request, "crm/commissions/includes/point_reponse.html", context)
    if enregistre:
        messages.success(
            request,
            _("Décision enregistrée pour le dossier %(r)s.") % {"r": point.dossier.reference},
        )
        return redirect(f"{reverse('crm:seance', args=[seance.pk])}#point-{point.pk}")
    context = _contexte_seance(request, seance, formulaires={point.pk: form})
    return render(request, "crm/commissions/seance.html", context, status=400)


@gestionnaire_required
@require_POST
def seance_point_deplacer(request, pk, point_pk):
    seance = _seance(pk)
    point = _point(request, seance, point_pk)
    try:
        services.ordre_du_jour_deplacer(
            point=point, vers_le_haut=request.POST.get("sens") != "bas", by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{reverse('crm:seance', args=[seance.pk])}#point-{point.pk}")


@gestionnaire_required
@require_POST
def seance_point_retirer(request, pk, point_pk):
    seance = _seance(pk)
    point = _point(request, seance, point_pk)
    try:
        services.ordre_du_jour_retirer(point=point, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Le dossier %(r)s est retiré de l’ordre du jour.") % {"r": point.dossier.reference},
        )
    return redirect("crm:seance", pk=seance.pk)


@gestionnaire_required
@require_http_methods(["GET", "HEAD", "POST"])
def seance_modifier(request, pk):
    seance = _seance(pk)
    if seance.close:
        messages.error(request, _("Cette séance est close : elle ne peut plus être modifiée."))
        return redirect("crm:seance", pk=seance.pk)
    form = forms.SeanceModifierForm(
        request.POST or None,
        initial={
            "date": timezone.localtime(seance.date),
            "lieu": seance.lieu,
            "proces_verbal": seance.proces_verbal,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.seance_modifier(seance=seance, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("La séance est enregistrée."))
            return redirect("crm:seance", pk=seance.pk)
    context = {
        **_cadre(
            _("Modifier la séance"),
            liens=[{"url": reverse("crm:seance", args=[pk]), "label": str(seance)}],
        ),
        "form": form,
        "seance": seance,
    }
    return render(
        request, "crm/commissions/seance_form.html", context, status=400 if form.errors else 200
    )


@gestionnaire_required
@require_POST
def seance_clore(request, pk):
    seance = _seance(pk)
    try:
        services.seance_clore(seance=seance, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La séance est close ; son procès-verbal est disponible."))
    return redirect("crm:seance", pk=seance.pk)


def _pdf(request, seance, *, pv: bool) -> HttpResponse:
    """The agenda, or the standard minutes, laid out by éditique's renderer."""
    points = selectors.points(seance, request.user)
    titre = (_("Procès-verbal") if pv else _("Ordre du jour")) + f" — {seance}"
    corps = render_to_string(
        "crm/commissions/pdf_seance.html",
        {
            "seance": seance,
            "points": points,
            "totaux": services.totaux(points),
            "pv": pv,
            "titre": titre,
        },
    )
    document = rendu.Rendu(
        titre=titre,
        corps=rendu.nettoyer(corps),
        entete="",
        pied=rendu.nettoyer(titre),
        orientation="portrait",
        marge_mm=18,
        logo=True,
        archivage=False,
    )
    reponse = HttpResponse(rendu.pdf(document), content_type="application/pdf")
    nom = "proces-verbal" if pv else "ordre-du-jour"
    reponse["Content-Disposition"] = (
        f'attachment; filename="{nom}-{timezone.localtime(seance.date):%Y-%m-%d}.pdf"'
    )
    return reponse


@instructeur_required
@require_safe
def seance_ordre_du_jour(request, pk):
    return _pdf(request, _seance(pk), pv=False)


@instructeur_required
@require_safe
def seance_pv(request, pk):
    """The minutes of a closed séance: the document produced at closing from the
    commission's template, else the standard minutes."""
    seance = _seance(pk)
    if not seance.close:
        raise Http404
    document = seance.pv_document
    if document is not None:
        return FileResponse(
            document.fichier.open("rb"),
            as_attachment=True,
            filename=document.nom_fichier,
            content_type=document.type_mime,
        )
    return _pdf(request, seance, pv=True)


@gestionnaire_required
@require_POST
def seance_document_deposer(request, pk):
    seance = _seance(pk)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.document_deposer(
                seance=seance,
                upload=form.cleaned_data["fichier"],
                titre=form.cleaned_data["titre"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Le document « %(t)s » est déposé.") % {"t": document})
            return redirect(f"{reverse('crm:seance', args=[seance.pk])}#documents")
    context = _contexte_seance(request, seance, document_form=form)
    return render(request, "crm/commissions/seance.html", context, status=400)


@instructeur_required
@require_safe
def seance_document(request, pk, document_pk):
    seance = _seance(pk)
    document = get_object_or_404(seance.documents, pk=document_pk)
    return reponse_fichier(
        document.fichier.open("rb"), nom=document.nom, type_mime=document.type_mime
    )
