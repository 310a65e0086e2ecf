"""Merging two records of the référentiel (C10): compare side by side, then merge."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from crm.access import agent_required
from crm.referentiel.common import fil_ariane, individu_ou_404, profil_ou_404
from crm.referentiel.display import Ligne, valeur
from crm.referentiel.forms import FusionForm
from usagers.models import ADRESSE_FIELDS, Individu, Profil
from usagers.services import ActionRefusee, individus_fusionner, profils_fusionner

INDIVIDU_CHAMPS = (
    "type_individu",
    "civilite",
    "prenom",
    "nom",
    "nom_usage",
    "date_naissance",
    "lieu_naissance",
    "email",
    "telephone_mobile",
    "telephone_fixe",
    *ADRESSE_FIELDS,
    *(name for names in Individu.FIELDS_BY_TYPE.values() for name in names),
    "agent_referent",
)
PROFIL_CHAMPS = (
    "type_profil",
    "nature",
    "nom",
    "sigle",
    "siret",
    "siren",
    "rna",
    "email",
    "telephone",
    "site_web",
    "iban",
    "bic",
    *ADRESSE_FIELDS,
)


def _comparaison(conserve, absorbe, names, extra=()) -> list[dict]:
    """Rows champ | fiche conservée | fiche absorbée; a blank of the kept record that the
    merge fills is flagged, so the agent sees the result before confirming."""
    rows = []
    for name in names:
        kept, gone = valeur(conserve, name), valeur(absorbe, name)
        if kept or gone:
            label = conserve._meta.get_field(name).verbose_name
            rows.append(
                {"label": label, "conserve": kept, "absorbe": gone, "complete": gone and not kept}
            )
    for ligne_conserve, ligne_absorbe in extra:
        rows.append(
            {
                "label": ligne_conserve.label,
                "conserve": ligne_conserve.value,
                "absorbe": ligne_absorbe.value,
                "complete": False,
            }
        )
    return rows


def _fusion(request, *, conserve, absorbe, merge, rows, titre, url_name):
    form = FusionForm(
        request.POST if request.method == "POST" else None,
        choix=[(conserve.pk, str(conserve)), (absorbe.pk, str(absorbe))],
        initial={"conserver": conserve.pk},
    )
    refus = []
    if form.is_bound and form.is_valid():
        kept, gone = (
            (conserve, absorbe)
            if form.cleaned_data["conserver"] == conserve.pk
            else (absorbe, conserve)
        )
        try:
            fusion = merge(conserve=kept, absorbe=gone, by=request.user)
        except ActionRefusee as error:
            refus = error.messages
        else:
            messages.success(
                request,
                _(
                    "Fiches fusionnées : la fiche n° %(absorbe)s a été absorbée par celle-ci ; "
                    "ses profils, liens et adresses y ont été déplacés et ses informations ont "
                    "complété les champs vides."
                )
                % {"absorbe": fusion.absorbe_id},
            )
            return redirect(url_name, pk=kept.pk)
    fiche_url = reverse(url_name, args=[conserve.pk])
    return render(
        request,
        "crm/usagers/fusion.html",
        {
            "page_title": titre,
            "conserve": conserve,
            "absorbe": absorbe,
            "rows": rows,
            "form": form,
            "refus": refus,
            "fiche_url": fiche_url,
            "inverse_url": reverse(
                f"{url_name}_fusionner", kwargs={"pk": absorbe.pk, "autre_pk": conserve.pk}
            ),
            **fil_ariane((fiche_url, str(conserve)), (None, _("Fusionner"))),
        },
    )


def _liens_individu(individu: Individu) -> list[Ligne]:
    profils = ", ".join(a.profil.nom for a in individu.adhesions.all())
    liens = len(individu.liens.all()) + len(individu.liens_recus.all())
    return [
        Ligne(_("Profils"), profils or "—"),
        Ligne(_("Liens de parenté"), str(liens)),
        Ligne(_("Adresses précédentes"), str(len(individu.adresses_precedentes.all()))),
        Ligne(_("Compte usager"), individu.user.email if individu.user_id else _("Aucun")),
    ]


@agent_required
def individu_fusionner(request, pk, autre_pk):
    conserve = individu_ou_404(pk, request.user, "fusionner")
    absorbe = individu_ou_404(autre_pk, request.user, "fusionner")
    names = INDIVIDU_CHAMPS
    if conserve.abilities(request.user)["voir_restreint"]:
        names = (*names, *Individu.RESTRICTED_FIELDS)
    return _fusion(
        request,
        conserve=conserve,
        absorbe=absorbe,
        merge=individus_fusionner,
        rows=_comparaison(
            conserve,
            absorbe,
            names,
            zip(_liens_individu(conserve), _liens_individu(absorbe), strict=True),
        ),
        titre=_("Fusionner deux fiches individu"),
        url_name="crm:individu",
    )


def _liens_profil(profil: Profil) -> list[Ligne]:
    membres = ", ".join(a.individu.nom_complet for a in profil.adhesions.all())
    return [
        Ligne(_("Membres"), membres or "—"),
        Ligne(_("Adresses précédentes"), str(len(profil.adresses_precedentes.all()))),
    ]


@agent_required
def profil_fusionner(request, pk, autre_pk):
    conserve = profil_ou_404(pk, request.user, "fusionner")
    absorbe = profil_ou_404(autre_pk, request.user, "fusionner")
    return _fusion(
        request,
        conserve=conserve,
        absorbe=absorbe,
        merge=profils_fusionner,
        rows=_comparaison(
            conserve,
            absorbe,
            PROFIL_CHAMPS,
            zip(_liens_profil(conserve), _liens_profil(absorbe), strict=True),
        ),
        titre=_("Fusionner deux profils"),
        url_name="crm:profil",
    )
