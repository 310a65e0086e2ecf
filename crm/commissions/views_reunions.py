"""Meetings (I6): a list, and one form to create or edit a meeting (subject, date, place,
participants, minutes, the dossiers discussed by reference — only references of dossiers
the agent may see are accepted; others are named in the field's error, input kept)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from crm.commissions import forms
from crm.commissions.views import instructeur_required
from dossiers.selectors import dossiers_visible_to
from instruction import selectors_commissions as selectors
from instruction import services_commissions as services
from instruction.models import Reunion


def _cadre(titre: str, courant: str = "") -> dict:
    return {
        "page_title": titre,
        "root_url": reverse("crm:home"),
        "root_label": _("Tableau de bord"),
        "links": [{"url": reverse("crm:reunions"), "label": _("Réunions")}] if courant else [],
        "current": courant or titre,
        "menu_actif": "commissions",
    }


@instructeur_required
@require_safe
def reunions(request):
    page = Paginator(selectors.reunions(request.user), 30).get_page(request.GET.get("page"))
    context = {**_cadre(_("Réunions")), "page": page, "parametres": ""}
    return render(request, "crm/commissions/reunions.html", context)


@instructeur_required
@require_http_methods(["GET", "HEAD", "POST"])
def reunion(request, pk=None):
    reunion = get_object_or_404(Reunion, pk=pk) if pk is not None else None
    visibles = dossiers_visible_to(request.user)
    initial = {}
    if reunion is not None:
        initial = {
            "objet": reunion.objet,
            "date": timezone.localtime(reunion.date),
            "lieu": reunion.lieu,
            "participants": reunion.participants,
            "compte_rendu": reunion.compte_rendu,
            "references": " ".join(
                reunion.dossiers.filter(pk__in=visibles.values("pk")).values_list(
                    "reference", flat=True
                )
            ),
        }
    form = forms.ReunionForm(request.POST or None, initial=initial, dossiers_visibles=visibles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reunion = services.reunion_enregistrer(
            reunion=reunion,
            objet=data["objet"],
            date=data["date"],
            lieu=data["lieu"],
            participants=data["participants"],
            compte_rendu=data["compte_rendu"],
            dossier_pks=data["references"],
            by=request.user,
        )
        messages.success(request, _("La réunion est enregistrée."))
        return redirect("crm:reunion", pk=reunion.pk)
    titre = str(reunion) if reunion else _("Nouvelle réunion")
    context = {**_cadre(titre, courant=titre), "form": form, "reunion": reunion}
    return render(
        request, "crm/commissions/reunion.html", context, status=400 if form.errors else 200
    )
