"""Commissions (I6): the agenda, the decisions and closing a séance."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.gabarits import montant as montant_fr
from dossiers.models import Historique
from editique.models import DocumentGenere
from instruction import services, services_commissions
from instruction.editique_commissions import contexte_seance
from instruction.models import ChangementStatut, Decision, PointOrdreDuJour, Seance
from tests.editique.factories import ModeleDocumentFactory
from tests.instruction import commissions as c

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde(instructeur):
    dispositif, statuts = c.dispositif_instruit()
    commission = c.commission(dispositif)
    dossiers = [
        c.dossier_en_instruction(dispositif, statuts, nom=nom)
        for nom in ("Amicale", "Bourg", "Chorale")
    ]
    return {
        "dispositif": dispositif,
        "statuts": statuts,
        "commission": commission,
        "seance": c.seance(commission),
        "dossiers": dossiers,
        "by": instructeur,
    }


def _ajouter(monde, dossiers=None):
    return services_commissions.ordre_du_jour_ajouter(
        seance=monde["seance"],
        pks=[d.pk for d in (dossiers or monde["dossiers"])],
        by=monde["by"],
    )


def test_agenda_takes_the_dossiers_in_order_with_a_history_line(monde):
    bilan = _ajouter(monde)
    assert [d.pk for d in bilan.ajoutes] == [d.pk for d in monde["dossiers"]]
    points = list(monde["seance"].points.order_by("ordre"))
    assert [p.ordre for p in points] == [1, 2, 3]
    assert Historique.objects.filter(
        dossier=monde["dossiers"][0], libelle__startswith="Inscrit à l’ordre du jour"
    ).exists()
    # Twice: already there, skipped with the reason.
    again = _ajouter(monde, monde["dossiers"][:1])
    assert not again.ajoutes and "Déjà inscrit" in again.ignores[0][1]


def test_agenda_refuses_a_closed_dossier_with_the_reason(monde):
    dossier = monde["dossiers"][0]
    services.change_status(dossier=dossier, statut=monde["statuts"]["accorde"], by=None)
    bilan = _ajouter(monde, [dossier])
    assert not bilan.ajoutes
    assert [ref for ref, _r in bilan.ignores] == [dossier.reference]
    assert "est clôturé depuis le" in bilan.ignores[0][1]
    assert not PointOrdreDuJour.objects.exists()


def test_agenda_refuses_another_dispositif(monde):
    autre, statuts = c.dispositif_instruit()
    dossier = c.dossier_en_instruction(autre, statuts)
    bilan = _ajouter(monde, [dossier])
    assert not bilan.ajoutes
    assert "ne relève pas de la commission" in bilan.ignores[0][1]


def test_agenda_out_of_scope_is_not_found(monde, agent):
    """An agent without the instruire right sees no dossier: nothing is added, and the
    reason names no dossier (no leak)."""
    bilan = services_commissions.ordre_du_jour_ajouter(
        seance=monde["seance"], pks=[monde["dossiers"][0].pk, 999999], by=agent
    )
    assert not bilan.ajoutes
    assert [raison for _ref, raison in bilan.ignores] == ["Dossier introuvable."] * 2
    assert all(ref.isdigit() for ref, _r in bilan.ignores)


def test_decision_moves_the_dossier_through_change_status(monde):
    _ajouter(monde)
    point = monde["seance"].points.get(dossier=monde["dossiers"][0])
    services_commissions.decision_enregistrer(
        point=point, decision=Decision.FAVORABLE, montant=Decimal("1500"), by=monde["by"]
    )
    point.refresh_from_db()
    assert (point.decision, point.montant, point.decide_par) == (
        "favorable",
        Decimal("1500.00"),
        monde["by"],
    )
    changement = ChangementStatut.objects.filter(dossier=point.dossier).latest("le")
    assert changement.vers.code == "accorde" and changement.par == monde["by"]
    ligne = Historique.objects.filter(dossier=point.dossier, details__decision="favorable").get()
    assert ligne.libelle.endswith(f" : favorable, {montant_fr(1500)} accordés")
    assert ligne.details["montant"] == "1500.00"
    monde["seance"].refresh_from_db()
    assert monde["seance"].etat == Seance.Etat.TENUE


def test_defavorable_decision_refused_statut_gets_the_reason(monde):
    """« Refusé » requires a motif: the decision's sentence is it."""
    _ajouter(monde)
    point = monde["seance"].points.get(dossier=monde["dossiers"][1])
    services_commissions.decision_enregistrer(
        point=point, decision=Decision.DEFAVORABLE, motivation="Hors critères", by=monde["by"]
    )
    changement = ChangementStatut.objects.filter(dossier=point.dossier).latest("le")
    assert changement.vers.code == "refuse" and "défavorable" in changement.motif


def test_decision_refused_when_the_guide_refuses_the_move(monde):
    """The guide does not allow « Déposé » → « Accordé »: nothing is written."""
    dispositif, statuts = monde["dispositif"], monde["statuts"]
    from tests.crm.dossiers.conftest import deposer

    dossier = deposer(dispositif, None, donnees={"nom": "Déposé"})
    _ajouter(monde, [dossier])
    point = monde["seance"].points.get(dossier=dossier)
    with pytest.raises(ValidationError) as error:
        services_commissions.decision_enregistrer(
            point=point, decision=Decision.FAVORABLE, by=monde["by"]
        )
    assert "ne permet pas de passer" in " ".join(error.value.messages)
    point.refresh_from_db()
    assert (
        point.decision == ""
        and not Historique.objects.filter(dossier=dossier, details__has_key="decision").exists()
    )
    assert statuts  # unused otherwise


def test_decision_on_a_closed_dossier_is_refused_with_the_reason(monde):
    _ajouter(monde)
    dossier = monde["dossiers"][2]
    point = monde["seance"].points.get(dossier=dossier)
    services.change_status(dossier=dossier, statut=monde["statuts"]["accorde"], by=None)
    with pytest.raises(ValidationError) as error:
        services_commissions.decision_enregistrer(
            point=point, decision=Decision.AJOURNE, by=monde["by"]
        )
    assert "est clôturé" in error.value.message_dict["decision"][0]
    point.refresh_from_db()
    assert point.decision == ""


@pytest.mark.parametrize(
    ("decision", "montant", "champ"),
    [
        (Decision.FAVORABLE, Decimal("-1"), "montant"),
        (Decision.DEFAVORABLE, Decimal("10"), "montant"),
        ("peut-etre", None, "decision"),
    ],
)
def test_bad_decisions_are_refused_next_to_their_field(monde, decision, montant, champ):
    _ajouter(monde)
    point = monde["seance"].points.first()
    with pytest.raises(ValidationError) as error:
        services_commissions.decision_enregistrer(
            point=point, decision=decision, montant=montant, by=monde["by"]
        )
    assert champ in error.value.message_dict


def test_amount_written_to_the_configured_field(monde):
    monde["commission"].champ_montant = "montant_accorde"
    monde["commission"].save()
    _ajouter(monde)
    point = monde["seance"].points.first()
    services_commissions.decision_enregistrer(
        point=point, decision=Decision.FAVORABLE, montant=Decimal("750.50"), by=monde["by"]
    )
    point.dossier.refresh_from_db()
    assert point.dossier.donnees["montant_accorde"] == "750.50"


def test_closing_needs_every_decision_then_freezes_the_seance(monde):
    _ajouter(monde)
    seance = monde["seance"]
    points = list(seance.points.order_by("ordre"))
    services_commissions.decision_enregistrer(
        point=points[0], decision=Decision.FAVORABLE, montant=Decimal("1500"), by=monde["by"]
    )
    services_commissions.decision_enregistrer(
        point=points[1], decision=Decision.FAVORABLE, montant=Decimal("250.25"), by=monde["by"]
    )
    with pytest.raises(ValidationError) as error:
        services_commissions.seance_clore(seance=seance, by=monde["by"])
    assert points[2].dossier.reference in error.value.messages[0]
    services_commissions.decision_enregistrer(
        point=points[2], decision=Decision.AJOURNE, by=monde["by"]
    )
    totaux = services_commissions.totaux(list(seance.points.all()))
    assert (totaux.favorables, totaux.ajournes, totaux.montant) == (2, 1, Decimal("1750.25"))

    services_commissions.seance_clore(seance=seance, by=monde["by"])
    seance.refresh_from_db()
    assert seance.etat == Seance.Etat.CLOSE and seance.close_par == monde["by"]
    assert seance.pv_document is None  # no template: standard minutes on demand
    # Closed: every change refused with the reason.
    autre = c.dossier_en_instruction(monde["dispositif"], monde["statuts"])
    for appel in (
        lambda: _ajouter(monde, [autre]),
        lambda: services_commissions.decision_enregistrer(
            point=points[2], decision=Decision.SANS_OBJET, by=monde["by"]
        ),
        lambda: services_commissions.ordre_du_jour_retirer(point=points[2], by=monde["by"]),
        lambda: services_commissions.document_deposer(
            seance=seance, upload=None, titre="", by=monde["by"]
        ),
        lambda: services_commissions.seance_modifier(
            seance=seance, date=seance.date, lieu="", proces_verbal="", by=monde["by"]
        ),
    ):
        with pytest.raises(ValidationError) as error:
            appel()
        assert "est close" in error.value.messages[0]
    points[2].refresh_from_db()
    assert points[2].decision == Decision.AJOURNE


def test_closing_produces_the_minutes_from_the_commission_template(monde):
    from editique import services as editique_services

    modele = ModeleDocumentFactory(
        contexte="seance",
        corps="<p>{{ commission.nom }} : {{ totaux.favorables }} favorable(s), "
        "{{ totaux.montant }}</p>{% for p in points %}<p>{{ p.reference }} {{ p.decision }}</p>"
        "{% endfor %}",
    )
    editique_services.modele_publier(modele=modele)
    monde["commission"].modele_pv = modele
    monde["commission"].save()
    _ajouter(monde, monde["dossiers"][:1])
    point = monde["seance"].points.get()
    services_commissions.decision_enregistrer(
        point=point, decision=Decision.FAVORABLE, montant=Decimal("100"), by=monde["by"]
    )
    seance = services_commissions.seance_clore(seance=monde["seance"], by=monde["by"])
    document = DocumentGenere.objects.get()
    assert seance.pv_document == document and document.objet == seance
    with document.fichier.open("rb") as fichier:
        assert fichier.read(4) == b"%PDF"
    contexte = contexte_seance(seance)
    assert contexte["points"][0]["decision"] == "Favorable"
    assert contexte["totaux"]["montant"] == "100,00\u00a0€"


def test_reorder_and_remove(monde):
    _ajouter(monde)
    seance = monde["seance"]
    premier, deuxieme, troisieme = seance.points.order_by("ordre")
    services_commissions.ordre_du_jour_deplacer(point=troisieme, vers_le_haut=True, by=None)
    assert list(seance.points.order_by("ordre").values_list("pk", flat=True)) == [
        premier.pk,
        troisieme.pk,
        deuxieme.pk,
    ]
    services_commissions.ordre_du_jour_deplacer(point=premier, vers_le_haut=True, by=None)
    assert seance.points.order_by("ordre").first() == premier
    services_commissions.ordre_du_jour_retirer(point=deuxieme, by=None)
    assert seance.points.count() == 2
    services_commissions.decision_enregistrer(
        point=premier, decision=Decision.SANS_OBJET, by=monde["by"]
    )
    with pytest.raises(ValidationError):
        services_commissions.ordre_du_jour_retirer(point=premier, by=None)


def test_pv_text_is_sanitised(monde):
    seance = services_commissions.seance_modifier(
        seance=monde["seance"],
        date=monde["seance"].date,
        lieu="Mairie",
        proces_verbal="<p>Séance ouverte</p><script>alert(1)</script>",
        by=monde["by"],
    )
    assert seance.proces_verbal == "<p>Séance ouverte</p>"


def test_reunion_links_only_visible_dossiers(monde, agent):
    dossier = monde["dossiers"][0]
    reunion = services_commissions.reunion_enregistrer(
        objet="Point avec l’association",
        date=monde["seance"].date,
        dossier_pks=[dossier.pk],
        by=agent,  # sees no dossier
    )
    assert not reunion.dossiers.exists()
    services_commissions.reunion_enregistrer(
        reunion=reunion,
        objet="Point avec l’association",
        date=monde["seance"].date,
        dossier_pks=[dossier.pk],
        by=monde["by"],
    )
    assert list(reunion.dossiers.all()) == [dossier]
