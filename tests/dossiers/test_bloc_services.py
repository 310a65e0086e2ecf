"""Repeatable blocks (F12) through the form model's life: step validation and
application, submission, JSON export/import, copy to a new draft, checks before
publishing, Champ.clean."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse

from demo.formulaires import PERISCOLAIRE
from dossiers import services
from dossiers.champs.natifs.bloc import ErreurBloc
from dossiers.formules import evaluer_condition, valider_condition
from dossiers.models import Champ, Dossier, ModeleDossier
from tests.dossiers.factories import DispositifFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def modele():
    dispositif = DispositifFactory(code="PER")
    modele = services.modele_importer(PERISCOLAIRE, dispositif=dispositif)
    services.modele_publier(modele=modele, by=None)
    return modele


def _dossier(modele, donnees=None):
    return Dossier(
        dispositif=modele.dispositif,
        modele=modele,
        statut=Dossier.Statut.BROUILLON,
        donnees=donnees or {},
    )


def _post(**data):
    posted = QueryDict(mutable=True)
    posted.update(data)
    return posted


def _enfants(modele):
    return services.modele_onglets(modele)[0]


def test_sub_fields_are_rows_of_the_block_and_not_top_level(modele):
    bloc = Champ.objects.get(modele=modele, nom="enfants")
    assert [c.nom for c in bloc.sous_champs.all()] == [
        "prenom_enfant",
        "nom_enfant",
        "naissance_enfant",
        "age_enfant",
        "ecole",
        "classe",
        "pai",
        "pai_details",
    ]
    assert all(c.ligne_id == bloc.ligne_id for c in bloc.sous_champs.all())
    onglet = _enfants(modele)
    assert [c.nom for _ligne, c in services._champs_de(onglet)] == [
        "enfants",
        "tarif_annuel",
        "note_fratrie",
    ]
    champ = next(c for _l, c in services._champs_de(onglet) if c.nom == "enfants")
    definition = services.champ_definition(champ)
    assert [d.nom for d in definition.enfants][:2] == ["prenom_enfant", "nom_enfant"]
    assert definition.enfants[-1].condition == {"champ": "pai", "op": "=", "valeur": True}
    assert definition.enfants[0].obligatoire and not definition.enfants[3].obligatoire


def test_etape_valider_cleans_the_block_and_computes_what_reads_it(modele):
    onglet = _enfants(modele)
    data = _post(
        **{
            "enfants-TOTAL": "3",
            "enfants-0-prenom_enfant": "Léa",
            "enfants-0-nom_enfant": "Martin",
            "enfants-0-naissance_enfant": "02/04/2019",
            "enfants-0-ecole": "jules-ferry",
            "enfants-0-classe": "ce1",
            "enfants-0-pai": "on",
            "enfants-0-pai_details": "Allergie à l’arachide",
        }
    )
    for i in (1, 2):
        data.update(
            {
                f"enfants-{i}-prenom_enfant": f"Enfant {i}",
                f"enfants-{i}-nom_enfant": "Martin",
                f"enfants-{i}-naissance_enfant": "01/09/2020",
                f"enfants-{i}-ecole": "les-tilleuls",
                f"enfants-{i}-classe": "gs",
            }
        )
    cleaned, erreurs = services.etape_valider(dossier=_dossier(modele), onglet=onglet, data=data)
    assert erreurs == {}
    assert len(cleaned["enfants"]) == 3
    assert cleaned["enfants"][0]["pai_details"] == "Allergie à l’arachide"
    assert "pai_details" not in cleaned["enfants"][1]
    assert cleaned["tarif_annuel"] == "90.00"  # nombre(enfants) ≥ 3: 30 € each
    dossier = _dossier(modele)
    services.etape_appliquer(dossier=dossier, onglet=onglet, cleaned=cleaned)
    assert dossier.donnees["enfants"] == cleaned["enfants"]
    assert "prenom_enfant" not in dossier.donnees


def test_etape_valider_reports_a_block_error_and_the_partial_value(modele):
    onglet = _enfants(modele)
    data = _post(**{"enfants-TOTAL": "1", "enfants-0-prenom_enfant": "Léa"})
    cleaned, erreurs = services.etape_valider(dossier=_dossier(modele), onglet=onglet, data=data)
    assert "enfants" not in cleaned
    assert isinstance(erreurs["enfants"], ErreurBloc)
    assert set(erreurs["enfants"].elements) == {
        "0-nom_enfant",
        "0-naissance_enfant",
        "0-ecole",
        "0-classe",
    }
    partielles = services.valeurs_partielles(erreurs)
    assert partielles["enfants"][0]["prenom_enfant"] == "Léa"
    # The tarif still reads the one element typed.
    assert cleaned["tarif_annuel"] == "35.00"


def test_etape_apercu_computes_the_step_from_what_was_posted(modele):
    """A step shown again (a block's button without JavaScript, errors): its calculs
    read what was posted, leniently cleaned; nothing is validated."""
    onglet = _enfants(modele)
    data = _post(
        **{
            "enfants-TOTAL": "2",
            "enfants-0-prenom_enfant": "Léa",
            "enfants-0-naissance_enfant": "pas une date",
            "enfants-1-prenom_enfant": "",
        }
    )
    dossier = _dossier(modele, {"tarif_annuel": "35.00", "autre": "gardé"})
    apercu = services.etape_apercu(dossier=dossier, onglet=onglet, data=data)
    assert apercu["tarif_annuel"] == "70.00"
    assert [e["prenom_enfant"] for e in apercu["enfants"]] == ["Léa", None]
    assert apercu["enfants"][0]["naissance_enfant"] is None  # refused: emptied
    assert apercu["autre"] == "gardé"
    assert dossier.donnees == {"tarif_annuel": "35.00", "autre": "gardé"}  # untouched


def test_submission_validates_the_stored_block_again(modele):
    enfant = {
        "prenom_enfant": "Léa",
        "nom_enfant": "Martin",
        "naissance_enfant": "2019-04-02",
        "ecole": "jules-ferry",
        "classe": "ce1",
    }
    dossier = _dossier(modele, {"enfants": [enfant], "engagement_reglement": True})
    dossier = services.dossier_deposer(dossier=dossier, user=None)
    assert dossier.donnees["enfants"][0]["prenom_enfant"] == "Léa"
    assert dossier.donnees["enfants"][0]["age_enfant"].isdigit()
    assert dossier.donnees["tarif_annuel"] == "35.00"

    mauvais = _dossier(modele, {"enfants": [{**enfant, "classe": "terminale"}]})
    with pytest.raises(services.DepotRefuse) as refus:
        services.dossier_deposer(dossier=mauvais, user=None)
    assert set(refus.value.erreurs["enfants"].elements) == {"0-classe"}


def test_export_import_round_trip_keeps_the_sub_fields_nested(modele):
    exporte = services.modele_exporter(modele)
    assert exporte["version_format"] == 1
    ligne = exporte["onglets"][0]["lignes"][0]
    assert [c["nom"] for c in ligne["champs"]] == ["enfants"]
    assert len(ligne["champs"][0]["sous_champs"]) == 8
    autre = DispositifFactory(code="PE2")
    importe = services.modele_importer(copy.deepcopy(exporte), dispositif=autre)
    again = services.modele_exporter(importe)
    assert {**again, "dispositif": "PER"} == exporte
    bloc = Champ.objects.get(modele=importe, nom="enfants")
    assert bloc.sous_champs.count() == 8


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["onglets"][0]["lignes"][0]["champs"][0]["sous_champs"].append(
                {**d["onglets"][0]["lignes"][0]["champs"][0], "nom": "petits"}
            ),
            "Un bloc répétable ne peut pas en contenir un autre.",
        ),
        (
            lambda d: d["onglets"][0]["lignes"][1]["champs"][0].update(
                sous_champs=[{"nom": "x", "type": "texte"}]
            ),
            "a des sous-champs mais n’est pas un bloc répétable",
        ),
        (
            lambda d: d["onglets"][0]["lignes"][0]["champs"][0]["sous_champs"].append(
                {"nom": "tarif_annuel", "libelle": "Doublon", "type": "texte"}
            ),
            "est utilisé deux fois",
        ),
    ],
)
def test_bad_blocks_are_refused_on_import_and_nothing_written(modele, mutate, message):
    exporte = services.modele_exporter(modele)
    mutate(exporte)
    autre = DispositifFactory(code="PE3")
    with pytest.raises(services.ImportRefuse) as refus:
        services.modele_importer(exporte, dispositif=autre)
    assert message in refus.value.messages[0]
    assert not ModeleDossier.objects.filter(dispositif=autre).exists()


def test_a_new_draft_copies_the_block_and_its_sub_fields(modele):
    brouillon = services.modele_brouillon(dispositif=modele.dispositif)
    assert brouillon.pk != modele.pk
    bloc = Champ.objects.get(modele=brouillon, nom="enfants")
    assert [c.nom for c in bloc.sous_champs.all()][:3] == [
        "prenom_enfant",
        "nom_enfant",
        "naissance_enfant",
    ]
    assert all(c.modele_id == brouillon.pk for c in bloc.sous_champs.all())
    original = services.modele_exporter(modele)
    assert services.modele_exporter(brouillon) == original
    assert services.modele_verifier(brouillon) == []


def test_verifier_reports_block_problems(modele):
    brouillon = services.modele_brouillon(dispositif=modele.dispositif)
    bloc = Champ.objects.get(modele=brouillon, nom="enfants")
    bloc.options = {**bloc.options, "minimum": 8}
    bloc.save()
    Champ.objects.filter(parent=bloc, nom="nom_enfant").update(type="bloc_repetable")
    vide = Champ.objects.create(
        ligne=bloc.ligne, nom="devis", libelle="Devis", type="bloc_repetable"
    )
    problemes = services.modele_verifier(brouillon)
    assert "Le bloc répétable « devis » n’a aucun sous-champ." in problemes
    assert any("contient un autre bloc (« nom_enfant »)" in p for p in problemes)
    assert any(
        p.startswith("Le bloc répétable « enfants » : Le minimum dépasse le maximum")
        for p in problemes
    )
    assert vide.pk


def test_verifier_checks_sub_field_formulas_and_conditions_in_their_element(modele):
    brouillon = services.modele_brouillon(dispositif=modele.dispositif)
    age = Champ.objects.get(modele=brouillon, nom="age_enfant")
    assert services.modele_verifier(brouillon) == []  # age(naissance_enfant): a sibling
    age.options = {**age.options, "formule": "age(inconnu)"}
    age.save()
    details = Champ.objects.get(modele=brouillon, nom="pai_details")
    details.condition = {"champ": "absent", "op": "rempli"}
    details.save()
    tarif = Champ.objects.get(modele=brouillon, nom="tarif_annuel")
    tarif.options = {**tarif.options, "formule": "prenom_enfant + nombre(enfants)"}
    tarif.save()  # a sub-field is not a top-level name
    problemes = services.modele_verifier(brouillon)
    assert any("age_enfant" in p and "« inconnu »" in p for p in problemes)
    assert any("« absent »" in p for p in problemes)
    assert any("tarif_annuel" in p and "« prenom_enfant »" in p for p in problemes)


def test_top_level_condition_on_the_element_count(modele):
    note = Champ.objects.get(modele=modele, nom="note_fratrie")
    noms = {"enfants": "bloc_repetable", "tarif_annuel": "calcul"}
    assert valider_condition(note.condition, noms) == []
    assert not evaluer_condition(note.condition, {"enfants": [{}, {}]})
    assert evaluer_condition(note.condition, {"enfants": [{}, {}, {}]})
    assert valider_condition({"champ": "nombre(tarif_annuel)", "op": ">", "valeur": 1}, noms)


def test_champ_clean_refuses_a_nested_block_and_a_parent_of_another_type(modele):
    brouillon = services.modele_brouillon(dispositif=modele.dispositif)
    bloc = Champ.objects.get(modele=brouillon, nom="enfants")
    imbrique = Champ(ligne=bloc.ligne, parent=bloc, nom="autre", libelle="A", type=bloc.type)
    with pytest.raises(ValidationError) as erreur:
        imbrique.full_clean(exclude=["modele"])
    assert "Un bloc répétable ne peut pas contenir un autre bloc." in erreur.value.messages
    tarif = Champ.objects.get(modele=brouillon, nom="tarif_annuel")
    sous = Champ(ligne=tarif.ligne, parent=tarif, nom="x", libelle="X", type="texte")
    with pytest.raises(ValidationError) as erreur:
        sous.full_clean(exclude=["modele"])
    assert "Ce champ n’est pas un bloc répétable." in erreur.value.messages


def test_admin_shows_the_sub_fields_on_the_block_and_the_parent_in_the_row(client, admin_user):
    dispositif = DispositifFactory(code="PER")
    brouillon = services.modele_importer(PERISCOLAIRE, dispositif=dispositif)
    bloc = Champ.objects.get(modele=brouillon, nom="enfants")
    client.force_login(admin_user)
    body = client.get(reverse("admin:dossiers_champ_change", args=[bloc.pk])).content.decode()
    assert "Sous-champs du bloc répétable" in body
    assert 'value="prenom_enfant"' in body
    tarif = Champ.objects.get(modele=brouillon, nom="tarif_annuel")
    body = client.get(reverse("admin:dossiers_champ_change", args=[tarif.pk])).content.decode()
    assert "Sous-champs du bloc répétable" not in body
    ligne = client.get(reverse("admin:dossiers_ligne_change", args=[bloc.ligne_id]))
    assert ligne.status_code == 200
    assert "Bloc répétable" in ligne.content.decode()  # the parent column of each champ


def test_moving_dossiers_to_a_new_version_keeps_their_block_elements(modele, admin_user):
    """F11 with a block: the elements move whole, an incomplete one (a draft) included."""
    complet = {
        "prenom_enfant": "Léa",
        "nom_enfant": "Martin",
        "naissance_enfant": "2019-04-02",
        "ecole": "jules-ferry",
        "classe": "ce1",
    }
    incomplet = {"prenom_enfant": "Tom"}  # a draft: the rest is still to type
    dossier = _dossier(modele, {"enfants": [complet, incomplet]})
    dossier.save()
    brouillon = services.modele_brouillon(dispositif=modele.dispositif)
    v2 = services.modele_publier(modele=brouillon, by=admin_user)

    services.dossiers_migrer(
        source=modele,
        cible=v2,
        correspondance=services.migration_correspondance_defaut(source=modele, cible=v2),
        by=admin_user,
    )

    dossier.refresh_from_db()
    assert dossier.modele == v2
    enfants = dossier.donnees["enfants"]
    assert [e["prenom_enfant"] for e in enfants] == ["Léa", "Tom"]
    assert enfants[0]["classe"] == "ce1" and enfants[0]["naissance_enfant"] == "2019-04-02"
    assert dossier.migrations.get().archive == {}
