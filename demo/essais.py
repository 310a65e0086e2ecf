"""Demo guide tests (issue 8, I9): every demo guide gets two realistic test cases — the
granted path to closing, and an incomplete dossier that is refused (a refusal without
its reason is expected to be refused) — run once so that the CRM shows green reports.
Idempotent: a version that has test cases is left alone."""

from django.core.exceptions import ValidationError

from demo.instruction import NOM_COURRIEL
from dossiers.models import Dossier
from instruction import essais
from instruction.models import CasTest, PassageCasTest, VersionGuide

CAS = [
    (
        "Parcours accordé jusqu’à la clôture",
        CasTest.Demandeur.INDIVIDU,
        [
            {"statut": "recevable", "suivi": ["Votre demande est complète"]},
            {"statut": "en_instruction", "actions": ["attribuer"]},
            {"statut": "avis_favorable"},
            {
                "statut": "accorde",
                "actions": ["courriel"],
                "messages": [{"modele": NOM_COURRIEL, "destinataire": essais.ADRESSE_USAGER}],
            },
            {"statut": "cloture", "actions": ["conversation"]},
        ],
    ),
    (
        "Demande incomplète puis refusée",
        CasTest.Demandeur.PROFIL,
        [
            {
                "statut": "incomplet",
                "motif": "Le budget prévisionnel manque",
                "actions": ["suivi"],
                "suivi": ["Complétez votre demande depuis l’onglet Justificatifs."],
            },
            {"statut": "recevable"},
            {"statut": "en_instruction"},
            {"statut": "avis_defavorable"},
            {"statut": "refuse", "refus_attendu": True},  # a refusal needs its reason
            {"statut": "refuse", "motif": "Le projet ne relève pas du dispositif"},
            {"statut": "cloture"},
        ],
    ),
]


def load_essais(users: dict) -> None:
    for version in VersionGuide.objects.filter(cas_tests__isnull=True).select_related(
        "guide__dispositif"
    ):
        statuts = set(version.statuts.values_list("code", flat=True))
        donnees = _donnees_realistes(version)
        for nom, demandeur, passages in CAS:
            if not {p["statut"] for p in passages} <= statuts:
                continue  # a guide shaped otherwise than the demo's
            cas = CasTest.objects.create(
                version=version, nom=nom, demandeur=demandeur, donnees=donnees
            )
            PassageCasTest.objects.bulk_create(
                PassageCasTest(cas=cas, ordre=ordre, **passage)
                for ordre, passage in enumerate(passages)
            )
            essais.cas_executer(cas, par=users["instructeur"])


def _donnees_realistes(version: VersionGuide) -> dict:
    """The answers of the dispositif's first filed demo dossier: a decision document
    (arrêté, convention) rendered from empty answers would fail, as it would for real."""
    donnees = (
        Dossier.objects.filter(dispositif_id=version.guide.dispositif_id)
        .exclude(statut=Dossier.Statut.BROUILLON)
        .order_by("pk")
        .values_list("donnees", flat=True)
        .first()
    )
    # Kept as stored (JSON), field by field where the form's types accept them.
    propres = {}
    for nom, valeur in (donnees or {}).items():
        try:
            essais.donnees_valider(version, {nom: valeur})
        except ValidationError:
            continue
        propres[nom] = valeur
    return propres
