"""dossier_lie: the usager links one (or several) of their own dossiers. The choices and
the checks depend on who fills the form (`Definition.contexte`): a pk outside
`dossiers_of(user)`, a draft when drafts are not allowed, a dispositif not allowed, a
dossier of another demandeur when the field wants the same one: refused, never stored."""

import dataclasses
import json

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from dossiers import services
from dossiers.champs import Contexte, get, types
from dossiers.formules import evaluer_condition, nature_du_type, valider_condition
from dossiers.models import Dossier
from tests.dossiers.champs.outils import definition, propre, refus, sorties
from tests.dossiers.factories import DispositifFactory
from tests.usagers.factories import MembreFactory, ProfilFactory, role
from usagers.services import compte_initialiser

LIEN = {"pk": 12, "reference": "2026-SUB-000123", "dispositif": "Subvention aux associations"}
ETRANGER = "Ce dossier ne fait pas partie de vos dossiers : choisissez-en un dans la liste."


def _erreur(type_champ, champ, raw) -> ValidationError:
    with pytest.raises(ValidationError) as erreur:
        type_champ.clean(champ, raw)
    return erreur.value


# --- without a database --------------------------------------------------------------------


def test_it_is_the_only_contextual_type():
    assert get("dossier_lie").contextuel is True
    assert [code for code, t in types().items() if t.contextuel] == ["dossier_lie"]


def test_without_anybody_filling_the_form_only_an_empty_answer_is_accepted():
    assert propre("dossier_lie", "") is None
    assert propre("dossier_lie", None) is None
    assert propre("dossier_lie", [], options={"multiple": True}) == []
    assert refus("dossier_lie", "", obligatoire=True) == "Choisissez un dossier."
    assert (
        refus("dossier_lie", [], options={"multiple": True}, obligatoire=True)
        == "Choisissez au moins un dossier."
    )
    assert refus("dossier_lie", "12") == (
        "Aucun dossier ne peut être lié ici : connectez-vous pour choisir l’un de vos dossiers."
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("douze", "Ce choix n’est pas valide : choisissez un dossier dans la liste."),
        ("1.5", "Ce choix n’est pas valide : choisissez un dossier dans la liste."),
        (True, "Ce choix n’est pas valide : choisissez un dossier dans la liste."),
        ({"pk": "x"}, "Ce choix n’est pas valide : choisissez un dossier dans la liste."),
        (["1", "2"], "Cette valeur n’est pas valide : une seule réponse est attendue."),
        ("-3", "Ce choix n’est pas valide : choisissez un dossier dans la liste."),
        ("0", ETRANGER),
        ("9" * 40, ETRANGER),
        ("9" * 5000, ETRANGER),  # longer than int() converts
    ],
)
def test_malformed_answers_are_refused_in_french(raw, message):
    assert refus("dossier_lie", raw) == message


def test_outputs_show_the_reference_and_the_dispositif_title():
    assert sorties("dossier_lie", LIEN) == (
        "2026-SUB-000123 — Subvention aux associations",
        "2026-SUB-000123",
        "2026-SUB-000123",
        "2026-SUB-000123",
    )
    autre = {"pk": 14, "reference": "2026-SAL-000002", "dispositif": "Location de salle"}
    options = {"multiple": True}
    assert sorties("dossier_lie", [LIEN, autre], options=options) == (
        "2026-SUB-000123 — Subvention aux associations, 2026-SAL-000002 — Location de salle",
        "2026-SUB-000123 | 2026-SAL-000002",
        "2026-SUB-000123 | 2026-SAL-000002",
        "2026-SUB-000123, 2026-SAL-000002",
    )
    brouillon = {"pk": 7, "reference": "", "dispositif": "Location de salle"}
    assert sorties("dossier_lie", brouillon)[:2] == (
        "Brouillon n°7 — Location de salle",
        "Brouillon n°7",
    )
    assert sorties("dossier_lie", None) == ("", "", "", "")
    assert sorties("dossier_lie", {"autre": 1})[0] == "{'autre': 1}"  # shown as it is


def test_a_condition_tests_whether_a_dossier_is_linked():
    assert nature_du_type("dossier_lie") == "structure"
    champs = {"demande": "dossier_lie"}
    assert valider_condition({"champ": "demande", "op": "rempli"}, champs) == []
    assert valider_condition({"champ": "demande", "op": "vide"}, champs) == []
    assert valider_condition({"champ": "demande", "op": "=", "valeur": "x"}, champs)
    rempli = {"champ": "demande", "op": "rempli"}
    assert evaluer_condition(rempli, {"demande": LIEN})
    assert evaluer_condition(rempli, {"demande": [LIEN]})
    assert not evaluer_condition(rempli, {"demande": None})
    assert not evaluer_condition(rempli, {"demande": []})


def test_the_crm_preview_shows_an_example_and_explains_it():
    champ = definition(
        "dossier_lie",
        libelle="Demande initiale",
        options={"dispositifs": ["SUB"]},
        contexte=Contexte(apercu=True),
    )
    html = str(type("F", (forms.Form,), {"champ": get("dossier_lie").form_field(champ)})())
    annee = timezone.localdate().year
    assert f"Exemple : {annee}-SUB-000123 — une démarche de l’usager" in html
    assert "Aperçu : l’usager choisira ici parmi ses propres dossiers" in html


def test_without_context_the_list_is_empty_and_says_why():
    champ = get("dossier_lie").form_field(definition("dossier_lie", libelle="Demande"))
    html = str(type("F", (forms.Form,), {"champ": champ})())
    assert "Connectez-vous pour choisir l’un de vos dossiers." in html
    assert html.count("<option") == 1  # « Sélectionner un dossier » only


def test_the_context_is_no_part_of_the_definition_identity():
    """Caches keyed by the definition (champ_utilisable: its repr) stay valid."""
    champ = definition("dossier_lie")
    avec = dataclasses.replace(champ, contexte=Contexte(user=object()))
    assert avec == champ and repr(avec) == repr(champ)


def test_options_round_trip_through_the_builder_form():
    options = get("dossier_lie").Options(
        data={"dispositifs": ["sub", "SAL"], "multiple": "on", "brouillons": ""}
    )
    assert options.is_valid(), options.errors
    assert options.en_json() == {"dispositifs": ["SUB", "SAL"], "multiple": True}
    lues = get("dossier_lie").options(definition("dossier_lie", options=options.en_json()))
    assert lues == {
        "dispositifs": ["SUB", "SAL"],
        "multiple": True,
        "brouillons": False,
        "meme_profil": False,
    }
    assert not get("dossier_lie").Options(data={"dispositifs": ["pas un code !"]}).is_valid()


# --- with the usager's dossiers ---------------------------------------------------------------


def _dossier(dispositif, user, *, depose=True, profil=None):
    modele = services.modele_brouillon(dispositif=dispositif)
    dossier = Dossier(
        dispositif=dispositif, modele=modele, cree_par=user, demandeur_profil=profil, donnees={}
    )
    if depose:
        dossier.statut = Dossier.Statut.DEPOSE
        dossier.depose_le = timezone.now()
        dossier.reference = services._prochaine_reference(dispositif, 2026)
    dossier.save()
    return dossier


@pytest.fixture
def monde(db, citizen, other_citizen):
    """Camille (citizen) and Lucas (other_citizen) are members of an association; a
    stranger has a dossier of their own."""
    from tests.accounts.factories import UserFactory

    camille = compte_initialiser(user=citizen, prenom="Camille", nom="Martin")
    lucas = compte_initialiser(user=other_citizen, prenom="Lucas", nom="Bernard")
    asso = ProfilFactory(nom="Les Amis du Parc")
    MembreFactory(individu=camille, profil=asso, role=role("responsable"))
    MembreFactory(individu=lucas, profil=asso, role=role("membre"))
    sub = DispositifFactory(code="SUB", titre="Subvention aux associations")
    sal = DispositifFactory(code="SAL", titre="Location de salle")
    inconnu = UserFactory(email="inconnu@exemple.fr")
    return {
        "citizen": citizen,
        "asso": asso,
        "sub": sub,
        "a_moi": _dossier(sub, citizen, profil=asso),
        "ma_salle": _dossier(sal, citizen),
        "mon_brouillon": _dossier(sub, citizen, depose=False, profil=asso),
        "du_membre": _dossier(sub, other_citizen, profil=asso),
        "brouillon_du_membre": _dossier(sub, other_citizen, depose=False, profil=asso),
        "etranger": _dossier(sub, inconnu),
    }


def _champ(monde, *, profil=None, dossier=None, **options):
    contexte = Contexte(user=monde["citizen"], profil=profil, dossier=dossier)
    return definition("dossier_lie", options=options, contexte=contexte)


def _lien(dossier):
    return {
        "pk": dossier.pk,
        "reference": dossier.reference,
        "dispositif": dossier.dispositif.titre,
    }


def test_own_dossiers_and_those_of_a_profil_one_belongs_to_are_linked(monde):
    type_champ, champ = get("dossier_lie"), _champ(monde)
    a_moi, du_membre = monde["a_moi"], monde["du_membre"]
    assert type_champ.clean(champ, str(a_moi.pk)) == _lien(a_moi)
    assert type_champ.clean(champ, du_membre.pk) == _lien(du_membre)
    stocke = type_champ.clean(champ, str(a_moi.pk))
    assert type_champ.clean(champ, stocke) == stocke  # submission validates it again
    assert json.loads(json.dumps(stocke)) == stocke
    assert type_champ.affichage(champ, stocke) == (
        f"{a_moi.reference} — Subvention aux associations"
    )
    assert a_moi.reference.startswith("2026-SUB-")


def test_somebody_elses_dossier_is_refused_like_a_missing_one(monde):
    type_champ, champ = get("dossier_lie"), _champ(monde)
    for pk in (monde["etranger"].pk, monde["brouillon_du_membre"].pk, 10**9):
        erreur = _erreur(type_champ, champ, str(pk))
        assert erreur.messages == [ETRANGER]


def test_drafts_are_refused_unless_the_field_allows_them(monde):
    type_champ, brouillon = get("dossier_lie"), monde["mon_brouillon"]
    erreur = _erreur(type_champ, _champ(monde), str(brouillon.pk))
    assert erreur.messages == [
        "Ce dossier est un brouillon : seule une demande déposée peut être liée."
    ]
    lien = type_champ.clean(_champ(monde, brouillons=True), str(brouillon.pk))
    assert lien == {"pk": brouillon.pk, "reference": "", "dispositif": brouillon.dispositif.titre}
    # Another member's draft stays its author's, drafts allowed or not.
    erreur = _erreur(
        type_champ, _champ(monde, brouillons=True), str(monde["brouillon_du_membre"].pk)
    )
    assert erreur.messages == [ETRANGER]


def test_only_the_dispositifs_allowed_are_linked(monde):
    type_champ, champ = get("dossier_lie"), _champ(monde, dispositifs=["SUB"])
    assert type_champ.clean(champ, str(monde["a_moi"].pk))["pk"] == monde["a_moi"].pk
    erreur = _erreur(type_champ, champ, str(monde["ma_salle"].pk))
    assert erreur.messages == [
        "Ce dossier ne concerne pas une démarche acceptée ici : choisissez-en un dans la liste."
    ]


def test_the_same_demandeur_only_when_asked(monde):
    type_champ = get("dossier_lie")
    champ = _champ(monde, profil=monde["asso"], meme_profil=True)
    assert type_champ.clean(champ, str(monde["du_membre"].pk))["pk"] == monde["du_membre"].pk
    erreur = _erreur(type_champ, champ, str(monde["ma_salle"].pk))
    assert erreur.messages == [
        "Ce dossier a été déposé pour un autre demandeur que celui de cette demande."
    ]


def test_a_dossier_is_never_linked_to_itself(monde):
    type_champ, a_moi = get("dossier_lie"), monde["a_moi"]
    champ = _champ(monde, dossier=a_moi)
    erreur = _erreur(type_champ, champ, str(a_moi.pk))
    assert erreur.messages == ["Une demande ne peut pas être liée à elle-même."]


def test_several_dossiers_in_the_order_chosen_once_each(monde):
    type_champ, champ = get("dossier_lie"), _champ(monde, multiple=True)
    a_moi, du_membre = monde["a_moi"], monde["du_membre"]
    liens = type_champ.clean(champ, [str(du_membre.pk), str(a_moi.pk), str(du_membre.pk), ""])
    assert liens == [_lien(du_membre), _lien(a_moi)]
    assert type_champ.clean(champ, liens) == liens
    assert type_champ.variable(champ, liens) == f"{du_membre.reference}, {a_moi.reference}"
    # One foreign pk among them: the whole answer is refused.
    erreur = _erreur(type_champ, champ, [str(a_moi.pk), str(monde["etranger"].pk)])
    assert erreur.messages == [ETRANGER]


def test_the_select_offers_the_reachable_dossiers_only(monde, django_assert_num_queries):
    champ = get("dossier_lie").form_field(_champ(monde, dispositifs=["SUB"]))
    formulaire = type("F", (forms.Form,), {"demande": champ})
    with django_assert_num_queries(1):  # the choices, read once for the options and the help
        html = str(formulaire(initial={"demande": _lien(monde["a_moi"])}))
    a_moi, du_membre = monde["a_moi"], monde["du_membre"]
    assert (
        f'<option value="{a_moi.pk}" selected>{a_moi.reference} — Subvention aux associations '
        "(Les Amis du Parc)</option>"
    ) in html
    assert f'value="{du_membre.pk}"' in html
    for autre in ("etranger", "mon_brouillon", "brouillon_du_membre", "ma_salle"):
        assert f'value="{monde[autre].pk}"' not in html


def test_no_dossier_to_link_says_so(monde):
    champ = get("dossier_lie").form_field(_champ(monde, dispositifs=["AUTRE"]))
    html = str(type("F", (forms.Form,), {"demande": champ})())
    assert "Vous n’avez encore aucun dossier qui puisse être lié ici." in html


def test_unknown_dispositif_codes_are_reported_by_the_builder(monde):
    champ = definition("dossier_lie", options={"dispositifs": ["SUB", "XYZ"]})
    assert get("dossier_lie").verifier(champ, {}) == [
        "La démarche « XYZ » n’existe pas dans cette installation."
    ]


def test_json_export_and_import_keep_the_options(db):
    """F7: the demo subsidy form's dossier lié comes back with its options."""
    from demo.formulaires import SUBVENTION

    sub = DispositifFactory(code="SUB")
    modele = services.modele_importer(SUBVENTION, dispositif=sub)
    exporte = services.modele_exporter(modele)
    champs = [
        champ
        for onglet in exporte["onglets"]
        for ligne in onglet["lignes"]
        for champ in ligne["champs"]
        if champ["type"] == "dossier_lie"
    ]
    assert [(c["nom"], c["options"]) for c in champs] == [
        ("demande_precedente", {"dispositifs": ["SUB"], "meme_profil": True})
    ]
    copie = services.modele_importer(exporte, dispositif=DispositifFactory(code="AUT"))
    assert copie.champs.get(nom="demande_precedente").options == champs[0]["options"]
    assert services.modele_exporter(copie)["onglets"] == exporte["onglets"]
    assert services.modele_verifier(copie) == []


def test_a_link_survives_a_move_to_a_new_version_in_its_authors_scope(monde):
    """F11: a draft's link is cleaned again by the new version's field, as its author."""
    from demo.formulaires import SUBVENTION

    sub, citizen = monde["sub"], monde["citizen"]
    v1 = services.modele_importer(SUBVENTION, dispositif=sub)
    services.modele_publier(modele=v1, by=None)
    brouillon = Dossier.objects.create(
        dispositif=sub,
        modele=v1,
        cree_par=citizen,
        demandeur_profil=monde["asso"],
        donnees={"demande_precedente": _lien(monde["du_membre"])},
    )
    etranger = Dossier.objects.create(
        dispositif=sub,
        modele=v1,
        cree_par=citizen,
        demandeur_profil=monde["asso"],
        donnees={"demande_precedente": _lien(monde["etranger"])},  # forged by hand
    )
    v2 = services.modele_brouillon(dispositif=sub)
    services.modele_publier(modele=v2, by=None)
    correspondance = services.migration_correspondance_defaut(source=v1, cible=v2)
    services.dossiers_migrer(source=v1, cible=v2, correspondance=correspondance, by=None)
    brouillon.refresh_from_db()
    etranger.refresh_from_db()
    assert brouillon.modele == v2
    assert brouillon.donnees["demande_precedente"] == _lien(monde["du_membre"])
    assert "demande_precedente" not in etranger.donnees
    archive = etranger.migrations.get().archive["demande_precedente"]
    assert archive["raison"] == ETRANGER
