"""The access matrix of the dossier pages by right (C7) and territory (C8): agents in and
out of the dossier's territoire, with and without each right on its dispositif."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dossiers.models import Dossier
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import TerritoireFactory, donner_droits

pytestmark = pytest.mark.django_db

# (territoire: "dedans", "dehors" or None = the whole collectivité; the rights on the
# dossier's dispositif; expected: list, GET page, POST (instruire), POST « mettre à la
# corbeille » (supprimer))
CAS = {
    "dedans, tous les droits": ("dedans", (), (True, 200, 302, 302)),
    "dehors, tous les droits": ("dehors", (), (False, 404, 404, 404)),
    "sous-territoire du sien": ("parent", (), (True, 200, 302, 302)),
    "toute la collectivité": (None, (), (True, 200, 302, 302)),
    "dedans, voir": ("dedans", ("voir",), (True, 200, 403, 403)),
    "dedans, instruire": ("dedans", ("instruire",), (True, 200, 302, 403)),
    "dedans, exporter": ("dedans", ("exporter",), (True, 200, 403, 403)),
    "dedans, supprimer": ("dedans", ("supprimer",), (True, 200, 403, 302)),
    "dedans, configurer": ("dedans", ("configurer",), (False, 404, 404, 404)),
    "dehors, voir": ("dehors", ("voir",), (False, 404, 404, 404)),
    "autre dispositif": ("dedans", "autre", (False, 404, 404, 404)),
}


@pytest.mark.parametrize("cas", list(CAS))
def test_dossier_pages_by_right_and_territory(client, cas):
    ou, droits, (liste, page, instruire, supprimer) = CAS[cas]
    commune = TerritoireFactory(nom="Commune")
    nord = TerritoireFactory(nom="Nord", parent=commune)
    sud = TerritoireFactory(nom="Sud", parent=commune)
    dispositif, autre = dispositif_publie(), dispositif_publie()
    dossier = deposer(dispositif)
    Dossier.objects.filter(pk=dossier.pk).update(territoire=nord)
    territoires = {"dedans": [nord], "dehors": [sud], "parent": [commune], None: []}[ou]
    agent = UserFactory(agent=True)
    agent.user_permissions.add(Permission.objects.get(codename="supprimer_dossiers"))
    if droits == "autre":
        donner_droits(agent, dispositifs=[autre], territoires=territoires)
    else:
        donner_droits(agent, *droits, dispositifs=[dispositif], territoires=territoires)
    client.force_login(agent)

    reponse = client.get(reverse("crm:dossiers"))
    assert reponse.status_code == 200
    assert (dossier.reference in reponse.content.decode()) is liste
    assert client.get(reverse("crm:dossier", args=[dossier.pk])).status_code == page
    marquer = client.post(reverse("crm:dossier_marquer", args=[dossier.pk]), {"urgent": "on"})
    assert marquer.status_code == instruire
    dossier.refresh_from_db()
    assert dossier.urgent is (instruire == 302)
    corbeille = client.post(reverse("crm:dossier_mettre_a_la_corbeille", args=[dossier.pk]))
    assert corbeille.status_code == supprimer


def test_filters_outside_the_scope_give_nothing(client):
    """A dispositif or territoire the agent has no right on, typed in the URL: an empty
    list, not the whole list, and not the foreign dossiers."""
    nord, sud = TerritoireFactory(nom="Nord"), TerritoireFactory(nom="Sud")
    mien, autre = dispositif_publie(), dispositif_publie()
    a_moi = deposer(mien)
    pas_a_moi = deposer(autre)
    au_sud = deposer(mien)
    Dossier.objects.filter(pk__in=[a_moi.pk, pas_a_moi.pk]).update(territoire=nord)
    Dossier.objects.filter(pk=au_sud.pk).update(territoire=sud)
    agent = UserFactory(agent=True)
    donner_droits(agent, dispositifs=[mien], territoires=[nord])
    client.force_login(agent)
    url = reverse("crm:dossiers")
    page = client.get(url).content.decode()
    assert a_moi.reference in page
    assert pas_a_moi.reference not in page and au_sud.reference not in page
    assert autre.titre not in page and "Sud" not in page  # not offered in the filters
    for parametres in ({"dispositif": autre.pk}, {"territoire": sud.pk}, {"dispositif": 99999}):
        page = client.get(url, parametres).content.decode()
        assert a_moi.reference not in page
        assert pas_a_moi.reference not in page and au_sud.reference not in page
    page = client.get(url, {"territoire": nord.pk}).content.decode()
    assert a_moi.reference in page


def test_the_lot_needs_instruire(client):
    dispositif = dispositif_publie()
    dossier = deposer(dispositif)
    agent = UserFactory(agent=True)
    donner_droits(agent, "voir", dispositifs=[dispositif])
    client.force_login(agent)
    reponse = client.post(reverse("crm:dossiers_lot"), {"dossiers": [dossier.pk]}, follow=True)
    assert "Sélectionnez au moins un dossier" in reponse.content.decode()


def test_the_scoped_list_costs_the_same_with_more_data(client):
    """An agent with per-dispositif rights and territoires: the list's queries do not
    grow with dossiers, dispositifs, profils or territoires."""
    from tests.queries import assert_page_budget

    commune = TerritoireFactory(nom="Commune")
    nord = TerritoireFactory(nom="Nord", parent=commune)
    dispositif = dispositif_publie()
    for _ in range(2):
        Dossier.objects.filter(pk=deposer(dispositif).pk).update(territoire=nord)
    agent = UserFactory(agent=True)
    donner_droits(agent, dispositifs=[dispositif], territoires=[commune])
    client.force_login(agent)

    def grow():
        autres = [dispositif_publie() for _ in range(3)]
        donner_droits(agent, "voir", dispositifs=autres)
        for i in range(4):
            sous = TerritoireFactory(parent=nord)
            dossier = deposer(autres[i % 3])
            Dossier.objects.filter(pk=dossier.pk).update(territoire=sous)
        for _ in range(6):
            Dossier.objects.filter(pk=deposer(dispositif).pk).update(territoire=nord)

    client.get(reverse("crm:dossiers"))
    # The list's own (filters' options, counts, rows, states, saved views, labels) + the
    # scope and the territoire filter's options: the same whatever the data.
    # + 1: the équipe and étiquette filters' options (issue 9 — tableau, one query);
    # + 1: the page's ids read apart from its rows (liste.paginer).
    assert_page_budget(client, reverse("crm:dossiers"), budget=14, grow=grow)
