"""The agent's verbs on a filed dossier (dossiers.services_gestion)."""

import logging

import pytest

from dossiers import services_gestion as gestion
from dossiers.models import Dossier, Historique
from editique.models import DocumentGenere
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.usagers.factories import IndividuFactory, ProfilFactory
from usagers import services as usagers_services

pytestmark = pytest.mark.django_db

Nature = Historique.Nature


def _derniere(dossier) -> Historique:
    return dossier.historique.order_by("-quand", "-pk").first()


def test_assign_writes_history_with_the_agents_names(dossier, instructeur, agent):
    gestion.dossier_attribuer(dossier=dossier, agent=instructeur, by=instructeur)
    dossier.refresh_from_db()
    assert dossier.agent == instructeur
    ligne = _derniere(dossier)
    assert ligne.nature == Nature.ATTRIBUTION
    assert ligne.details["apres"] == str(instructeur)
    with pytest.raises(gestion.GestionRefusee):  # a plain agent cannot instruct
        gestion.dossier_attribuer(dossier=dossier, agent=agent, by=instructeur)
    gestion.dossier_attribuer(dossier=dossier, agent=None, by=instructeur)
    assert Dossier.objects.get(pk=dossier.pk).agent is None
    assert _derniere(dossier).details["avant"] == str(instructeur)


def test_classify_and_flags(dossier, instructeur, classements):
    gestion.dossier_classer(dossier=dossier, classement=classements["theatre"], by=instructeur)
    assert _derniere(dossier).details["apres"] == "Culture › Spectacle vivant › Théâtre"
    classements["culture"].actif = False
    classements["culture"].save()
    with pytest.raises(gestion.GestionRefusee):
        gestion.dossier_classer(dossier=dossier, classement=classements["culture"], by=instructeur)
    gestion.dossier_marquer(dossier=dossier, by=instructeur, urgent=True, prioritaire=False)
    dossier.refresh_from_db()
    assert dossier.urgent and not dossier.prioritaire
    assert _derniere(dossier).details == {"drapeaux": {"urgent": {"avant": False, "apres": True}}}
    nombre = dossier.historique.count()
    gestion.dossier_marquer(dossier=dossier, by=instructeur, urgent=True)  # no change
    assert dossier.historique.count() == nombre


def test_parent_link_refuses_cycles_and_invisible_dossiers(dispositif, instructeur):
    a, b, c = (deposer(dispositif) for _ in range(3))
    gestion.dossier_lier_parent(dossier=b, reference=a.reference, by=instructeur)
    gestion.dossier_lier_parent(dossier=c, reference=b.reference.lower(), by=instructeur)
    assert Dossier.objects.get(pk=c.pk).parent == b
    with pytest.raises(gestion.GestionRefusee) as refus:
        gestion.dossier_lier_parent(dossier=a, reference=c.reference, by=instructeur)
    assert refus.value.code == "cycle"
    with pytest.raises(gestion.GestionRefusee):
        gestion.dossier_lier_parent(dossier=a, reference=a.reference, by=instructeur)
    with pytest.raises(gestion.GestionRefusee) as refus:
        gestion.dossier_lier_parent(dossier=a, reference="2099-XXX-000001", by=instructeur)
    assert refus.value.code == "reference"
    assert _derniere(a).nature == Nature.LIEN  # "child added" written on the parent
    gestion.dossier_lier_parent(dossier=c, reference="", by=instructeur)
    assert Dossier.objects.get(pk=c.pk).parent is None


def test_a_parent_must_be_visible_to_the_agent(dispositif, agent, instructeur):
    a, b = deposer(dispositif), deposer(dispositif)
    with pytest.raises(gestion.GestionRefusee):
        gestion.dossier_lier_parent(dossier=b, reference=a.reference, by=agent)


def test_duplicate_mark_and_unmark(dispositif, instructeur):
    a, b = deposer(dispositif), deposer(dispositif)
    gestion.dossier_marquer_doublon(dossier=b, reference=a.reference, by=instructeur)
    b.refresh_from_db()
    assert b.doublon and b.doublon_de == a
    with pytest.raises(gestion.GestionRefusee):
        gestion.dossier_marquer_doublon(dossier=a, reference=a.reference, by=instructeur)
    gestion.dossier_retirer_doublon(dossier=b, by=instructeur)
    b.refresh_from_db()
    assert not b.doublon and b.doublon_de is None
    gestion.dossier_marquer_doublon(dossier=b, by=instructeur)
    assert Dossier.objects.get(pk=b.pk).doublon


def test_correct_status_step_and_coordinates_logs_before_after(dossier, instructeur):
    with pytest.raises(gestion.GestionRefusee) as refus:
        gestion.dossier_corriger(dossier=dossier, by=instructeur, motif=" ", statut="clos")
    assert refus.value.code == "motif"
    gestion.dossier_corriger(
        dossier=dossier,
        by=instructeur,
        motif="Demande retirée par téléphone",
        statut="clos",
        etape=2,
        coordonnees={"email": "lea.durand@exemple.fr", "commune": "Belleville-sur-Loire"},
    )
    dossier.refresh_from_db()
    assert dossier.statut == "clos" and dossier.clos_le is not None
    assert dossier.etape_courante == 2
    assert dossier.demandeur_individu.email == "lea.durand@exemple.fr"
    ligne = _derniere(dossier)
    assert ligne.nature == Nature.CORRECTION
    assert ligne.details["statut"] == {"avant": "depose", "apres": "clos"}
    assert ligne.details["coordonnees"]["email"]["avant"] == "lea@exemple.fr"
    assert ligne.details["motif"] == "Demande retirée par téléphone"
    gestion.dossier_corriger(dossier=dossier, by=instructeur, motif="Rouvert", statut="depose")
    assert Dossier.objects.get(pk=dossier.pk).clos_le is None
    with pytest.raises(gestion.GestionRefusee):
        gestion.dossier_corriger(dossier=dossier, by=instructeur, motif="x", statut="brouillon")
    with pytest.raises(gestion.GestionRefusee) as refus:  # nothing to change
        gestion.dossier_corriger(dossier=dossier, by=instructeur, motif="x", statut="depose")
    assert refus.value.code == "vide"


def test_profil_coordinates_are_corrected_on_the_profil(dispositif, instructeur):
    profil = ProfilFactory(email="asso@exemple.fr")
    dossier = deposer(dispositif)
    Dossier.objects.filter(pk=dossier.pk).update(demandeur_profil=profil)
    dossier = Dossier.objects.get(pk=dossier.pk)
    gestion.dossier_corriger(
        dossier=dossier, by=instructeur, motif="Courrier", coordonnees={"telephone": "0248000000"}
    )
    profil.refresh_from_db()
    assert profil.telephone == "0248000000"


def test_change_dispositif_when_the_target_form_takes_the_data(dossier, instructeur):
    compatible = dispositif_publie(
        code="AUT", champs=(("nom", "Nom", "texte_long"), ("montant", "Montant", "decimal"))
    )
    gestion.dossier_corriger(dossier=dossier, by=instructeur, motif="Erreur", dispositif=compatible)
    dossier.refresh_from_db()
    assert dossier.dispositif == compatible
    assert dossier.modele.dispositif == compatible
    assert dossier.donnees["nom"] == "Martin"
    details = _derniere(dossier).details
    assert details["dispositif"]["apres"] == compatible.titre
    assert details["donnees_precedentes"]["nom"] == "Martin"


def test_change_dispositif_refused_when_data_would_be_lost(dossier, instructeur):
    autre = dispositif_publie(code="AUT", champs=(("nom", "Nom", "texte"),))
    with pytest.raises(gestion.GestionRefusee) as refus:
        gestion.dossier_corriger(dossier=dossier, by=instructeur, motif="Erreur", dispositif=autre)
    assert "montant" in refus.value.messages[0]
    assert Dossier.objects.get(pk=dossier.pk).dispositif_id == dossier.dispositif_id


def _document(dossier, par):
    from editique import services as editique_services
    from tests.editique.factories import ModeleDocumentFactory

    modele = ModeleDocumentFactory()
    editique_services.modele_publier(modele=modele)
    return gestion.dossier_document_produire(dossier=dossier, modele=modele, by=par)


def test_produce_a_document_writes_history(dossier, instructeur):
    document = _document(dossier, instructeur)
    assert document.objet == dossier
    assert _derniere(dossier).nature == Nature.DOCUMENT


def test_delete_removes_documents_and_their_files_and_logs(
    dossier, instructeur, caplog, django_capture_on_commit_callbacks
):
    document = _document(dossier, instructeur)
    nom, stockage = document.fichier.name, document.fichier.storage
    assert stockage.exists(nom)
    enfant = deposer(dossier.dispositif)
    gestion.dossier_lier_parent(dossier=enfant, reference=dossier.reference, by=instructeur)
    reference = dossier.reference
    with (
        caplog.at_level(logging.WARNING, logger="guichet.dossiers"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert gestion.dossier_supprimer(dossier=dossier, by=instructeur) == reference
    assert not Dossier.objects.filter(reference=reference).exists()
    assert not DocumentGenere.objects.filter(pk=document.pk).exists()
    assert not stockage.exists(nom)
    assert reference in caplog.text
    assert Dossier.objects.get(pk=enfant.pk).parent is None
    # The reference is never issued again: the next dossier gets the next number.
    suivant = deposer(enfant.dispositif)
    assert suivant.reference not in (reference, enfant.reference)


def test_merging_individus_moves_the_dossiers(dossier, instructeur):
    doublon = IndividuFactory(type_individu=dossier.demandeur_individu.type_individu)
    autre = deposer(dossier.dispositif, individu=doublon)
    Dossier.objects.filter(pk=autre.pk).update(beneficiaire=doublon)
    usagers_services.individus_fusionner(
        conserve=dossier.demandeur_individu, absorbe=doublon, by=instructeur
    )
    autre.refresh_from_db()
    assert autre.demandeur_individu_id == dossier.demandeur_individu_id
    assert autre.beneficiaire_id == dossier.demandeur_individu_id


def test_merging_profils_moves_the_dossiers(dispositif, instructeur):
    conserve, absorbe = ProfilFactory(), ProfilFactory()
    absorbe.type_profil = conserve.type_profil
    absorbe.save()
    dossier = deposer(dispositif)
    Dossier.objects.filter(pk=dossier.pk).update(demandeur_profil=absorbe)
    usagers_services.profils_fusionner(conserve=conserve, absorbe=absorbe, by=instructeur)
    assert Dossier.objects.get(pk=dossier.pk).demandeur_profil == conserve


def test_change_dispositif_ignores_empty_answers(dispositif, instructeur):
    dossier = deposer(dispositif, donnees={"nom": "Martin"})
    Dossier.objects.filter(pk=dossier.pk).update(donnees={"nom": "Martin", "montant": None})
    dossier = Dossier.objects.get(pk=dossier.pk)
    autre = dispositif_publie(code="AUT", champs=(("nom", "Nom", "texte"),))
    gestion.dossier_corriger(dossier=dossier, by=instructeur, motif="Erreur", dispositif=autre)
    assert Dossier.objects.get(pk=dossier.pk).donnees == {"nom": "Martin"}
