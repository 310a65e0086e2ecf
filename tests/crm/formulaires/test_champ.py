"""Configuring a field: definition, type options, choices, condition, per-view properties;
sub-fields of a repeatable block; fields from the référentiel."""

from django.urls import reverse

from dossiers import services
from dossiers.models import Champ, ChampReferentiel, Ligne, ListeReferentiel, ValeurListe

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"crm:formulaire_{name}", args=args)


def _data(champ, **extra):
    return {"libelle": champ.libelle, "nom": champ.nom, "aide": "", "prefill": "", **extra}


def test_configure_a_montant_with_its_options(client_concepteur, brouillon):
    ligne = Ligne.objects.get(onglet__modele=brouillon)
    champ = services.champ_ajouter(ligne=ligne, type="montant", libelle="Budget", nom="budget")
    response = client_concepteur.get(url("champ", champ.pk))
    html = response.content.decode()
    assert "Options du type" in html and 'name="options-min"' in html
    response = client_concepteur.post(
        url("champ", champ.pk),
        _data(champ, libelle="Budget total", aide="En euros", **{"options-min": "0"}),
    )
    assert response.status_code == 302
    champ.refresh_from_db()
    assert (champ.libelle, champ.aide, champ.options) == ("Budget total", "En euros", {"min": "0"})


def test_bad_options_and_duplicate_name_are_refused(client_concepteur, brouillon):
    champ = Champ.objects.get(nom="nom")
    response = client_concepteur.post(url("champ", champ.pk), _data(champ, nom="asso"))
    assert response.status_code == 200
    assert "Le nom technique « asso » est déjà utilisé" in response.content.decode()
    ligne = champ.ligne
    calcul = services.champ_ajouter(ligne=ligne, type="calcul", libelle="Total", nom="total")
    response = client_concepteur.post(
        url("champ", calcul.pk), _data(calcul, **{"options-formule": "1 +* 2"})
    )
    assert response.status_code == 200
    assert "Le champ n’a pas été enregistré" in response.content.decode()
    calcul.refresh_from_db()
    assert calcul.options == {}


def test_choices_editor_and_liste(client_concepteur, brouillon):
    ligne = Ligne.objects.get(onglet__modele=brouillon)
    champ = services.champ_ajouter(
        ligne=ligne, type="choix_unique_radio", libelle="Situation", nom="situation"
    )
    response = client_concepteur.post(
        url("champ", champ.pk), _data(champ, choix="cdi | En CDI\ncdd|En CDD\n\nautre")
    )
    assert response.status_code == 302
    champ.refresh_from_db()
    assert champ.choix == [["cdi", "En CDI"], ["cdd", "En CDD"], ["autre", "autre"]]
    response = client_concepteur.post(url("champ", champ.pk), _data(champ, choix="a|A\na|B"))
    assert "la clé « a » est déjà utilisée" in response.content.decode()
    liste = ListeReferentiel.objects.create(code="situations", libelle="Situations")
    ValeurListe.objects.create(liste=liste, cle="x", libelle="X")
    client_concepteur.post(url("champ", champ.pk), _data(champ, liste=str(liste.pk)))
    champ.refresh_from_db()
    assert champ.valeurs_choix() == (("x", "X"),)


def test_guided_condition_on_a_field(client_concepteur, brouillon):
    champ = Champ.objects.get(nom="nom")
    response = client_concepteur.post(
        url("champ", champ.pk), _data(champ, si_champ="asso", si_op="=", si_valeur="oui")
    )
    assert response.status_code == 302
    champ.refresh_from_db()
    assert champ.condition == {"champ": "asso", "op": "=", "valeur": True}
    response = client_concepteur.get(url("champ", champ.pk))
    assert 'value="oui"' in response.content.decode()  # shown back in the guided form
    response = client_concepteur.post(
        url("champ", champ.pk), _data(champ, condition='{"champ": "nom", "op": "parmi"}')
    )
    assert "Il manque la valeur" in response.content.decode() or "parmi" in (
        response.content.decode()
    )
    assert response.status_code == 200


def test_required_but_hidden_is_refused(client_concepteur, brouillon):
    champ = Champ.objects.get(nom="nom")
    data = {
        "internet_visible": "on",
        "internet_modifiable": "on",
        "internet_obligatoire": "on",
        "crm_visible": "on",
        "crm_obligatoire": "on",  # required, not editable
        "partenaire_obligatoire": "on",  # required, hidden
    }
    response = client_concepteur.post(url("champ_proprietes", champ.pk), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vue « Agent (CRM) » : un champ obligatoire doit être visible et modifiable." in html
    assert "Vue « Partenaire » : un champ obligatoire" in html
    assert not champ.proprietes.get(vue="internet").obligatoire  # nothing written
    del data["crm_obligatoire"], data["partenaire_obligatoire"]
    response = client_concepteur.post(url("champ_proprietes", champ.pk), data)
    assert response.status_code == 302
    props = {p.vue: (p.visible, p.modifiable, p.obligatoire) for p in champ.proprietes.all()}
    assert props == {
        "internet": (True, True, True),
        "crm": (True, False, False),
        "partenaire": (False, False, False),
    }


def test_sub_fields_of_a_repeatable_block(client_concepteur, brouillon):
    ligne = Ligne.objects.get(onglet__modele=brouillon)
    bloc = services.champ_ajouter(
        ligne=ligne, type="bloc_repetable", libelle="Enfants", nom="enfants"
    )
    prefix = f"ajout-champ-{ligne.pk}-{bloc.pk}-bloc"
    response = client_concepteur.post(
        f"{url('champ_ajouter', ligne.pk)}?parent={bloc.pk}",
        {f"{prefix}-type": "texte", f"{prefix}-libelle": "Prénom de l’enfant"},
        **HTMX,
    )
    assert response.status_code == 200
    sous = Champ.objects.get(parent=bloc)
    assert (sous.nom, sous.ligne_id) == ("prenom_de_lenfant", ligne.pk)
    assert "Ajouter un sous-champ au bloc « Enfants »" in response.content.decode()
    response = client_concepteur.post(
        f"{url('champ_ajouter', ligne.pk)}?parent={bloc.pk}",
        {f"{prefix}-type": "bloc_repetable", f"{prefix}-libelle": "Imbriqué"},
        **HTMX,
    )
    assert Champ.objects.filter(parent=bloc).count() == 1
    # The preview shows the block with its sub-field, as the wizard does.
    apercu = client_concepteur.get(
        reverse("crm:formulaire_apercu", args=[brouillon.dispositif_id, "internet"])
    ).content.decode()
    assert 'data-bloc="enfants"' in apercu
    assert 'name="enfants-0-prenom_de_lenfant"' not in apercu  # minimum 0: no element yet
    assert "enfants-__INDEX__-prenom_de_lenfant" in apercu  # the template bloc.js clones


def test_add_a_field_from_the_referentiel(client_concepteur, brouillon):
    ref = ChampReferentiel.objects.create(
        nom="quotient_familial", libelle="Quotient familial", type="entier", aide="Sur l’avis CAF"
    )
    ChampReferentiel.objects.create(nom="siret_asso", libelle="SIRET", type="siret")
    ligne = Ligne.objects.get(onglet__modele=brouillon)
    page = url("referentiel_choisir", ligne.pk)
    response = client_concepteur.get(page, {"q": "quotient"})
    html = response.content.decode()
    assert 'title="Nom technique : quotient_familial"' in html and "siret_asso" not in html
    response = client_concepteur.get(page, {"q": "familial"}, **HTMX)
    assert "<html" not in response.content.decode() and "quotient_familial" in (
        response.content.decode()
    )
    response = client_concepteur.post(f"{page}?colonne=2", {"referentiel": ref.pk})
    assert response.status_code == 302
    champ = Champ.objects.get(nom="quotient_familial")
    assert (champ.referentiel, champ.aide, champ.colonne) == (ref, "Sur l’avis CAF", 2)
    response = client_concepteur.post(page, {"referentiel": ref.pk})
    assert response.status_code == 200
    assert "déjà utilisé dans ce formulaire" in response.content.decode()


def test_malformed_ids_never_give_a_500(client_concepteur, brouillon):
    ligne = Ligne.objects.get(onglet__modele=brouillon)
    response = client_concepteur.post(url("referentiel_choisir", ligne.pk), {"referentiel": "x"})
    assert response.status_code == 404
    response = client_concepteur.post(
        f"{url('champ_ajouter', ligne.pk)}?parent=abc&colonne=9",
        {f"ajout-champ-{ligne.pk}-1-type": "texte", f"ajout-champ-{ligne.pk}-1-libelle": "Ville"},
    )
    assert response.status_code == 302
    assert Champ.objects.get(nom="ville").colonne == 1


def test_field_panel_opens_in_place_and_saves_with_htmx(client_concepteur, brouillon):
    champ = Champ.objects.get(nom="nom")
    response = client_concepteur.get(url("champ", champ.pk), **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="champ-{champ.pk}"') and "<html" not in html
    assert f'name="c{champ.pk}-libelle"' in html and "data-focus" in html
    assert f'hx-target="#champ-{champ.pk}"' in html and "?item=1" in html  # "Annuler"
    prefixe = f"c{champ.pk}-"
    data = {f"{prefixe}{k}": v for k, v in _data(champ, libelle="Nom complet").items()}
    response = client_concepteur.post(url("champ", champ.pk), data, **HTMX)
    html = response.content.decode()
    # The updated item comes back, its configure button focused, the save read out.
    assert html.lstrip().startswith(f'<li id="champ-{champ.pk}"')
    assert "Configurer : Nom complet" in html and "data-focus" in html
    assert 'id="constructeur-annonce" hx-swap-oob="innerHTML"' in html
    assert 'id="constructeur-problemes" hx-swap-oob="true"' in html
    champ.refresh_from_db()
    assert champ.libelle == "Nom complet"


def test_field_panel_shows_errors_and_keeps_input(client_concepteur, brouillon):
    champ = Champ.objects.get(nom="nom")
    data = {f"c{champ.pk}-{k}": v for k, v in _data(champ, libelle="Autre", nom="asso").items()}
    response = client_concepteur.post(url("champ", champ.pk), data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Le nom technique « asso » est déjà utilisé" in html
    assert 'value="Autre"' in html  # input kept
    champ.refresh_from_db()
    assert champ.libelle == "Nom"


def test_field_panel_cancel_and_properties(client_concepteur, brouillon):
    champ = Champ.objects.get(nom="nom")
    response = client_concepteur.get(url("champ", champ.pk), {"item": "1"}, **HTMX)
    assert f"Configurer : {champ.libelle}" in response.content.decode()
    prefixe = f"c{champ.pk}-"
    bad = {f"{prefixe}internet_obligatoire": "on"}  # required but hidden
    response = client_concepteur.post(url("champ_proprietes", champ.pk), bad, **HTMX)
    html = response.content.decode()
    assert "doit être visible et modifiable" in html and "data-panneau" in html
    ok = {f"{prefixe}internet_visible": "on", f"{prefixe}crm_visible": "on"}
    response = client_concepteur.post(url("champ_proprietes", champ.pk), ok, **HTMX)
    assert "Les propriétés par vue de « Nom » sont enregistrées" in response.content.decode()
    assert services.proprietes_vue(Champ.objects.get(pk=champ.pk), "crm").modifiable is False


def test_field_panel_says_when_its_version_was_published_or_its_field_deleted(
    client_concepteur, brouillon, concepteur
):
    """A panel left open while the version is published (or the field deleted): its save
    answers a clear message retargeted into the panel, never a silent 404."""
    champ = Champ.objects.get(nom="nom")
    data = {f"c{champ.pk}-{k}": v for k, v in _data(champ, libelle="Trop tard").items()}
    services.modele_publier(modele=brouillon, by=concepteur)
    for nom_url in ("champ", "champ_proprietes"):
        response = client_concepteur.post(url(nom_url, champ.pk), data, **HTMX)
        html = response.content.decode()
        assert response.status_code == 409
        assert response["HX-Retarget"] == f"#champ-{champ.pk}-panneau-alerte"
        assert response["HX-Reswap"] == "innerHTML"
        assert "Cette version a été publiée entre-temps" in html and "data-focus" in html
        assert f'href="/crm/formulaires/{brouillon.dispositif_id}/constructeur/"' in html
    champ.refresh_from_db()
    assert champ.libelle == "Nom"  # nothing saved
    # Without htmx, the plain 404 of a part outside a draft.
    assert client_concepteur.post(url("champ", champ.pk), data).status_code == 404

    autre = services.modele_brouillon(dispositif=brouillon.dispositif)
    supprime = autre.champs.get(nom="asso")
    pk = supprime.pk
    services.champ_supprimer(champ=supprime)
    response = client_concepteur.get(
        url("champ", pk), {"item": "1"}, HTTP_HX_CURRENT_URL="http://testserver/crm/x/", **HTMX
    )
    assert response.status_code == 404 and response["HX-Retarget"] == f"#champ-{pk}-panneau-alerte"
    html = response.content.decode()
    assert "Ce champ a été supprimé entre-temps" in html and 'href="/crm/x/"' in html


def test_the_open_panel_holds_the_place_of_that_message(client_concepteur, brouillon):
    champ = Champ.objects.get(nom="nom")
    html = client_concepteur.get(url("champ", champ.pk), **HTMX).content.decode()
    assert f'id="champ-{champ.pk}-panneau-alerte"' in html
