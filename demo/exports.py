"""A finished export job of the demo instructeur (C12/C15): the dossiers of the
dispositif with the most filed dossiers, as a spreadsheet with its form's fields, so « Mes
exports » shows a file ready to download. Idempotent: made once, while none exists."""

from django.db.models import Count, Q


def load_exports(users) -> None:
    from crm.exports.sources import SOURCE_LISTE
    from dossiers import exports, services_exports
    from dossiers.models import Dispositif, Dossier, Export

    instructeur = users.get("instructeur")
    if instructeur is None or Export.objects.filter(agent=instructeur).exists():
        return
    deposes = ~Q(dossiers__statut=Dossier.Statut.BROUILLON)
    dispositif = (
        Dispositif.objects.annotate(n=Count("dossiers", filter=deposes))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )
    if dispositif is None:
        return
    champs = [c.cle for c in exports.colonnes_du_modele(exports.modele_des_colonnes(dispositif))]
    export = Export.objects.create(
        agent=instructeur,
        format="xlsx",
        source=SOURCE_LISTE,
        parametres={
            "colonnes": [*exports.COLONNES_PAR_DEFAUT, "etape", "echeance", *champs[:8]],
            "libelles": True,
            "dispositif": dispositif.pk,
            "champ_date": "",
            "filtres": f"dispositif={dispositif.pk}",
        },
        total=dispositif.n,
    )
    services_exports.export_executer(export.pk)
