"""Demo commissions and meetings (issue 9, I6): the « Commission vie associative » decides
on the subvention aux associations. Its séance of three weeks ago is held and closed:
two grants with their amounts (written to the dossiers' « montant_vote », the field the
commission's déclencheur also reads), one refusal, the dossiers moved to « Avis
favorable » / « Avis défavorable » of their guide, the minutes produced from a published
template. A séance in preparation follows, with this year's last request on its agenda; and a
meeting with the associations' office. The demo instructeur manages commissions.
Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.utils import timezone

from dossiers import services as dossiers_services
from dossiers.models import Dispositif, Dossier
from editique import services as editique_services
from editique.models import ModeleDocument
from instruction import selectors, services, services_commissions
from instruction.models import Commission, Decision, Reunion, Seance, Statut
from usagers import services as usagers_services
from usagers.models import Profil, TypeProfil

NOM = "Commission vie associative"

CORPS_PV = """<h2>Procès-verbal de la séance du {{ seance.date|date }}</h2>
<p>{{ commission.nom }}, réunie {% if seance.lieu %}en {{ seance.lieu }}{% endif %}.</p>
<table>
<thead><tr><th>N°</th><th>Dossier</th><th>Association</th><th>Décision</th><th>Montant</th></tr></thead>
<tbody>
{% for point in points %}<tr><td>{{ point.ordre }}</td><td>{{ point.reference }}</td>
<td>{{ point.demandeur }}</td><td>{{ point.decision }}</td><td>{{ point.montant }}</td></tr>
{% endfor %}</tbody>
</table>
<p><strong>{{ totaux.favorables }} subvention(s) accordée(s) pour un total de
{{ totaux.montant }}.</strong></p>
<p>Fait à Belleville-sur-Loire, le {{ aujourdhui|date }}.</p>"""

DECISIONS = [
    (Decision.FAVORABLE, None, "Projet d’intérêt local, budget équilibré."),
    (Decision.FAVORABLE, Decimal("450"), "Accord partiel : les frais de réception sont exclus."),
    (Decision.DEFAVORABLE, None, "Manifestation hors du territoire communal."),
]

# The guide's way to « En instruction » from where a demo dossier may stand.
VERS_INSTRUCTION = {
    "depose": ["recevable", "en_instruction"],
    "incomplet": ["recevable", "en_instruction"],
    "relance": ["recevable", "en_instruction"],
    "recevable": ["en_instruction"],
    "en_instruction": [],
}


def _modele_pv() -> ModeleDocument:
    modele, cree = ModeleDocument.objects.get_or_create(
        code="proces-verbal-commission",
        defaults={
            "nom": "Procès-verbal de commission",
            "description": "Produit à la clôture d’une séance de commission.",
            "contexte": "seance",
            "corps": CORPS_PV,
        },
    )
    if cree:
        editique_services.modele_publier(modele=modele)
    return modele


def _en_instruction(dossier: Dossier, instructeur) -> bool:
    suivi = selectors.suivi_de(dossier)
    if suivi is None or suivi.statut.code not in VERS_INSTRUCTION:
        return False
    for code in VERS_INSTRUCTION[suivi.statut.code]:
        statut = Statut.objects.get(version_id=suivi.version_id, code=code)
        services.change_status(dossier=dossier, statut=statut, by=instructeur)
    return True


# Four requests for this year's commission: (association, RNA, IBAN, project,
# budget, amount asked). The IBANs are fictional, with valid keys.
DEMANDES = [
    (
        "Chorale À Cœur Joie de Belleville",
        "W181003456",
        "FR7630004008200001234560104",
        "Concert de printemps à l’église Saint-Martin",
        "4800.00",
        "1200.00",
    ),
    (
        "Tennis club bellevillois",
        "W181004567",
        "FR7630004008200002345670272",
        "Tournoi jeunes de l’été",
        "6500.00",
        "1500.00",
    ),
    (
        "Comité des fêtes de Belleville",
        "W181005678",
        "FR7630004008200003456780343",
        "Feu d’artifice du 14 juillet",
        "7200.00",
        "2500.00",
    ),
    (
        # Not « Les Amis de la Loire »: a filed request of theirs would be offered as
        # « Demande précédente » next to last year's (tests/demo/test_load_demo.py).
        "Club des aînés de Belleville",
        "W181006789",
        "FR7630004008200004567890414",
        "Sortie annuelle en bord de Loire",
        "3000.00",
        "900.00",
    ),
]


def _deposer_demandes(dispositif: Dispositif) -> None:
    """Filed through the deposit service (reference, guide entry), by the associations'
    office at the counter (no account)."""
    precedent = (
        Dossier.objects.filter(dispositif=dispositif).exclude(donnees={}).order_by("pk").first()
    )
    association = TypeProfil.objects.get(code="association")
    for nom, rna, iban, projet, budget, montant in DEMANDES:
        profil = Profil.objects.filter(nom=nom, personnel=False).first()
        if profil is None:
            profil = usagers_services.profil_creer(
                by=None,
                type_profil=association,
                nom=nom,
                rna=rna,
                iban=iban,
                commune="Belleville-sur-Loire",
                code_postal="18240",
            )
        dossier = dossiers_services.dossier_commencer(dispositif=dispositif, user=None)
        dossier.demandeur_profil = profil
        dossier.donnees = {
            **(precedent.donnees if precedent else {}),
            "nom_association": profil.nom,
            "rna": profil.rna,
            "email_contact": profil.email or "bureau@associations-belleville.fr",
            "nature_demande": "projet",
            "titre_projet": projet,
            "budget_total": budget,
            "montant_demande": montant,
            "iban": profil.iban,
        }
        dossier.donnees.pop("demande_precedente", None)
        dossiers_services.dossier_deposer(dossier=dossier, user=None)


def load_commissions(users: dict) -> None:
    instructeur = users["instructeur"]
    instructeur.user_permissions.add(Permission.objects.get(codename="gerer_commissions"))
    dispositif = Dispositif.objects.filter(slug="subvention-associations").first()
    if dispositif is None or Commission.objects.filter(nom=NOM).exists():
        return
    commission = Commission.objects.create(
        nom=NOM,
        membres="Mme Hélène Le Gall, adjointe à la vie associative (présidente)\n"
        "M. Bruno Ferrand, conseiller municipal\n"
        "Mme Aïcha Benhamou, conseillère municipale\n"
        "M. Paul Lefort, service vie associative (rapporteur)",
        statut_favorable="avis_favorable",
        statut_defavorable="avis_defavorable",
        champ_montant="montant_vote",
        modele_pv=_modele_pv(),
    )
    commission.dispositifs.add(dispositif)
    commission.agents.add(instructeur)
    _deposer_demandes(dispositif)

    maintenant = timezone.localtime()
    tenue = Seance.objects.create(
        commission=commission,
        date=(maintenant - timedelta(days=21)).replace(hour=18, minute=30, second=0),
        lieu="Salle du conseil municipal",
        proces_verbal="<p>La séance est ouverte à 18 h 30 sous la présidence de Mme Le Gall. "
        "Le quorum est atteint.</p><p>La séance est levée à 19 h 45.</p>",
    )
    prochaine = Seance.objects.create(
        commission=commission,
        date=(maintenant + timedelta(days=14)).replace(hour=18, minute=30, second=0),
        lieu="Salle du conseil municipal",
    )
    dossiers = [
        d
        for d in Dossier.objects.filter(
            dispositif=dispositif, statut=Dossier.Statut.DEPOSE, depose_le__year=maintenant.year
        )
        .select_related("dispositif")
        .order_by("depose_le", "pk")
        if _en_instruction(d, instructeur)
    ]
    bilan = services_commissions.ordre_du_jour_ajouter(
        seance=tenue, pks=[d.pk for d in dossiers[: len(DECISIONS)]], by=instructeur
    )
    for point, (decision, montant, motivation) in zip(
        tenue.points.select_related("dossier").order_by("ordre"), DECISIONS, strict=False
    ):
        if decision == Decision.FAVORABLE and montant is None:
            montant = Decimal(str(point.dossier.donnees.get("montant_demande") or "800"))
        point.avis_propose = decision
        point.save(update_fields=["avis_propose"])
        services_commissions.decision_enregistrer(
            point=point, decision=decision, montant=montant, motivation=motivation, by=instructeur
        )
    if bilan.ajoutes:
        services_commissions.seance_clore(seance=tenue, by=instructeur)
    services_commissions.ordre_du_jour_ajouter(
        seance=prochaine, pks=[d.pk for d in dossiers[len(DECISIONS) :]], by=instructeur
    )

    reunion = Reunion.objects.create(
        objet="Rencontre avec le bureau de l’office municipal des associations",
        date=(maintenant - timedelta(days=10)).replace(hour=10, minute=0, second=0),
        lieu="Mairie, bureau des adjoints",
        participants="Mme Hélène Le Gall\nM. Paul Lefort\nBureau de l’OMA (3 personnes)",
        compte_rendu="Point sur le calendrier des subventions 2027 et sur les dossiers ajournés.",
        cree_par=instructeur,
    )
    reunion.dossiers.set(dossiers[:2])
