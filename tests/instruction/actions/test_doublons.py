"""The « doublons » action: same demandeur / bénéficiaire, flagged, never blocking."""

from dossiers.doublons import doublons_probables
from dossiers.models import Dossier, Historique
from instruction import services
from instruction.actions.doublons import Action, ConfigForm
from tests.crm.dossiers.conftest import deposer
from tests.instruction.factories import ActionStatutFactory
from tests.usagers.factories import IndividuFactory


def test_config_form():
    assert ConfigForm(data={"critere": "demandeur", "clos": True}).is_valid()
    assert ConfigForm(data={}).errors["critere"] == ["Choisissez ce qui fait un doublon."]
    assert ConfigForm(data={"critere": "voisin"}).errors["critere"] == [
        "Choisissez demandeur, bénéficiaire ou les deux."
    ]
    assert Action.decrire({"critere": "demandeur"}) == (
        "Signale comme doublon si un autre dossier en cours a le même demandeur (même dispositif)"
    )


def test_flags_the_dossier_filed_again_by_the_same_demandeur(dispositif, statuts, citizen):
    lea = IndividuFactory(prenom="Léa", nom="Durand")
    premier = deposer(dispositif, citizen, individu=lea)
    clos = deposer(dispositif, citizen, individu=lea)
    Dossier.objects.filter(pk=clos.pk).update(statut=Dossier.Statut.CLOS)
    autre = deposer(dispositif, citizen, individu=IndividuFactory())
    ActionStatutFactory(statut=statuts["depose"], type="doublons", config={"critere": "demandeur"})

    nouveau = deposer(dispositif, citizen, individu=lea)

    nouveau.refresh_from_db()
    assert nouveau.doublon and nouveau.doublon_de == premier
    ligne = Historique.objects.get(dossier=nouveau, nature=Historique.Nature.LIEN)
    assert ligne.libelle == f"Doublons probables : {premier.reference}"
    autre.refresh_from_db()
    assert not autre.doublon
    assert list(doublons_probables(nouveau, clos=True)) == [premier, clos]


def test_by_beneficiary_across_dispositifs(dispositif, statuts, citizen):
    from tests.crm.dossiers.conftest import dispositif_publie

    enfant = IndividuFactory(prenom="Tom")
    ailleurs = deposer(dispositif_publie(), citizen, individu=IndividuFactory())
    Dossier.objects.filter(pk=ailleurs.pk).update(beneficiaire=enfant)
    dossier = deposer(dispositif, citizen, individu=IndividuFactory())
    Dossier.objects.filter(pk=dossier.pk).update(beneficiaire=enfant)
    dossier.refresh_from_db()
    assert list(doublons_probables(dossier, critere="beneficiaire")) == []
    assert list(doublons_probables(dossier, critere="beneficiaire", tous_dispositifs=True)) == [
        ailleurs
    ]
    assert list(doublons_probables(dossier, critere="demandeur_et_beneficiaire")) == []


def test_nothing_found_changes_nothing(dossier, statuts):
    ActionStatutFactory(
        statut=statuts["instruction"], type="doublons", config={"critere": "demandeur"}
    )
    services.change_status(dossier=dossier, statut=statuts["instruction"], by=None)
    dossier.refresh_from_db()
    assert not dossier.doublon
    assert not Historique.objects.filter(dossier=dossier, nature=Historique.Nature.LIEN).exists()


def test_the_anonymous_demandeur_makes_no_duplicate(dispositif, statuts, citizen):
    """Quick entries at the desk share the instance's « Anonyme » individu (C4): not the
    same person, so not duplicates."""
    from usagers.services import individu_anonyme

    anonyme = individu_anonyme()
    deposer(dispositif, citizen, individu=anonyme)
    ActionStatutFactory(
        statut=statuts["depose"], type="doublons", config={"critere": "demandeur_et_beneficiaire"}
    )

    nouveau = deposer(dispositif, citizen, individu=anonyme)

    nouveau.refresh_from_db()
    assert not nouveau.doublon
    assert not doublons_probables(nouveau).exists()
    assert not doublons_probables(nouveau, critere="beneficiaire").exists()
