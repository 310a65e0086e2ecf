"""Demo commissions and meetings (issue 9, I6): the « Commission vie associative » decides
on the subvention aux associations. Its séance of three weeks ago is held and closed:
two grants with their amounts (written to the dossiers' « montant_vote », the field the
commission's déclencheur also reads), one refusal, the dossiers moved to « Avis
favorable » / « Avis défavorable » of their guide, the minutes produced from a published
template. A séance in preparation follows, with the next dossier on its agenda; and a
meeting with the associations' office. The demo instructeur manages commissions.
Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.utils import timezone

from dossiers.models import Dispositif, Dossier
from editique import services as editique_services
from editique.models import ModeleDocument
from instruction import selectors, services, services_commissions
from instruction.models import Commission, Decision, Reunion, Seance, Statut

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
        for d in Dossier.objects.filter(dispositif=dispositif, statut=Dossier.Statut.DEPOSE)
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
