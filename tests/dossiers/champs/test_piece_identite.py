"""piece_identite (F13): declares the identity documents asked for; stores nothing yet."""

from dossiers.champs import get
from tests.dossiers.champs.outils import definition

OPTIONS = {
    "documents": ["passeport", "cni"],
    "filigrane": "Copie réservée à la demande de subvention",
    "purger_a_la_decision": True,
}


def test_declares_the_accepted_documents_and_the_flags():
    type_champ, champ = get("piece_identite"), definition("piece_identite", options=OPTIONS)
    assert str(type_champ.libelle) == "Pièce d’identité"
    assert type_champ.documents(champ) == ["cni", "passeport"]  # in the list's order
    assert type_champ.filigrane(champ) == "Copie réservée à la demande de subvention"
    assert type_champ.purger_a_la_decision(champ) is True


def test_stores_nothing_like_piece_justificative():
    type_champ, champ = get("piece_identite"), definition("piece_identite", options=OPTIONS)
    assert not type_champ.stocke_valeur
    assert type_champ.form_field(champ) is None
    assert type_champ.clean(champ, "scan.pdf") is None
    assert (type_champ.affichage(champ, "x"), type_champ.export(champ, "x")) == ("", "")
    assert type_champ.variable(champ, "x") == ""
    assert type_champ.rendu(champ) == ""


def test_options_are_checked_in_french():
    formulaire = get("piece_identite").Options(data={})
    assert not formulaire.is_valid()
    assert formulaire.errors["documents"] == ["Cochez au moins un document accepté."]
    formulaire = get("piece_identite").Options(data={"documents": ["carte_vitale"]})
    assert not formulaire.is_valid()
    assert "documents" in formulaire.errors
    formulaire = get("piece_identite").Options(data={"documents": ["permis", "titre_sejour"]})
    assert formulaire.is_valid(), formulaire.errors
    assert formulaire.en_json() == {
        "documents": ["permis", "titre_sejour"],
        "purger_a_la_decision": False,
    }
    champ = definition("piece_identite", options=formulaire.en_json())
    assert get("piece_identite").filigrane(champ) == ""
    assert get("piece_identite").purger_a_la_decision(champ) is False
