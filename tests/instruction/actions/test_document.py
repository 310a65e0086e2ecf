"""The « document » action: produced inline from the published template, on the dossier."""

import pytest
from django.core.exceptions import ValidationError

from dossiers import editique as dossiers_editique
from dossiers.models import Historique
from editique.models import DocumentGenere
from instruction import services
from instruction.actions.document import Action, ConfigForm
from instruction.models import SuiviInstruction
from tests.editique.factories import ModeleDocumentFactory
from tests.instruction.factories import ActionStatutFactory


def _entrer(dossier, statuts, by=None):
    return services.change_status(dossier=dossier, statut=statuts["instruction"], by=by)


def test_config_form(modele_document):
    form = ConfigForm(data={"modele": modele_document.pk, "deposer_usager": True})
    assert form.is_valid(), form.errors
    assert Action.config_depuis(form.cleaned_data) == {
        "modele": modele_document.pk,
        "format": "pdf",
        "deposer_usager": True,
    }
    assert ConfigForm(data={}).errors["modele"] == ["Choisissez le modèle de document à produire."]
    inactif = ModeleDocumentFactory(actif=False)
    assert ConfigForm(data={"modele": inactif.pk}).errors["modele"] == [
        "Ce modèle de document n’existe pas ou n’est pas actif."
    ]
    assert "format" in ConfigForm(data={"modele": modele_document.pk, "format": "odt"}).errors


def test_describes_what_it_would_do(modele_document):
    assert (
        Action.decrire({"modele": modele_document.pk, "format": "pdf", "deposer_usager": True})
        == "Produit le document « Accusé de réception » (PDF), déposé dans l’espace de l’usager"
    )


def test_generates_the_document_on_the_dossier(dossier, statuts, modele_document, instructeur):
    ActionStatutFactory(
        statut=statuts["instruction"],
        type="document",
        config={"modele": modele_document.pk, "format": "pdf", "deposer_usager": True},
    )
    _entrer(dossier, statuts, by=instructeur)
    document = dossiers_editique.documents(dossier).get()
    assert document.modele == modele_document
    assert document.depose_usager
    assert document.cree_par == instructeur
    with document.fichier.open("rb") as fichier:
        assert fichier.read(4) == b"%PDF"
    assert Historique.objects.filter(
        dossier=dossier, libelle=f"Document produit : {document.titre}"
    ).exists()


def test_a_template_without_published_version_rolls_back(dossier, statuts):
    modele = ModeleDocumentFactory()
    ActionStatutFactory(
        statut=statuts["instruction"], type="document", config={"modele": modele.pk}
    )
    with pytest.raises(ValidationError, match="n’a pas de version publiée"):
        _entrer(dossier, statuts)
    assert SuiviInstruction.objects.get(dossier=dossier).statut == statuts["depose"]
    assert not DocumentGenere.objects.exists()


def test_a_template_of_another_dispositif_rolls_back(dossier, statuts, modele_document):
    modele_document.cible = "autre-dispositif"
    modele_document.save()
    ActionStatutFactory(
        statut=statuts["instruction"], type="document", config={"modele": modele_document.pk}
    )
    with pytest.raises(ValidationError, match="écrit pour un autre dispositif"):
        _entrer(dossier, statuts)
    assert not DocumentGenere.objects.exists()
