"""Issue 9 — terr. A dispositif or territoire outside the agent's scope named in the
list's filters — malformed, unknown, deleted, forbidden, the parent of the agent's own —
on every place that reads them: the list, the map (page and data), the export (page,
direct file, background job), a lot from the filters, a saved view, the statistics and
the advanced search. Never a 500, never the whole list: nothing, with one message that
is the same whether the thing exists or not."""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from crm.dossiers.selection import dossiers_et_refus
from dossiers import services_exports
from dossiers.models import Dossier, Export, Territoire, VueListe
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.crm.recherche.conftest import CENTRE, situer
from tests.dossiers.factories import TerritoireFactory, donner_droits
from tests.instruction.factories import guide_publie

pytestmark = pytest.mark.django_db

LISTE = reverse("crm:dossiers")
TERRITOIRE = "Territoire inconnu ou hors de vos territoires."
DISPOSITIF = "Dispositif inconnu ou hors de vos droits."
BBOX = f"{CENTRE[1] - 0.05},{CENTRE[0] - 0.05},{CENTRE[1] + 0.05},{CENTRE[0] + 0.05}"


@pytest.fixture
def monde():
    """A commune with Nord and Sud; an agent of Nord on « mien » (not « autre »); a
    dossier of each kind, placed on the map; a territoire deleted."""
    commune = TerritoireFactory(nom="Commune")
    nord = TerritoireFactory(nom="Nord", parent=commune)
    sud = TerritoireFactory(nom="Sud", parent=commune)
    supprime = TerritoireFactory(nom="Disparu")
    supprime_pk = supprime.pk
    supprime.delete()
    mien, autre = dispositif_publie(code="MIE"), dispositif_publie(code="AUT")
    guide_publie(mien)
    statuts_autre = guide_publie(autre)
    a_moi, pas_a_moi, au_sud = deposer(mien), deposer(autre), deposer(mien)
    Dossier.objects.filter(pk__in=[a_moi.pk, pas_a_moi.pk]).update(territoire=nord)
    Dossier.objects.filter(pk=au_sud.pk).update(territoire=sud)
    for i, dossier in enumerate((a_moi, pas_a_moi, au_sud)):
        situer(dossier, CENTRE[0] + i * 0.001, CENTRE[1])
    agent = UserFactory(agent=True, email="nord@exemple.fr")
    donner_droits(agent, dispositifs=[mien], territoires=[nord])
    return {
        "commune": commune,
        "nord": nord,
        "sud": sud,
        "supprime": supprime_pk,
        "mien": mien,
        "autre": autre,
        "statuts_autre": statuts_autre,
        "a_moi": a_moi,
        "agent": agent,
    }


def _hors_portee(monde):
    """(parameters, message): every way of naming what is outside the agent's scope."""
    return [
        ({"territoire": "abc"}, TERRITOIRE),
        ({"territoire": "²"}, TERRITOIRE),
        ({"territoire": "٣"}, TERRITOIRE),
        ({"territoire": "999999"}, TERRITOIRE),
        ({"territoire": str(monde["supprime"])}, TERRITOIRE),
        ({"territoire": str(monde["sud"].pk)}, TERRITOIRE),
        ({"territoire": str(monde["commune"].pk)}, TERRITOIRE),  # above the agent's
        ({"dispositif": "abc"}, DISPOSITIF),
        ({"dispositif": "²"}, DISPOSITIF),
        ({"dispositif": "999999"}, DISPOSITIF),
        ({"dispositif": str(monde["autre"].pk)}, DISPOSITIF),
    ]


def _refs(reponse) -> list[str]:
    assert reponse.status_code == 200, reponse.status_code
    return [d.reference for d, _etat, _cellules in reponse.context["lignes"]]


def test_the_list_shows_nothing_and_says_so_beside_the_filter(client, monde):
    client.force_login(monde["agent"])
    assert _refs(client.get(LISTE)) == [monde["a_moi"].reference]
    assert _refs(client.get(LISTE, {"territoire": monde["nord"].pk})) == [monde["a_moi"].reference]
    for parametres, message in _hors_portee(monde):
        reponse = client.get(LISTE, parametres)
        assert _refs(reponse) == [], parametres
        nom = next(iter(parametres))
        assert reponse.context["form"].errors[nom] == [message], parametres
        html = reponse.content.decode()
        assert message in html
        # Nothing of what lies outside is named: not Sud, not the other dispositif.
        assert "Sud" not in html and monde["autre"].titre not in html, parametres


def test_a_forbidden_dispositif_shows_none_of_its_statuts_or_fields(client, monde):
    """The filters depending on the dispositif (étape, statut, form field) are not filled
    with a forbidden dispositif's guide or form."""
    client.force_login(monde["agent"])
    autre = monde["autre"]
    for parametres in ({"dispositif": autre.pk}, {"dispositif": autre.pk, "partiel": "dependants"}):
        html = client.get(LISTE, parametres, headers={"HX-Request": "true"}).content.decode()
        assert "En instruction" not in html and "montant" not in html, parametres
        assert "Choisissez d’abord un dispositif" in html or "Choisissez d&#x27;abord" in html


def test_a_collectivite_without_territoires_still_refuses_a_forged_one(client, instructeur):
    dispositif = dispositif_publie()
    dossier = deposer(dispositif)
    client.force_login(instructeur)
    assert _refs(client.get(LISTE)) == [dossier.reference]
    reponse = client.get(LISTE, {"territoire": "12"})
    assert _refs(reponse) == [] and TERRITOIRE in reponse.content.decode()
    assert dossiers_et_refus(instructeur, "territoire=12")[1] == [TERRITOIRE]
    assert not dossiers_et_refus(instructeur, "territoire=12")[0].exists()


def test_the_map_page_and_its_data_show_nothing_and_say_so(client, monde):
    client.force_login(monde["agent"])
    donnees = reverse("crm:carte_donnees")
    tout = client.get(donnees, {"bbox": BBOX, "zoom": "14"}).json()
    assert tout["total"] == 1 and tout["refus"] == []
    for parametres, message in _hors_portee(monde):
        reponse = client.get(donnees, {"bbox": BBOX, "zoom": "14", **parametres})
        assert reponse.status_code == 200, parametres
        assert reponse.json()["total"] == 0 and reponse.json()["points"] == [], parametres
        assert reponse.json()["refus"] == [message], parametres
        page = client.get(reverse("crm:carte"), parametres)
        assert page.status_code == 200, parametres
        html = page.content.decode()
        assert message in html and monde["a_moi"].reference not in html, parametres


def _exporter(client, filtres):
    return client.post(
        reverse("crm:dossiers_exporter"),
        {"filtres": filtres, "format": "csv", "colonnes": ["reference"], "libelles": "libelles"},
    )


@pytest.mark.parametrize("format_", ["csv", "json", "geojson", "ics", "xlsx", "ods"])
def test_every_export_format_is_refused_with_the_message(client, monde, format_):
    client.force_login(monde["agent"])
    for parametres, message in _hors_portee(monde):
        filtres = urlencode(parametres)
        page = client.get(reverse("crm:dossiers_exporter"), {"filtres": filtres})
        assert page.status_code == 200 and page.context["total"] == 0, parametres
        assert message in page.content.decode(), parametres
        reponse = client.post(
            reverse("crm:dossiers_exporter"),
            {
                "filtres": filtres,
                "format": format_,
                "colonnes": ["reference"],
                "libelles": "libelles",
            },
        )
        assert reponse.status_code == 400, parametres
        assert message in reponse.content.decode(), parametres
    assert not Export.objects.exists()
    # Within the scope the export holds the agent's dossier.
    reponse = _exporter(client, urlencode({"territoire": monde["nord"].pk}))
    assert reponse.status_code == 200
    contenu = b"".join(reponse.streaming_content).decode("utf-8-sig")
    lignes = list(csv.reader(io.StringIO(contenu), delimiter=";"))
    assert [ligne[0] for ligne in lignes[1:]] == [monde["a_moi"].reference]


def test_a_background_export_whose_filters_fell_outside_exports_nothing(monde, settings):
    """A job asked within the scope, run after the agent lost that territoire: the
    worker selects again through the scope and writes no dossier, not the whole list."""
    settings.GUICHET_EXPORT_SEUIL = 0
    agent = monde["agent"]
    export = services_exports.export_demander(
        agent=agent,
        format_="csv",
        source="liste_crm",
        filtres=urlencode({"territoire": monde["nord"].pk}),
        parametres={"colonnes": ["reference"]},
    )
    monde["nord"].agents.remove(agent)
    monde["sud"].agents.add(agent)
    # The worker reads the agent afresh (its scope is not the request's).
    services_exports.export_executer(export.pk)
    export.refresh_from_db()
    assert export.etat == Export.Etat.TERMINE and export.total == 0
    with export.fichier.open("rb") as fichier:
        contenu = fichier.read().decode("utf-8-sig")
    assert monde["a_moi"].reference not in contenu
    assert len(list(csv.reader(io.StringIO(contenu), delimiter=";"))) == 1  # the header


def test_a_lot_from_such_filters_is_refused_with_the_message(client, monde):
    client.force_login(monde["agent"])
    nouveau = reverse("crm:lot_nouveau")
    for parametres, message in _hors_portee(monde):
        filtres = urlencode(parametres)
        reponse = client.get(nouveau, {"filtres": filtres})
        assert reponse.status_code == 302, parametres
        assert reponse["Location"] == f"{LISTE}?{filtres}", parametres
        suite = client.get(reponse["Location"])
        html = suite.content.decode()
        assert f"Le lot n’est pas créé : {message}" in html or message in html, parametres
        assert _refs(suite) == [], parametres
    # Within the scope the lot is offered on the agent's dossier.
    reponse = client.get(nouveau, {"filtres": urlencode({"territoire": monde["nord"].pk})})
    assert reponse.status_code == 200 and reponse.context["total"] == 1


def test_a_lot_with_a_forged_newline_in_its_filters_never_500(client, monde):
    client.force_login(monde["agent"])
    reponse = client.get(reverse("crm:lot_nouveau"), {"filtres": "territoire=x\r\nSet-Cookie: a"})
    assert reponse.status_code == 302 and "\n" not in reponse["Location"]


def test_a_shared_view_naming_another_territoire_lists_nothing(client, monde):
    """A colleague's shared view on Sud: opened by the agent of Nord, nothing listed and
    the message — not the agent's whole list under the view's name."""
    collegue = UserFactory(agent=True)
    donner_droits(collegue)
    sud = VueListe.objects.create(
        agent=collegue, nom="Le sud", partagee=True, filtres={"territoire": [monde["sud"].pk]}
    )
    disparu = VueListe.objects.create(
        agent=monde["agent"], nom="Disparu", filtres={"territoire": [str(monde["supprime"])]}
    )
    client.force_login(monde["agent"])
    for vue in (sud, disparu):
        reponse = client.get(LISTE, {"vue": vue.pk})
        assert _refs(reponse) == [], vue.nom
        assert TERRITOIRE in reponse.content.decode(), vue.nom
        # The export and the map of the view hold nothing either.
        assert dossiers_et_refus(monde["agent"], f"vue={vue.pk}")[1] == [TERRITOIRE]
        carte = client.get(
            reverse("crm:carte_donnees"), {"bbox": BBOX, "zoom": "14", "vue": vue.pk}
        )
        assert carte.json()["total"] == 0, vue.nom


def test_statistics_offer_only_the_agents_dispositifs_and_count_nothing_for_another(client, monde):
    client.force_login(monde["agent"])
    url = reverse("crm:statistiques")
    page = client.get(url)
    assert monde["autre"].titre not in page.content.decode()
    assert page.context["tableau"].total.deposes == 1
    for valeur in (monde["autre"].pk, 999999, "abc", "²"):
        reponse = client.get(url, {"dispositif": valeur})
        assert reponse.status_code == 200, valeur
        assert DISPOSITIF in reponse.content.decode(), valeur
        assert reponse.context["tableau"].total.deposes == 0, valeur
        assert client.get(url, {"dispositif": valeur, "format": "csv"}).status_code == 200


def test_the_advanced_search_and_the_export_offer_only_the_agents_dispositifs(client, monde):
    client.force_login(monde["agent"])
    recherche = client.get(reverse("crm:recherche_avancee")).content.decode()
    assert monde["mien"].titre in recherche and monde["autre"].titre not in recherche
    refus = client.get(
        reverse("crm:recherche_avancee"), {"categorie": "dossiers", "dispositif": monde["autre"].pk}
    )
    assert refus.status_code == 200 and DISPOSITIF in refus.content.decode()
    export = client.get(reverse("crm:dossiers_exporter")).content.decode()
    assert monde["autre"].titre not in export
    ailleurs = client.get(reverse("crm:dossiers_exporter"), {"dispositif": monde["autre"].pk})
    assert ailleurs.status_code == 200 and ailleurs.context["dispositif"] is None


def test_the_scoped_parse_costs_no_query_more(client, monde, django_assert_max_num_queries):
    """Refusing reads nothing more than filtering: the scope and the territoires' tree
    are read once per request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(monde["agent"])
    client.get(LISTE)
    with CaptureQueriesContext(connection) as dedans:
        client.get(LISTE, {"territoire": monde["nord"].pk})
    with CaptureQueriesContext(connection) as dehors:
        client.get(LISTE, {"territoire": monde["sud"].pk})
    assert len(dehors) <= len(dedans)
    assert Territoire.objects.filter(pk=monde["supprime"]).count() == 0
