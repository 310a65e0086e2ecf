"""The builder's list of dispositifs, their catalogue content, the preview per view and
the référentiel des champs in the CRM."""

import re

from django.urls import reverse

from dossiers import services
from dossiers.models import Champ, ChampReferentiel, Dispositif, ListeReferentiel, ProprietesVue
from tests.dossiers.factories import DispositifFactory, ThematiqueFactory
from tests.queries import assert_page_budget

HTMX = {"HTTP_HX_REQUEST": "true"}
LIENS_VIDES = {"liens-TOTAL_FORMS": "0", "liens-INITIAL_FORMS": "0"}


def test_list_search_and_filters(client_concepteur, brouillon, concepteur):
    publie = DispositifFactory(titre="Mise à disposition de benne")
    modele = services.modele_brouillon(dispositif=publie)
    services.onglet_ajouter(modele=modele, titre="Benne")
    services.modele_publier(modele=modele, by=concepteur, note="Première")
    DispositifFactory(titre="Aide sociale facultative", inactif=True)
    liste = reverse("crm:formulaires")
    html = client_concepteur.get(liste).content.decode()
    assert "Location de salle" in html and "v1 brouillon" in html
    assert "v1 publiée le" in html and f"par {concepteur}" in html and "Première" in html
    html = client_concepteur.get(liste, {"q": "benne"}).content.decode()
    assert "Mise à disposition de benne" in html and "Location de salle" not in html
    html = client_concepteur.get(liste, {"filtre": "brouillon"}).content.decode()
    assert "Location de salle" in html and "Mise à disposition" not in html
    html = client_concepteur.get(liste, {"filtre": "actifs"}).content.decode()
    assert "Aide sociale" not in html


def test_list_budget(client_concepteur, brouillon):
    def grow():
        for _i in range(3):
            modele = services.modele_brouillon(dispositif=DispositifFactory())
            services.onglet_ajouter(modele=modele, titre="A")
            services.modele_publier(modele=modele, by=None)
            services.modele_brouillon(dispositif=modele.dispositif)

    assert_page_budget(client_concepteur, reverse("crm:formulaires"), budget=8, grow=grow)


def test_create_and_edit_a_dispositif_with_pieces(client_concepteur):
    theme = ThematiqueFactory(libelle="Vie associative")
    data = {
        "titre": "Subvention aux associations",
        "slug": "subvention-associations",
        "code": "sub",
        "resume": "Une aide de la commune.",
        "eligibilite": "<p onclick='x()'>Siège dans la commune</p>",
        "depot_avec_compte": "on",
        "thematiques": [theme.pk],
        "actif": "on",
        "ordre": "0",
        "publie_du": "2026-01-01T08:00",
        "publie_au": "2025-01-01T08:00",
        "pieces-TOTAL_FORMS": "1",
        "pieces-INITIAL_FORMS": "0",
        "pieces-0-libelle": "Statuts",
        "pieces-0-obligatoire": "on",
        "pieces-0-ordre": "0",
        **LIENS_VIDES,
    }
    response = client_concepteur.post(reverse("crm:formulaire_dispositif_creer"), data)
    assert response.status_code == 200  # the window ends before it starts
    html = response.content.decode()
    assert "La fin de publication doit suivre son début." in html
    assert "Subvention aux associations" in html  # input kept
    data["publie_au"] = ""
    response = client_concepteur.post(reverse("crm:formulaire_dispositif_creer"), data)
    dispositif = Dispositif.objects.get(slug="subvention-associations")
    assert response.status_code == 302
    assert dispositif.code == "SUB" and "onclick" not in dispositif.eligibilite
    assert list(dispositif.thematiques.all()) == [theme]
    assert [p.libelle for p in dispositif.pieces.all()] == ["Statuts"]
    piece = dispositif.pieces.get()
    data.update(
        {
            "titre": "Subvention de fonctionnement",
            "pieces-TOTAL_FORMS": "2",
            "pieces-INITIAL_FORMS": "1",
            "pieces-0-id": str(piece.pk),
            "pieces-0-DELETE": "on",
            "pieces-1-libelle": "Budget prévisionnel",
            "pieces-1-ordre": "1",
        }
    )
    response = client_concepteur.post(
        reverse("crm:formulaire_dispositif", args=[dispositif.pk]), data
    )
    assert response.status_code == 302
    dispositif.refresh_from_db()
    assert dispositif.titre == "Subvention de fonctionnement"
    assert [p.libelle for p in dispositif.pieces.all()] == ["Budget prévisionnel"]


def test_preview_per_view(client_concepteur, brouillon):
    nom = Champ.objects.get(nom="nom")
    ProprietesVue.objects.filter(champ=nom, vue="internet").update(visible=False)
    ProprietesVue.objects.filter(champ=nom, vue="crm").update(modifiable=False)
    ProprietesVue.objects.filter(champ=Champ.objects.get(nom="asso"), vue="partenaire").update(
        obligatoire=True
    )
    nom.condition = {"champ": "asso", "op": "=", "valeur": True}
    nom.save()

    def page(vue):
        response = client_concepteur.get(
            reverse("crm:formulaire_apercu", args=[brouillon.dispositif_id, vue])
        )
        assert response.status_code == 200
        return response.content.decode()

    internet, crm, partenaire = page("internet"), page("crm"), page("partenaire")
    assert 'name="asso"' in internet and 'name="nom"' not in internet
    assert "disabled" in re.search(r'<input[^>]*name="nom"[^>]*>', crm).group(0)
    assert "disabled" not in re.search(r'<input[^>]*name="nom"[^>]*>', partenaire).group(0)
    assert "data-condition=" in crm and "&quot;champ&quot;: &quot;asso&quot;" in crm

    def legende(html):
        return html.split('id="id_asso-legend"')[1].split("</legend>")[0]

    assert "(facultatif)" in legende(internet)
    assert "(facultatif)" not in legende(partenaire)  # required in the partner's view
    assert "<button" not in internet.split('id="apercu-formulaire"')[1].split("</form>")[0]
    response = client_concepteur.get(
        reverse("crm:formulaire_apercu", args=[brouillon.dispositif_id, "nimporte"])
    )
    assert response.status_code == 404


def test_preview_renders_a_tabs_rich_help_as_the_wizard_does(client_concepteur, brouillon):
    onglet = brouillon.onglets.first()
    onglet.aide = (
        '<p>Décrivez <strong>votre projet</strong>.</p><script>alert("x")</script>'
        '<p onclick="x()">Pièces : <a href="https://mairie.fr/aide">l’aide</a></p>'
    )
    onglet.save()
    html = client_concepteur.get(
        reverse("crm:formulaire_apercu", args=[brouillon.dispositif_id, "internet"])
    ).content.decode()
    aide = html.split('guichet-texte-riche">')[1].split("</div>")[0]
    assert "<p>Décrivez <strong>votre projet</strong>.</p>" in aide
    assert "&lt;p&gt;" not in aide and "<script" not in aide and "onclick" not in aide
    assert '<a href="https://mairie.fr/aide"' in aide


def test_referentiel_fields_and_lists(client_concepteur):
    response = client_concepteur.post(
        reverse("crm:formulaire_referentiel_champ_creer"),
        {"nom": "Mauvais Nom", "libelle": "X", "type": "texte"},
    )
    assert response.status_code == 200
    assert "Le nom technique commence par une lettre minuscule" in response.content.decode()
    response = client_concepteur.post(
        reverse("crm:formulaire_referentiel_champ_creer"),
        {"nom": "quotient_familial", "libelle": "Quotient familial", "type": "entier"},
    )
    assert response.status_code == 302
    ref = ChampReferentiel.objects.get(nom="quotient_familial")
    html = client_concepteur.get(reverse("crm:formulaire_referentiel"), {"q": "quotient"})
    assert 'title="Nom technique : quotient_familial"' in html.content.decode()
    response = client_concepteur.post(
        reverse("crm:formulaire_referentiel_champ", args=[ref.pk]),
        {"nom": "quotient_familial", "libelle": "QF", "type": "inexistant"},
    )
    assert "Ce type de champ n’existe pas." in response.content.decode()
    data = {
        "code": "situation",
        "libelle": "Situation familiale",
        "valeurs-TOTAL_FORMS": "2",
        "valeurs-INITIAL_FORMS": "0",
        "valeurs-0-cle": "marie",
        "valeurs-0-libelle": "Marié(e)",
        "valeurs-0-ordre": "0",
        "valeurs-0-active": "on",
        "valeurs-1-cle": "celibataire",
        "valeurs-1-libelle": "Célibataire",
        "valeurs-1-ordre": "1",
        "valeurs-1-active": "on",
    }
    response = client_concepteur.post(reverse("crm:formulaire_referentiel_liste_creer"), data)
    assert response.status_code == 302
    liste = ListeReferentiel.objects.get(code="situation")
    assert liste.choix() == (("marie", "Marié(e)"), ("celibataire", "Célibataire"))
    response = client_concepteur.get(reverse("crm:formulaire_referentiel_liste", args=[liste.pk]))
    assert "Célibataire" in response.content.decode()
