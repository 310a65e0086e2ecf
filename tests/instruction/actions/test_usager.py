"""The « usager » action: dossier answers copied into the demandeur's référentiel card."""

import pytest
from django.core.exceptions import ValidationError

from dossiers.models import Historique
from instruction import services
from instruction.actions.usager import Action, ConfigForm
from instruction.models import SuiviInstruction
from tests.instruction.factories import ActionStatutFactory
from tests.usagers.factories import ProfilFactory


def _entrer(dossier, statuts, by=None):
    return services.change_status(dossier=dossier, statut=statuts["instruction"], by=by)


def test_config_form():
    form = ConfigForm(data={"cible": "individu", "correspondances": {"courriel": "email"}})
    assert form.is_valid(), form.errors
    form = ConfigForm(data={"cible": "profil", "correspondances": {"mobile": "telephone_mobile"}})
    assert form.errors["correspondances"] == [
        "« telephone_mobile » (pour le champ « mobile ») n’est pas un attribut modifiable : "
        "email, telephone, adresse, site_web."
    ]
    form = ConfigForm(data={"cible": "individu", "correspondances": "[]"})
    assert form.errors["correspondances"] == ["Indiquez au moins un champ à recopier."]
    form = ConfigForm(data={"cible": "individu", "correspondances": '["email"]'})
    assert form.errors["correspondances"] == ["Indiquez un objet JSON non vide."]
    form = ConfigForm(
        data={"cible": "individu", "correspondances": {"a": "adresse", "b": "adresse"}}
    )
    assert form.errors["correspondances"] == ["Une seule adresse peut être recopiée."]
    assert Action.decrire({"cible": "individu", "correspondances": {"c": "email"}}) == (
        "Recopie dans la fiche de l’individu demandeur : adresse électronique"
    )


def test_copies_email_and_address_into_the_individu(dossier, statuts, instructeur):
    dossier.donnees = {
        "nom": "Martin",
        "courriel": "lea.nouvelle@exemple.fr",
        "mobile": "",
        "domicile": {
            "numero_voie": "3 place du Marché",
            "complement": "",
            "code_postal": "18240",
            "commune": "Belleville-sur-Loire",
            "code_insee": "18026",
            "lon": 2.86,
            "lat": 47.5,
            "ban_id": "",
        },
    }
    dossier.save()
    individu = dossier.demandeur_individu
    ancien_mobile = individu.telephone_mobile
    ActionStatutFactory(
        statut=statuts["instruction"],
        type="usager",
        config={
            "cible": "individu",
            "correspondances": {
                "courriel": "email",
                "mobile": "telephone_mobile",
                "domicile": "adresse",
            },
        },
    )
    _entrer(dossier, statuts, by=instructeur)
    individu.refresh_from_db()
    assert individu.email == "lea.nouvelle@exemple.fr"
    assert individu.telephone_mobile == ancien_mobile  # an empty answer erases nothing
    assert (individu.adresse, individu.code_postal, individu.commune) == (
        "3 place du Marché",
        "18240",
        "Belleville-sur-Loire",
    )
    assert individu.adresses_precedentes.count() == 1  # the old one, kept by the service
    ligne = Historique.objects.get(dossier=dossier, libelle__startswith="Fiche")
    assert "adresse électronique" in ligne.libelle


def test_copies_into_the_profil(dossier, statuts):
    profil = ProfilFactory()
    dossier.demandeur_profil = profil
    dossier.donnees = {"nom": "Martin", "tel": "06 11 22 33 44"}
    dossier.save()
    ActionStatutFactory(
        statut=statuts["instruction"],
        type="usager",
        config={"cible": "profil", "correspondances": {"tel": "telephone"}},
    )
    _entrer(dossier, statuts)
    profil.refresh_from_db()
    assert profil.telephone == "06 11 22 33 44"


def test_a_value_the_referentiel_refuses_rolls_back(dossier, statuts):
    dossier.donnees = {"nom": "Martin", "courriel": "pas-une-adresse"}
    dossier.save()
    ActionStatutFactory(
        statut=statuts["instruction"],
        type="usager",
        config={"cible": "individu", "correspondances": {"courriel": "email"}},
    )
    with pytest.raises(ValidationError, match="refuse ces valeurs"):
        _entrer(dossier, statuts)
    dossier.demandeur_individu.refresh_from_db()
    assert dossier.demandeur_individu.email == "lea@exemple.fr"
    assert SuiviInstruction.objects.get(dossier=dossier).statut == statuts["depose"]
