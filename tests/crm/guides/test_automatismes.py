"""The builder's timers and déclencheurs (I8): a draft's timers are added, changed and
removed in the CRM with the model's French messages; a published version's stay as they
are; a déclencheur's webhook secret is shown once and can be regenerated."""

from django.urls import reverse

from instruction.models import Declencheur, Minuteur
from tests.instruction.factories import StatutFactory


def _statuts(version):
    return {s.code: s for s in version.statuts.all()}


def _minuteur(client, version, **donnees):
    statuts = _statuts(version)
    data = {
        "statut": statuts["depose"].pk,
        "libelle": "Acceptation tacite",
        "delai": "60",
        "unite": "jours",
        "depart": "entree",
        "champ": "",
        "cible": statuts["instruction"].pk,
        "motif": "Silence vaut acceptation",
        "actif": "on",
        **donnees,
    }
    data = {f"minuteur-{cle}": valeur for cle, valeur in data.items()}
    return client.post(reverse("crm:guide_minuteur_ajouter", args=[version.pk]), data)


def test_a_timer_is_added_to_a_draft(client_concepteur, brouillon):
    reponse = _minuteur(client_concepteur, brouillon)
    assert reponse.status_code == 302
    minuteur = Minuteur.objects.get(statut__version=brouillon)
    assert (minuteur.libelle, minuteur.delai, minuteur.cible.code) == (
        "Acceptation tacite",
        60,
        "instruction",
    )
    page = client_concepteur.get(reverse("crm:guide_automatismes", args=[brouillon.pk]))
    assert "Acceptation tacite" in page.content.decode()


def test_bad_timers_are_refused_next_to_their_field_with_input_kept(client_concepteur, brouillon):
    reponse = _minuteur(client_concepteur, brouillon, delai="-5", libelle="Négatif")
    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Depuis l’entrée dans le statut, le délai est positif." in contenu
    assert 'value="Négatif"' in contenu
    # A target of another version is not even a choice.
    ailleurs = StatutFactory()
    reponse = _minuteur(client_concepteur, brouillon, cible=ailleurs.pk)
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    reponse = _minuteur(client_concepteur, brouillon, depart="champ", champ="")
    assert "Indiquez le nom technique du champ date." in reponse.content.decode()
    reponse = _minuteur(client_concepteur, brouillon, delai="beaucoup")
    assert reponse.status_code == 200
    assert not Minuteur.objects.exists()


def test_a_timer_is_changed_and_removed(client_concepteur, brouillon):
    _minuteur(client_concepteur, brouillon)
    minuteur = Minuteur.objects.get()
    statuts = _statuts(brouillon)
    url = reverse("crm:guide_minuteur", args=[minuteur.pk])
    assert client_concepteur.get(url).status_code == 200
    reponse = client_concepteur.post(
        url,
        {
            "minuteur-statut": statuts["depose"].pk,
            "minuteur-libelle": "Relance",
            "minuteur-delai": "12",
            "minuteur-unite": "heures",
            "minuteur-depart": "entree",
            "minuteur-vers_precedent": "on",
            "minuteur-cible": "",
        },
    )
    assert reponse.status_code == 302
    minuteur.refresh_from_db()
    assert (minuteur.libelle, minuteur.delai, minuteur.unite, minuteur.cible) == (
        "Relance",
        12,
        "heures",
        None,
    )
    assert minuteur.vers_precedent and not minuteur.actif
    url = reverse("crm:guide_minuteur_supprimer", args=[minuteur.pk])
    assert "Supprimer le minuteur" in client_concepteur.get(url).content.decode()
    client_concepteur.post(url)
    assert not Minuteur.objects.exists()


def test_a_published_versions_timers_do_not_change(client_concepteur, publiee):
    statuts = _statuts(publiee)
    minuteur = Minuteur.objects.create(
        statut=statuts["depose"], cible=statuts["instruction"], libelle="Relance", delai=30
    )
    page = client_concepteur.get(reverse("crm:guide_automatismes", args=[publiee.pk]))
    assert "ne se modifient plus" in page.content.decode()
    assert "Ajouter un minuteur" not in page.content.decode()
    _minuteur(client_concepteur, publiee)
    assert Minuteur.objects.count() == 1
    client_concepteur.post(reverse("crm:guide_minuteur_supprimer", args=[minuteur.pk]))
    client_concepteur.post(
        reverse("crm:guide_minuteur", args=[minuteur.pk]),
        {
            "minuteur-statut": statuts["depose"].pk,
            "minuteur-libelle": "Autre",
            "minuteur-delai": "1",
            "minuteur-unite": "jours",
            "minuteur-depart": "entree",
            "minuteur-cible": statuts["instruction"].pk,
        },
    )
    minuteur.refresh_from_db()
    assert minuteur.libelle == "Relance"


def test_a_declencheur_shows_its_secret_once_and_regenerates_it(client_concepteur, publiee):
    statuts = _statuts(publiee)
    reponse = client_concepteur.post(
        reverse("crm:guide_declencheur_ajouter", args=[publiee.pk]),
        {
            "declencheur-code": "avis-commission",
            "declencheur-libelle": "Avis de la commission",
            "declencheur-cible": statuts["instruction"].pk,
            "declencheur-champs": "date_commission, montant_vote",
            "declencheur-manuel": "on",
            "declencheur-webhook": "on",
        },
    )
    declencheur = Declencheur.objects.get()
    assert declencheur.champs == ["date_commission", "montant_vote"]
    contenu = reponse.content.decode()
    assert declencheur.secret in contenu
    assert "/api/instruction/webhooks/avis-commission/" in contenu
    page = client_concepteur.get(reverse("crm:guide_declencheur", args=[declencheur.pk]))
    assert declencheur.secret not in page.content.decode()
    assert "date_commission, montant_vote" in page.content.decode()
    ancien = declencheur.secret
    reponse = client_concepteur.post(reverse("crm:guide_declencheur_secret", args=[declencheur.pk]))
    declencheur.refresh_from_db()
    assert declencheur.secret != ancien and declencheur.secret in reponse.content.decode()


def test_bad_declencheurs_are_refused(client_concepteur, publiee):
    url = reverse("crm:guide_declencheur_ajouter", args=[publiee.pk])
    reponse = client_concepteur.post(
        url, {"declencheur-code": "rien", "declencheur-libelle": "Rien"}
    )
    assert "Un déclencheur change le statut, des champs, ou les deux." in (reponse.content.decode())
    reponse = client_concepteur.post(
        url,
        {"declencheur-code": "pas un code", "declencheur-libelle": "X", "declencheur-champs": "a"},
    )
    assert reponse.status_code == 200 and 'value="pas un code"' in reponse.content.decode()
    assert not Declencheur.objects.exists()


def test_the_page_costs_the_same_with_more_automatismes(
    client_concepteur, brouillon, django_assert_max_num_queries
):
    url = reverse("crm:guide_automatismes", args=[brouillon.pk])
    statuts = _statuts(brouillon)
    Minuteur.objects.create(
        statut=statuts["depose"], cible=statuts["instruction"], libelle="A", delai=1
    )
    client_concepteur.get(url)
    with django_assert_max_num_queries(12):
        client_concepteur.get(url)
    for numero in range(8):
        Minuteur.objects.create(
            statut=statuts["instruction"], cible=statuts["depose"], libelle=f"M{numero}", delai=2
        )
        Declencheur.objects.create(
            version=brouillon, code=f"d{numero}", libelle=f"D{numero}", vers_precedent=True
        )
    with django_assert_max_num_queries(12):
        client_concepteur.get(url)
