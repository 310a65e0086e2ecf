"""Demo saved views of the CRM dossier list (issue 9, C2 and C15), for the demo
instructeur: their late dossiers by échéance, the unassigned ones oldest first, and —
shared with the other agents — one dispositif's dossiers in instruction with a field of
its form as a column, filtered on it. Idempotent (keyed by owner and name)."""

from django.db.models import Count, Q

from dossiers.models import Dispositif, VueListe
from dossiers.selectors_gestion import noms_techniques
from instruction.models import Statut, VersionGuide


def _vue(agent, nom: str, *, filtres: dict, colonnes: list[str], tri: str, partagee=False):
    VueListe.objects.update_or_create(
        agent=agent,
        nom=nom,
        defaults={"filtres": filtres, "colonnes": colonnes, "tri": tri, "partagee": partagee},
    )


def _dispositif_instruit() -> tuple[Dispositif, str | None, str | None] | None:
    """The dispositif with a published guide and the most dossiers in instruction, its
    « en instruction » statut and, preferably, an amount field of its published form."""
    en_instruction = Q(dossiers__suivi_instruction__statut__code="en_instruction")
    for dispositif in (
        Dispositif.objects.filter(guide_instruction__versions__etat=VersionGuide.Etat.PUBLIEE)
        .annotate(n=Count("dossiers", filter=en_instruction))
        .order_by("-n", "titre")
    ):
        champs = [nom for nom, _libelle in noms_techniques(dispositif)]
        if not champs:
            continue
        montant = next((c for c in champs if "montant" in c), None)
        statut = (
            Statut.objects.filter(
                version__guide__dispositif=dispositif,
                version__etat=VersionGuide.Etat.PUBLIEE,
                code="en_instruction",
            )
            .values_list("code", flat=True)
            .first()
        )
        return dispositif, statut, montant or champs[0]
    return None


def load_vues_liste(users: dict) -> None:
    instructeur = users["instructeur"]
    _vue(
        instructeur,
        "Mes dossiers en retard",
        filtres={"attribution": ["moi"], "en_retard": ["on"]},
        colonnes=["reference", "demandeur", "dispositif", "etat", "echeance", "drapeaux"],
        tri="echeance",
    )
    _vue(
        instructeur,
        "À attribuer — les plus anciens d’abord",
        filtres={"attribution": ["aucun"]},
        colonnes=["reference", "demandeur", "dispositif", "etat", "depose_le"],
        tri="depose_le",
    )
    if VueListe.objects.filter(agent=instructeur, partagee=True).exists():
        return  # chosen once: a later load would pick by counts that have moved on
    trouve = _dispositif_instruit()
    if trouve is None:
        return
    dispositif, statut, champ = trouve
    filtres = {"dispositif": [str(dispositif.pk)]}
    if statut:
        filtres["statut"] = [statut]
    _vue(
        instructeur,
        f"{dispositif.titre} — en instruction",
        filtres=filtres,
        colonnes=["reference", "demandeur", "etat", "agent", "echeance", f"champ:{champ}"],
        tri="-depose_le",
        partagee=True,
    )
