"""The contacts screens (C5): logging from the header with a model and the page's
context, bad input, forged ids, scope of linked dossiers, moving into a dossier, creating
a dossier from a contact, tasks, and the pages' query budgets."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact, PlanAction, Tache
from tests.contacts.factories import ContactFactory, ModeleContactFactory, TacheFactory
from tests.crm.dossiers.conftest import deposer
from tests.queries import assert_page_budget
from tests.usagers.factories import IndividuFactory, ProfilFactory

pytestmark = pytest.mark.django_db

NOUVEAU = "/crm/contacts/nouveau/"


def _quand():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def test_the_header_offers_nouveau_contact_prefilled_by_the_page(client, instructeur, dossier):
    client.force_login(instructeur)
    page = client.get(reverse("crm:dossier", args=[dossier.pk])).content.decode()
    assert f'href="{NOUVEAU}?dossier={dossier.pk}"' in page
    individu = dossier.demandeur_individu
    page = client.get(reverse("crm:individu", args=[individu.pk])).content.decode()
    assert f'href="{NOUVEAU}?individu={individu.pk}"' in page


def test_form_prefilled_from_a_dossier_and_a_model(client, instructeur, agent, dossier):
    modele = ModeleContactFactory(canal="accueil", objet="Dépôt de pièces")
    modele.agents.add(agent)
    client.force_login(instructeur)
    response = client.get(NOUVEAU, {"dossier": dossier.pk, "modele": modele.pk})
    form = response.context["form"]
    assert form.initial["dossiers"] == [str(dossier.pk)]
    assert form.initial["individus"] == [str(dossier.demandeur_individu_id)]  # the demandeur
    assert form.initial["canal"] == "accueil" and form.initial["objet"] == "Dépôt de pièces"
    assert form.initial["agents"] == [str(agent.pk)]
    assert "Léa DURAND" in response.content.decode()


def test_a_forged_dossier_id_in_the_context_is_ignored(client, agent, dossier):
    """A plain agent may not open the dossier: the form shows neither it nor its reference."""
    client.force_login(agent)
    response = client.get(NOUVEAU, {"dossier": dossier.pk, "individu": "abc"})
    assert response.status_code == 200
    assert "dossiers" not in response.context["form"].initial
    assert dossier.reference not in response.content.decode()


def test_log_a_contact_then_its_page(client, instructeur, dossier):
    individu = dossier.demandeur_individu
    client.force_login(instructeur)
    response = client.post(
        NOUVEAU,
        {
            "canal": "telephone",
            "sens": "entrant",
            "quand": _quand(),
            "objet": "Question sur le dossier",
            "compte_rendu": "Rappel demain.",
            "individus": [individu.pk],
            "dossiers": [dossier.pk],
            "statut": "ouvert",
            "action": "enregistrer",
        },
    )
    contact = Contact.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/crm/contacts/{contact.pk}/"
    assert list(contact.dossiers.all()) == [dossier]
    page = client.get(response["Location"]).content.decode()
    assert "Question sur le dossier" in page and dossier.reference in page
    assert "Léa DURAND" in page
    # The dossier's tab lists it.
    tab = client.get(reverse("crm:dossier_contacts", args=[dossier.pk])).content.decode()
    assert "Question sur le dossier" in tab


def test_empty_objet_and_forged_dossier_give_french_errors_input_kept(client, agent, dossier):
    client.force_login(agent)
    response = client.post(
        NOUVEAU,
        {
            "canal": "telephone",
            "sens": "entrant",
            "quand": _quand(),
            "objet": "",
            "compte_rendu": "Ce que j’ai tapé",
            "dossiers": [dossier.pk],
            "statut": "ouvert",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["objet"] == ["Ce champ est obligatoire."]
    assert "dossiers" in form.errors
    page = response.content.decode()
    assert "Ce que j’ai tapé" in page and "Le contact n’a pas été enregistré" in page
    assert dossier.reference not in page
    assert not Contact.objects.exists()


def test_apply_a_model_and_search_the_referentiel_keep_what_was_typed(client, agent):
    modele = ModeleContactFactory(canal="courrier", objet="Courrier entrant")
    IndividuFactory(prenom="Yannick", nom="Le Goff")
    client.force_login(agent)
    data = {"modele": modele.pk, "objet": "", "compte_rendu": "Déjà noté", "quand": _quand()}
    response = client.post(NOUVEAU, {**data, "action": "modele"})
    form = response.context["form"]
    assert response.status_code == 200 and not form.is_bound
    assert form.initial["canal"] == "courrier" and form.initial["objet"] == "Courrier entrant"
    assert form.initial["compte_rendu"] == "Déjà noté"
    response = client.post(
        NOUVEAU, {**data, "q": "le goff", "action": "rechercher"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert [label for _pk, label in response.context["form"].fields["individus"].choices] == [
        "Yannick LE GOFF"
    ]
    assert 'id="contact-form"' in response.content.decode()
    assert "<html" not in response.content.decode()  # the partial


def test_contact_page_hides_dossiers_out_of_reach(client, agent, dossier):
    contact = ContactFactory()
    contact.dossiers.add(dossier)
    client.force_login(agent)
    page = client.get(reverse("crm:contact", args=[contact.pk])).content.decode()
    assert "1 dossier auquel vous n’avez pas accès" in page
    assert dossier.reference not in page
    assert "Créer un dossier" not in page  # needs « instruire les dossiers »


def test_unknown_contact_is_404(client, agent):
    client.force_login(agent)
    assert client.get("/crm/contacts/999999/").status_code == 404


def test_move_into_a_dossier(client, instructeur, dossier):
    contact = ContactFactory()
    contact.individus.add(dossier.demandeur_individu)
    client.force_login(instructeur)
    url = reverse("crm:contact_deplacer", args=[contact.pk])
    page = client.get(url)  # without a search: the interlocuteurs' dossiers
    assert dossier.reference in page.content.decode()
    response = client.post(url, {"dossier": dossier.pk})
    assert response.status_code == 302
    assert list(contact.dossiers.all()) == [dossier]
    assert client.get(url, {"q": dossier.reference}).context["form"].fields["dossier"].choices == []


def test_move_refuses_a_forged_dossier(client, agent, dossier):
    contact = ContactFactory()
    client.force_login(agent)
    response = client.post(
        reverse("crm:contact_deplacer", args=[contact.pk]), {"dossier": dossier.pk}
    )
    assert response.status_code == 400
    assert not contact.dossiers.exists()
    assert dossier.reference not in response.content.decode()


def test_create_a_dossier_from_a_contact(client, instructeur, dispositif):
    individu = IndividuFactory(prenom="Anne", nom="Kerbrat")
    contact = ContactFactory(objet="Demande de subvention")
    contact.individus.add(individu)
    client.force_login(instructeur)
    page = client.get(reverse("crm:contact", args=[contact.pk]))
    url = page.context["creer_dossier_url"]
    assert url == f"/crm/dossiers/nouveau/dispositif/?individu={individu.pk}&contact={contact.pk}"
    etape2 = client.get(url).content.decode()
    formulaire = (
        f"/crm/dossiers/nouveau/{dispositif.pk}/?individu={individu.pk}&amp;contact={contact.pk}"
    )
    assert formulaire in etape2
    response = client.post(formulaire.replace("&amp;", "&"), {"nom": "Kerbrat", "montant": "100"})
    assert response.status_code == 302
    dossier = contact.dossiers.get()
    assert dossier.demandeur_individu == individu
    assert dossier.historique.filter(
        libelle__startswith="Dossier créé à partir du contact"
    ).exists()


def test_create_a_dossier_from_a_contact_without_interlocuteur_starts_at_the_demandeur(
    client, instructeur
):
    contact = ContactFactory(interlocuteur_libre="Un passant")
    client.force_login(instructeur)
    url = client.get(reverse("crm:contact", args=[contact.pk])).context["creer_dossier_url"]
    assert url == f"/crm/dossiers/nouveau/?contact={contact.pk}"
    individu = IndividuFactory(prenom="Jeanne", nom="Passant")
    page = client.get(url + "&q=passant").content.decode()
    assert f"?individu={individu.pk}&amp;contact={contact.pk}" in page
    assert f'name="contact" value="{contact.pk}"' in page  # kept by a new search


def test_tasks_on_a_contact_and_mes_taches(client, agent):
    contact = ContactFactory()
    client.force_login(agent)
    url = reverse("crm:contact_tache_ajouter", args=[contact.pk])
    response = client.post(url, {"libelle": "", "notes": "gardé"})
    assert response.status_code == 400
    assert response.context["tache_form"].errors["libelle"] == ["Ce champ est obligatoire."]
    assert "gardé" in response.content.decode()
    echeance = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(url, {"libelle": "Rappeler", "echeance": echeance, "assignee": agent.pk})
    assert response.status_code == 302
    tache = Tache.objects.get()
    page = client.get(reverse("crm:mes_taches")).content.decode()
    assert "Rappeler" in page
    client.post(
        reverse("crm:tache_terminer", args=[tache.pk]), {"faite": "1", "suivant": "mes_taches"}
    )
    tache.refresh_from_db()
    assert tache.faite and tache.faite_par == agent


def test_a_task_of_a_dossier_out_of_reach_cannot_be_ticked(client, agent, instructeur, dossier):
    from contacts import services

    tache = services.tache_ajouter(by=instructeur, dossier=dossier, libelle="Relancer")
    client.force_login(agent)
    assert (
        client.post(reverse("crm:tache_terminer", args=[tache.pk]), {"faite": "1"}).status_code
        == 404
    )
    tache.refresh_from_db()
    assert not tache.faite


def test_dossier_tab_tasks(client, instructeur, dossier):
    client.force_login(instructeur)
    url = reverse("crm:dossier_tache_ajouter", args=[dossier.pk])
    assert client.post(url, {"libelle": " "}).status_code == 400
    assert client.post(url, {"libelle": "Vérifier le RIB"}).status_code == 302
    page = client.get(reverse("crm:dossier_contacts", args=[dossier.pk])).content.decode()
    assert "Vérifier le RIB" in page


# --- query budgets: independent of the amount of data ------------------------------------
# Measured when written: list 9, contact page 11, « Mes tâches » 5, dossier tab 13.


def _contacts(n, dossier=None):
    for _ in range(n):
        contact = ContactFactory()
        contact.individus.add(IndividuFactory())
        contact.agents.add(*[c for c in [contact.created_by] if c])
        if dossier is not None:
            contact.dossiers.add(dossier)


def test_list_budget(client, agent):
    _contacts(3)
    client.force_login(agent)
    assert_page_budget(
        client, "/crm/contacts/?canal=telephone&q=cantine", budget=10, grow=lambda: _contacts(10)
    )


def test_contact_page_budget(client, instructeur, dossier):
    contact = ContactFactory()
    contact.dossiers.add(dossier)
    plan = PlanAction.objects.create(contact=contact)
    TacheFactory(plan=plan, assignee=instructeur)
    client.force_login(instructeur)

    def grow():
        contact.individus.add(IndividuFactory(), IndividuFactory())
        contact.profils.add(ProfilFactory())
        contact.agents.add(instructeur)
        contact.dossiers.add(deposer(dossier.dispositif))
        for _ in range(4):
            TacheFactory(plan=plan, assignee=instructeur, faite=True, faite_par=instructeur)

    assert_page_budget(client, reverse("crm:contact", args=[contact.pk]), budget=12, grow=grow)


def test_mes_taches_and_dossier_tab_budgets(client, instructeur, dossier):
    client.force_login(instructeur)
    TacheFactory(assignee=instructeur)
    _contacts(2, dossier)

    def grow():
        for _ in range(5):
            TacheFactory(assignee=instructeur)
        _contacts(5, dossier)

    assert_page_budget(client, reverse("crm:mes_taches"), budget=6, grow=grow)
    assert_page_budget(
        client,
        reverse("crm:dossier_contacts", args=[dossier.pk]),
        budget=14,
        grow=lambda: _contacts(3, dossier),
    )
