"""Merging individus and profils from the CRM (C10)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.usagers.factories import (
    IndividuFactory,
    LienParenteFactory,
    MembreFactory,
    ProfilFactory,
    type_profil,
)
from usagers import services
from usagers.models import Fusion, Individu, Profil

pytestmark = pytest.mark.django_db


def _merge_url(a, b, name="crm:individu_fusionner"):
    return reverse(name, args=[a.pk, b.pk])


@pytest.fixture
def paire(db):
    conserve = IndividuFactory(prenom="Éléonore", nom="Dupont", telephone_mobile="")
    absorbe = IndividuFactory(
        prenom="Eleonore",
        nom="DUPONT",
        date_naissance=conserve.date_naissance,
        telephone_mobile="+33698765432",
    )
    MembreFactory(individu=absorbe, profil=ProfilFactory(nom="Foyer Dupont"))
    LienParenteFactory(individu=absorbe, apparente=IndividuFactory(prenom="Léo", enfant=True))
    return conserve, absorbe


def test_page_compares_both_records(client, agent_fusion, paire):
    conserve, absorbe = paire
    client.force_login(agent_fusion)
    response = client.get(_merge_url(conserve, absorbe))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Fiche conservée (n° {conserve.pk})" in html
    assert f"Fiche absorbée (n° {absorbe.pk})" in html
    assert "Foyer Dupont" in html
    assert "06 98 76 54 32" in html and "repris" in html  # the blank phone gets filled
    assert "champs vides sont complétés" in html
    assert _merge_url(absorbe, conserve) in html  # keep the other one instead


def test_plain_agent_cannot_merge(client_as, paire):
    conserve, absorbe = paire
    client = client_as("agent")
    assert client.get(_merge_url(conserve, absorbe)).status_code == 403
    assert client.post(_merge_url(conserve, absorbe), {"conserver": conserve.pk}).status_code == 403
    assert Individu.objects.filter(pk=absorbe.pk).exists()


def test_merge_moves_links_and_redirects_to_the_kept_record(client, agent_fusion, paire):
    conserve, absorbe = paire
    client.force_login(agent_fusion)
    response = client.post(_merge_url(conserve, absorbe), {"conserver": conserve.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:individu", args=[conserve.pk])
    assert "Fiches fusionnées" in [str(m) for m in get_messages(response.wsgi_request)][0]
    assert not Individu.objects.filter(pk=absorbe.pk).exists()
    conserve.refresh_from_db()
    assert conserve.telephone_mobile == "+33698765432"
    assert conserve.adhesions.get().profil.nom == "Foyer Dupont"
    assert conserve.liens.count() == 1
    assert Fusion.objects.get().par == agent_fusion


def test_agent_may_keep_the_other_record(client, agent_fusion, paire):
    conserve, absorbe = paire
    client.force_login(agent_fusion)
    response = client.post(_merge_url(conserve, absorbe), {"conserver": absorbe.pk})
    assert response["Location"] == reverse("crm:individu", args=[absorbe.pk])
    assert not Individu.objects.filter(pk=conserve.pk).exists()


def test_choice_outside_the_pair_is_refused(client, agent_fusion, paire):
    conserve, absorbe = paire
    client.force_login(agent_fusion)
    response = client.post(_merge_url(conserve, absorbe), {"conserver": IndividuFactory().pk})
    assert response.status_code == 200
    assert Individu.objects.filter(pk__in=[conserve.pk, absorbe.pk]).count() == 2


def test_merging_a_record_with_itself_is_refused_clearly(client, agent_fusion):
    individu = IndividuFactory()
    client.force_login(agent_fusion)
    response = client.post(_merge_url(individu, individu), {"conserver": individu.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fusion impossible" in html
    assert "Une fiche ne peut pas être fusionnée avec elle-même." in html
    assert Individu.objects.filter(pk=individu.pk).exists()


def test_merging_an_adult_and_a_child_is_refused_clearly(client, agent_fusion):
    adulte, enfant = IndividuFactory(), IndividuFactory(enfant=True)
    client.force_login(agent_fusion)
    response = client.post(_merge_url(adulte, enfant), {"conserver": adulte.pk})
    assert response.status_code == 200
    assert "Impossible de fusionner un adulte et un enfant" in response.content.decode()
    assert Individu.objects.filter(pk__in=[adulte.pk, enfant.pk]).count() == 2


def test_merging_two_accounts_is_refused_clearly(client, agent_fusion):
    a = IndividuFactory(user=UserFactory())
    b = IndividuFactory(user=UserFactory())
    client.force_login(agent_fusion)
    response = client.post(_merge_url(a, b), {"conserver": a.pk})
    assert "deux comptes ne peuvent pas être fusionnés" in response.content.decode()


def test_unknown_record_is_a_404(client_as, paire):
    conserve, _absorbe = paire
    response = client_as("admin").get(reverse("crm:individu_fusionner", args=[conserve.pk, 999999]))
    assert response.status_code == 404


# Profils ---------------------------------------------------------------------------------


def test_profils_merge(client, agent_fusion):
    conserve = ProfilFactory(nom="Les Amis du Loiret", email="")
    absorbe = ProfilFactory(nom="Les amis du Loiret", email="amis@loiret.fr")
    MembreFactory(profil=absorbe, individu=IndividuFactory(prenom="Éléonore", nom="Dupont"))
    url = _merge_url(conserve, absorbe, "crm:profil_fusionner")
    client.force_login(agent_fusion)
    html = client.get(url).content.decode()
    assert "Éléonore DUPONT" in html and "amis@loiret.fr" in html
    response = client.post(url, {"conserver": conserve.pk})
    assert response["Location"] == reverse("crm:profil", args=[conserve.pk])
    conserve.refresh_from_db()
    assert conserve.email == "amis@loiret.fr"
    assert conserve.adhesions.get().individu.nom == "Dupont"
    assert not Profil.objects.filter(pk=absorbe.pk).exists()


def test_profils_of_different_types_are_refused(client, agent_fusion):
    association = ProfilFactory()
    foyer = ProfilFactory(type_profil=type_profil("foyer"), nature=None, rna="")
    client.force_login(agent_fusion)
    response = client.post(
        _merge_url(association, foyer, "crm:profil_fusionner"), {"conserver": association.pk}
    )
    assert response.status_code == 200
    assert "Impossible de fusionner des profils de types différents" in response.content.decode()


def test_personal_profil_is_refused(client, agent_fusion):
    individu = IndividuFactory()
    personnel = services.profil_personnel_garantir(individu=individu, by=None)
    autre = ProfilFactory(type_profil=personnel.type_profil, nature=None, rna="")
    client.force_login(agent_fusion)
    response = client.post(
        _merge_url(autre, personnel, "crm:profil_fusionner"), {"conserver": autre.pk}
    )
    assert "Un profil personnel ne peut pas être fusionné." in response.content.decode()
