"""The guide's entries in the CRM dossier list (dossiers.liste): filters by étape and
statut (options from the chosen dispositif's published guide, values that hold across
its versions: the étape's label, the statut's code; matched on the dossier's own copy
of its statut, `Dossier.tri_statut`), « en retard » (I5: the
denormalised échéance, an indexed predicate), the sorts by progress and by échéance
(keys the instruction services copy onto the dossier), the échéance column and the late
count."""

from __future__ import annotations

from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dossiers import liste
from instruction.models import Statut, VersionGuide


def statuts_proposes(ctx: liste.Contexte) -> list[Statut]:
    if not ctx.dispositif_id or not ctx.options:
        return []
    return ctx.memo(
        "statuts",
        lambda: list(
            Statut.objects.filter(
                version__guide__dispositif_id=ctx.dispositif_id,
                version__etat=VersionGuide.Etat.PUBLIEE,
            )
            .select_related("etape")
            .order_by("etape__ordre", "etape__pk", "ordre", "pk")
        ),
    )


def _statuts_parmi(ctx: liste.Contexte, **critere) -> Q:
    """The dossiers whose guide statut (`Dossier.tri_statut`, the suivi's copy) is one of
    the statuts matching `critere` in the chosen dispositif's guide, every version (or in
    every guide when none is chosen). The ids are read once per request (one short
    query); one id is an equality, so the index (dispositif, tri_statut, depose_le, id)
    gives the list newest first, its keyset pages and its count without a join."""
    if ctx.dispositif_id:
        critere["version__guide__dispositif_id"] = ctx.dispositif_id
    cle = "statuts_parmi:" + repr(sorted(critere.items()))
    ids = ctx.memo(cle, lambda: list(Statut.objects.filter(**critere).values_list("pk", flat=True)))
    return Q(tri_statut=ids[0]) if len(ids) == 1 else Q(tri_statut__in=ids)


def _vide(ctx):
    return _("Toutes") if ctx.dispositif_id else _("Choisissez d’abord un dispositif")


class FiltreEtape(liste.Filtre):
    nom, ordre, depend_du_dispositif = "etape", 30, True

    def champs(self, ctx):
        etapes = list(dict.fromkeys(s.etape.libelle for s in statuts_proposes(ctx)))
        return {
            "etape": liste.ChoixOuvert(
                label=_("Étape"),
                required=False,
                choices=[("", _vide(ctx)), *[(e, e) for e in etapes]],
                motif=r"^.{1,150}$",
            )
        }

    def appliquer(self, qs, valeurs, ctx):
        return qs.filter(_statuts_parmi(ctx, etape__libelle=valeurs["etape"]))


class FiltreStatut(liste.Filtre):
    nom, ordre, depend_du_dispositif = "statut", 35, True

    def champs(self, ctx):
        statuts = statuts_proposes(ctx)
        return {
            "statut": liste.ChoixOuvert(
                label=_("Statut"),
                required=False,
                choices=[
                    ("", _("Tous") if ctx.dispositif_id else _vide(ctx)),
                    *[(s.code, f"{s.etape.libelle} › {s.libelle}") for s in statuts],
                ],
                motif=r"^[-a-zA-Z0-9_]{1,50}$",
            )
        }

    def appliquer(self, qs, valeurs, ctx):
        return qs.filter(_statuts_parmi(ctx, code=valeurs["statut"]))


def _en_retard(ctx) -> Q:
    # The dossier's own copy of the échéance: no join, its index (tri_echeance, id).
    return Q(tri_echeance__lte=ctx.maintenant)


class FiltreRetard(liste.Filtre):
    nom, ordre = "en_retard", 40

    def champs(self, ctx):
        return {"en_retard": forms.BooleanField(label=_("En retard seulement"), required=False)}

    def appliquer(self, qs, valeurs, ctx):
        return qs.filter(_en_retard(ctx))


def enregistrer() -> None:
    for filtre in (FiltreEtape(), FiltreStatut(), FiltreRetard()):
        liste.enregistrer_filtre(filtre)
    # Keys copied onto the dossier's row (Dossier.tri_*, indexed with the pk).
    liste.enregistrer_tri(
        liste.Tri("avancement", _("Étape / statut"), (liste.Cle("tri_avancement", "entier"),), 40)
    )
    liste.enregistrer_tri(liste.Tri("echeance", _("Échéance"), (liste.Cle("tri_echeance"),), 50))
    liste.enregistrer_colonne(
        liste.Colonne(
            "echeance",
            _("Échéance"),
            70,
            annotations={"echeance_liste": F("suivi_instruction__echeance")},
        )
    )
    liste.enregistrer_indicateur(liste.Indicateur("en_retard", _("en retard"), _en_retard, 10))
