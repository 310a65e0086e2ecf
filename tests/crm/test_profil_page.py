"""The profil's CRM page: filled details, members, previous addresses, journal, duplicates."""

import pytest
from django.urls import reverse

from tests.queries import assert_page_budget
from tests.usagers.factories import (
    IndividuFactory,
    InvitationFactory,
    MembreFactory,
    ProfilFactory,
    role,
)
from usagers import services
from usagers.models import AdressePrecedente

pytestmark = pytest.mark.django_db


def _url(profil):
    return reverse("crm:profil", args=[profil.pk])


def test_page_shows_filled_details_and_members(client_as):
    profil = ProfilFactory(nom="Club Pongiste Orléanais", sigle="", siret="", telephone="")
    MembreFactory(
        profil=profil,
        individu=IndividuFactory(prenom="Éléonore", nom="Dupont"),
        role=role("responsable"),
    )
    InvitationFactory(profil=profil, email="invite@exemple.fr")
    AdressePrecedente.objects.create(
        profil=profil, adresse="2 rue du Bourdon Blanc", commune="Orléans"
    )
    html = client_as("agent").get(_url(profil)).content.decode()
    assert "Club Pongiste Orléanais" in html
    assert "Association" in html
    assert "Numéro RNA" in html and profil.rna in html
    assert (
        "Sigle" not in html and "SIRET" not in html.split('id="details"')[1].split("</section>")[0]
    )
    assert "Éléonore DUPONT" in html and "Responsable" in html
    assert "invite@exemple.fr" in html
    assert "2 rue du Bourdon Blanc, Orléans" in html


def test_journal_and_duplicates(client, agent, admin_user):
    profil = services.profil_creer(
        by=agent,
        type_profil=ProfilFactory().type_profil,
        nom="Les Amis du Loiret",
        rna="W451234567",
    )
    services.profil_modifier(profil=profil, by=agent, commune="Tours")
    doublon = ProfilFactory(nom="Les amis du loiret")
    merge_url = reverse("crm:profil_fusionner", args=[profil.pk, doublon.pk])
    client.force_login(agent)
    html = client.get(_url(profil)).content.decode()
    assert "Commune : (vide) → Tours" in html and str(agent) in html
    assert reverse("crm:profil", args=[doublon.pk]) in html
    assert merge_url not in html
    client.force_login(admin_user)
    assert merge_url in client.get(_url(profil)).content.decode()


def test_page_cost_does_not_grow(client_as, agent):
    profil = services.profil_creer(
        by=agent,
        type_profil=ProfilFactory().type_profil,
        nom="Les Amis du Loiret",
        rna="W451234567",
    )

    def grow():
        for n in range(5):
            MembreFactory(profil=profil)
            InvitationFactory(profil=profil)
            AdressePrecedente.objects.create(profil=profil, commune=f"Ville {n}")
            services.profil_modifier(profil=profil, by=agent, commune=f"Commune {n}")
            ProfilFactory(nom="Les Amis du Loiret")

    client = client_as("agent")
    client.get(_url(profil))  # first visit: the session's activity is recorded once
    assert_page_budget(client, _url(profil), budget=22, grow=grow)
