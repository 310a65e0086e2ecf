"""The dossier context of document templates (dossiers/editique.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from common.gabarits import rendre, valider
from dossiers import editique
from editique import contextes
from tests.editique.factories import CORPS, dossier_depose

pytestmark = pytest.mark.django_db


def test_context_gives_display_and_raw_values(agent):
    dossier = dossier_depose()
    contexte = editique.contexte_dossier(dossier, agent)
    champs, valeurs = contexte["dossier"]["champs"], contexte["dossier"]["valeurs"]
    # A "Non" is displayed, and False for conditions.
    assert champs["salle_equipee"] == "Non"
    assert valeurs["salle_equipee"] is False
    assert champs["montant"] == "1\u202f234,50\u00a0€"
    assert valeurs["montant"] == Decimal("1234.50")
    assert valeurs["date_evenement"] == dt.date(2026, 6, 13)
    assert [d["libelle"] for d in champs["depenses"]] == ["Sono", "Affiches"]
    assert valeurs["depenses"][0]["cout"] == Decimal("300.00")
    assert champs["budget"]["fonctionnement"]["montant"]
    assert contexte["demandeur"]["nom_complet"] == "Madame Léa Durand"
    assert contexte["beneficiaire"] == contexte["demandeur"]
    assert contexte["agent"]["email"] == agent.email
    assert "password" not in contexte["agent"]


def test_schema_of_the_dispositif_accepts_its_fields_and_names_unknown_ones():
    dossier = dossier_depose()
    schema = contextes.get("dossier").schema(dossier.dispositif.slug)
    assert valider(CORPS, schema) == []
    problemes = valider("{{ dossier.champs.montnt }}\n{{ agent.password }}", schema)
    assert [(p.variable, p.ligne) for p in problemes] == [
        ("dossier.champs.montnt", 1),
        ("agent.password", 2),
    ]
    # Without a cible, only the common variables: fields are unknown.
    assert valider("{{ dossier.champs.montant }}", contextes.get("dossier").schema(""))


def test_template_renders_on_the_dossier_with_its_condition(agent):
    dossier = dossier_depose()
    texte = rendre(CORPS, editique.contexte_dossier(dossier, agent))
    assert "Salle nue." in texte and "Salle équipée demandée." not in texte
    assert "<li>Sono : 300,00\u00a0€</li>" in texte
    equipee = dossier_depose({**dossier.donnees, "salle_equipee": True}, slug="autre-salle")
    assert "Salle équipée demandée." in rendre(CORPS, editique.contexte_dossier(equipee, agent))


def test_sample_context_renders_every_variable():
    dossier = dossier_depose()
    type_contexte = contextes.get("dossier")
    texte = rendre(CORPS, type_contexte.exemple(dossier.dispositif.slug))
    assert "Salle équipée demandée." in texte  # the sample's yes/no is True
    assert type_contexte.objets(dossier.dispositif.slug)[0][0] == dossier.pk
    objet, contexte = type_contexte.contexte(dossier.pk)
    assert objet == dossier and contexte["dossier"]["reference"] == dossier.reference
    with pytest.raises(LookupError):
        type_contexte.contexte(0)
