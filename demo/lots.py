"""Demo batches (issue 9, I6) of the demo instructeur: a finished statut lot (up to five
dossiers at the same statut midway through their guide, moved to the first next statut
they share) and a mail campaign « Rappel : réunion d’information » to the dossiers in
instruction, paced at 30 a minute. Both run here, synchronously. Idempotent: nothing is
added once the instructeur has lots."""

from django.db.models import Count

from dossiers.models import Dossier
from dossiers.selectors import dossiers_visible_to
from instruction import services, services_lots
from instruction.models import Lot, PointOrdreDuJour, SuiviInstruction
from notifications import services as notifications_services
from notifications.models import Canal, ModeleMessage

# Statuts other demos and their tests rely on.
LAISSES = ("en_instruction", "incomplet", "correction_demandee")

CORPS_CAMPAGNE = """Bonjour {{ demandeur.nom_complet }},

Votre demande « {{ dossier.dispositif }} » (référence {{ dossier.reference }}) est en cours d’examen ({{ statut.libelle }}).

Une réunion d’information sur les aides de la commune se tient le mardi 12 janvier à 18 h, salle du conseil municipal de la mairie. Les agents du service instructeur répondront à vos questions.

Suivez votre demande en ligne : {{ lien }}

{{ autorite }}"""


def _modele() -> ModeleMessage:
    modele, cree = ModeleMessage.objects.get_or_create(
        nom="Rappel : réunion d’information",
        defaults={
            "canal": Canal.EMAIL,
            "evenement": services.EVENEMENT_STATUT,
            "sujet": "Votre demande {{ dossier.reference }} : réunion d’information",
            "corps": CORPS_CAMPAGNE,
        },
    )
    if cree:
        notifications_services.modele_publier(modele)
    return modele


def _terminer(lot: Lot) -> None:
    while services_lots.lot_traiter(lot.pk) is not None:
        pass


def load_lots(users: dict) -> None:
    instructeur = users["instructeur"]
    if Lot.objects.filter(agent=instructeur).exists():
        return
    # The commissions' demo dossiers keep the statut their decisions gave them.
    visibles = (
        dossiers_visible_to(instructeur)
        .filter(statut=Dossier.Statut.DEPOSE)
        .exclude(pk__in=PointOrdreDuJour.objects.values("dossier_id"))
    )
    # The largest group of dossiers at one statut midway through one guide (the waiting,
    # late ones and those other demos follow are left where they are).
    groupe = (
        SuiviInstruction.objects.filter(
            dossier__in=visibles.values("pk"), statut__initial=False, statut__cloture=False
        )
        .exclude(statut__code__in=LAISSES)
        .order_by()
        .values("statut_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "statut_id")
        .first()
    )
    if groupe is not None:
        suivis = SuiviInstruction.objects.filter(statut_id=groupe["statut_id"])
        dossiers = visibles.filter(
            pk__in=list(suivis.order_by("dossier_id").values_list("dossier_id", flat=True)[:5])
        )
        choix = services_lots.statuts_possibles(dossiers)
        if choix:
            _terminer(
                services_lots.lot_creer(
                    agent=instructeur,
                    sorte=Lot.Sorte.STATUT,
                    params={"statut": choix[0].valeur, "motif": "Pièces vérifiées en lot"},
                    dossiers=dossiers,
                )
            )
    en_instruction = SuiviInstruction.objects.filter(statut__initial=False, statut__cloture=False)
    campagne = visibles.filter(pk__in=en_instruction.values("dossier_id"))
    if campagne.exists():
        pks = list(campagne.order_by("pk").values_list("pk", flat=True)[:8])
        _terminer(
            services_lots.lot_creer(
                agent=instructeur,
                sorte=Lot.Sorte.CAMPAGNE,
                params={"modele": _modele().pk, "rythme": 30},
                dossiers=visibles.filter(pk__in=pks),
            )
        )
