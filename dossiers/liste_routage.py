"""The routing's entries in the CRM dossier list (dossiers.liste, C2 × C14): filters by
équipe and by étiquette. Options within the agent's scope: the active teams that handle
one of the dispositifs the agent sees (or any dispositif), every label (inactive ones
too: they stay on dossiers, and a saved view naming one keeps it). A label or team
deleted since a view was saved is no longer offered: the view opens without it, with
the notice (crm/dossiers/forms_liste.donnees_de_vue)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Value
from django.utils.translation import gettext_lazy as _

from dossiers import liste
from dossiers.models import Dossier, Equipe, Etiquette
from dossiers.selectors_droits import portee


def _options(ctx: liste.Contexte) -> dict[str, list[tuple[str, str]]]:
    """Both filters' options in ONE query (UNION ALL of two small tables), memoised for
    the request: the list costs one query more, not two."""

    def calcul():
        equipes = Equipe.objects.filter(active=True)
        ids = portee(ctx.agent).dispositifs_pour("voir")
        if ids is not None:
            # A team documents the dispositifs it handles (none: any).
            traite = Equipe.dispositifs.through.objects.filter(equipe_id=OuterRef("pk"))
            equipes = equipes.filter(
                ~Exists(traite) | Exists(traite.filter(dispositif_id__in=sorted(ids)))
            )
        lignes = (
            equipes.order_by()
            .annotate(sorte=Value("equipe"))
            .values_list("sorte", "pk", "nom", "active")
            .union(
                Etiquette.objects.order_by()
                .annotate(sorte=Value("etiquette"))
                .values_list("sorte", "pk", "libelle", "active"),
                all=True,
            )
        )
        options: dict[str, list[tuple[str, str]]] = {"equipe": [], "etiquette": []}
        for sorte, pk, libelle, active in sorted(
            lignes, key=lambda ligne: (ligne[0], ligne[2].lower())
        ):
            if not active:
                libelle = _("%(e)s (inactive)") % {"e": libelle}
            options[sorte].append((str(pk), libelle))
        return options

    if not ctx.options:
        return {"equipe": [], "etiquette": []}
    return ctx.memo("routage", calcul)


class FiltreEquipe(liste.Filtre):
    nom, ordre = "equipe", 55

    def champs(self, ctx):
        return {
            "equipe": liste.ChoixOuvert(
                label=_("Équipe"),
                required=False,
                choices=[
                    ("", _("Toutes")),
                    ("miennes", _("Mes équipes")),
                    ("aucune", _("Aucune équipe")),
                    *_options(ctx)["equipe"],
                ],
            )
        }

    def appliquer(self, qs, valeurs, ctx):
        valeur = valeurs["equipe"]
        if valeur == "aucune":
            return qs.filter(equipe__isnull=True)
        if valeur == "miennes":
            # The index (equipe, statut) serves `equipe_id IN (…)`.
            ids = Equipe.agents.through.objects.filter(user_id=ctx.agent.pk).values("equipe_id")
            return qs.filter(equipe_id__in=ids)
        return qs.filter(equipe_id=int(valeur))


class FiltreEtiquette(liste.Filtre):
    nom, ordre = "etiquette", 57

    def champs(self, ctx):
        return {
            "etiquette": liste.ChoixOuvert(
                label=_("Étiquette"),
                required=False,
                choices=[
                    ("", _("Toutes")),
                    ("aucune", _("Sans étiquette")),
                    *_options(ctx)["etiquette"],
                ],
            )
        }

    def appliquer(self, qs, valeurs, ctx):
        lien = Dossier.etiquettes.through.objects.filter(dossier_id=OuterRef("pk"))
        if valeurs["etiquette"] == "aucune":
            return qs.filter(~Exists(lien))
        return qs.filter(Exists(lien.filter(etiquette_id=int(valeurs["etiquette"]))))


def enregistrer() -> None:
    liste.enregistrer_filtre(FiltreEquipe())
    liste.enregistrer_filtre(FiltreEtiquette())
