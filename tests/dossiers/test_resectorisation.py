"""Incremental re-sectorisation (C8): after an edit of secteurs or of the tree, only the
dossiers the change may move are sectorised again — their address names one of the
changed codes (old or new), has coordinates in a changed polygon's box (old or new), or
they are in a changed territoire — and the result equals a full run."""

import pytest
from django.urls import reverse

from dossiers import services_territoires as st
from dossiers.models import Dossier, Secteur, Territoire
from dossiers.tasks import sectoriser_task
from tests.accounts.factories import UserFactory
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.dossiers.factories import TerritoireFactory
from tests.usagers.factories import IndividuFactory

pytestmark = pytest.mark.django_db


def _carre(x: float, y: float, cote: float = 0.01) -> dict:
    anneau = [[x, y], [x + cote, y], [x + cote, y + cote], [x, y + cote], [x, y]]
    return {"type": "Polygon", "coordinates": [anneau]}


NOMS = {"18026": "Belleville-sur-Loire", "18125": "Léré", "45234": "Orléans"}


def _adresse(code_insee, code_postal, lon=None, lat=None, commune=""):
    commune = commune or NOMS[code_insee]
    adresse = {"numero_voie": "1 rue Haute", "code_postal": code_postal, "commune": commune}
    if code_insee:
        adresse["code_insee"] = code_insee
    if lon is not None:
        adresse |= {"lon": lon, "lat": lat}
    return adresse


@pytest.fixture
def monde(db):
    """Belleville (commune 18026) with its quartier (a polygon), Léré (18125), Orléans
    (postal code 45000); dossiers in each, one typed by hand, one by the demandeur's
    address, one without any."""
    dispositif = dispositif_publie(
        code="SECT", champs=(("nom", "Nom", "texte"), ("adresse", "Adresse", "adresse"))
    )
    belleville = TerritoireFactory(nom="Belleville")
    Secteur.objects.create(territoire=belleville, nature="commune", code_insee="18026")
    quartier = TerritoireFactory(nom="Quartier", parent=belleville)
    Secteur.objects.create(territoire=quartier, nature="polygone", polygone=_carre(2.84, 47.49))
    lere = TerritoireFactory(nom="Léré")
    Secteur.objects.create(territoire=lere, nature="commune", code_insee="18125")
    orleans = TerritoireFactory(nom="Orléans")
    Secteur.objects.create(territoire=orleans, nature="code_postal", code_postal="45000")

    def dossier(adresse=None, individu=None):
        # Stored as given (the field's own cleaning would geocode it with the fake BAN).
        dossier = deposer(dispositif, donnees={"nom": "Martin"}, individu=individu)
        if adresse:
            Dossier.objects.filter(pk=dossier.pk).update(
                donnees={"nom": "Martin", "adresse": adresse}
            )
        return dossier

    dossiers = {
        "centre": dossier(_adresse("18026", "18240", 2.8522, 47.5014)),
        "quartier": dossier(_adresse("18026", "18240", 2.845, 47.495)),
        "lere": dossier(_adresse("18125", "18240", 2.87, 47.47)),
        "a_la_main": dossier(_adresse("", "18240", commune="Boulleret")),
        "orleans": dossier(_adresse("45234", "45000", 1.909, 47.902)),
        "orleans_2": dossier(_adresse("45234", "45000", 1.91, 47.9)),
        "demandeur": dossier(
            individu=IndividuFactory(code_postal="18240", commune="Léré", code_insee="18125")
        ),
        "nulle_part": dossier(),
    }
    st.sectoriser_dossiers(Dossier.objects.all())
    for d in dossiers.values():
        d.refresh_from_db()
    return {
        "belleville": belleville,
        "quartier": quartier,
        "lere": lere,
        "orleans": orleans,
        "dossiers": dossiers,
    }


def _territoires() -> dict[int, int | None]:
    return dict(Dossier.objects.values_list("pk", "territoire_id"))


def _comme_un_passage_complet() -> None:
    """The territoires as a full run would give them (computed, not written)."""
    attendus = {
        d.pk: st.territoire_du_dossier(d)
        for d in Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON)
    }
    assert _territoires() == attendus


def test_the_fixture_is_sectorised(monde):
    d = monde["dossiers"]
    assert d["centre"].territoire == monde["belleville"]
    assert d["quartier"].territoire == monde["quartier"]
    assert d["lere"].territoire == monde["lere"] == d["demandeur"].territoire
    assert d["orleans"].territoire == monde["orleans"]
    assert d["a_la_main"].territoire is None and d["nulle_part"].territoire is None


def test_only_the_dossiers_a_change_may_move_are_candidates(monde):
    d = monde["dossiers"]
    # A polygon moved: its old and new boxes, and the dossiers of its territoire.
    avant = st.releve([monde["quartier"].pk])
    Secteur.objects.filter(territoire=monde["quartier"]).update(polygone=_carre(2.865, 47.465))
    empreinte = st.empreinte_changement(avant, st.releve([monde["quartier"].pk]))
    assert set(st.dossiers_concernes(empreinte)) == {d["quartier"], d["lere"]}
    # A commune: its code, and its postal codes (an address typed without the code).
    empreinte = st.empreinte_des_secteurs([(monde["lere"].pk, "commune", "18032", "", None)])
    assert "18240" in empreinte.codes_postaux
    assert set(st.dossiers_concernes(empreinte)) == {
        d[k] for k in ("centre", "quartier", "lere", "a_la_main", "demandeur")
    }
    # A postal code of elsewhere.
    empreinte = st.empreinte_des_secteurs([(monde["orleans"].pk, "code_postal", "", "45000", None)])
    assert set(st.dossiers_concernes(empreinte)) == {d["orleans"], d["orleans_2"]}
    assert not st.dossiers_concernes(st.Empreinte()).exists()


def test_unrelated_dossiers_are_not_rewritten(monde, django_capture_on_commit_callbacks):
    d = monde["dossiers"]
    # Orléans' dossiers left stale on purpose: a full run would fix them, an edit in
    # Belleville must not even look at them.
    Dossier.objects.filter(pk__in=[d["orleans"].pk, d["orleans_2"].pk]).update(territoire=None)
    intouches = dict(
        Dossier.objects.filter(pk__in=[d["orleans"].pk, d["lere"].pk]).values_list(
            "pk", "updated_at"
        )
    )
    with (
        django_capture_on_commit_callbacks(execute=True),
        st.suivre_secteurs([monde["quartier"].pk]) as suivi,
    ):
        Secteur.objects.filter(territoire=monde["quartier"]).update(
            polygone=_carre(2.8515, 47.5005)
        )
    assert suivi.empreinte.territoires == {monde["quartier"].pk}
    d["centre"].refresh_from_db()
    d["quartier"].refresh_from_db()
    assert d["centre"].territoire == monde["quartier"]  # now inside the moved polygon
    assert d["quartier"].territoire == monde["belleville"]  # left it: the commune
    assert (
        dict(Dossier.objects.filter(pk__in=intouches).values_list("pk", "updated_at")) == intouches
    )
    assert Dossier.objects.get(pk=d["orleans"].pk).territoire is None
    # The full run (the CRM's « Sectoriser » button) fixes the stale ones.
    assert sectoriser_task() == 2


def test_every_kind_of_edit_gives_what_a_full_run_gives(monde, django_capture_on_commit_callbacks):
    belleville, quartier, lere = monde["belleville"], monde["quartier"], monde["lere"]

    def editer(ids, changement):
        with django_capture_on_commit_callbacks(execute=True), st.suivre_secteurs(ids):
            changement()
        _comme_un_passage_complet()

    # A commune secteur changes code (Belleville becomes Léré's commune too).
    editer(
        [belleville.pk],
        lambda: Secteur.objects.filter(territoire=belleville).update(code_insee="18125"),
    )
    # Two communes secteurs for Léré's dossier, same depth: the smaller id, Belleville.
    assert Dossier.objects.get(pk=monde["dossiers"]["lere"].pk).territoire == belleville
    # A postal code narrowed to Boulleret: the address typed by hand joins it.
    voisines = TerritoireFactory(nom="Voisines")
    editer(
        [voisines.pk],
        lambda: Secteur.objects.create(
            territoire=voisines, nature="code_postal", code_postal="18240", code_insee="18032"
        ),
    )
    assert Dossier.objects.get(pk=monde["dossiers"]["a_la_main"].pk).territoire == voisines
    # The quartier moves under Léré (depths change), then becomes top level.
    editer([quartier.pk], lambda: Territoire.objects.filter(pk=quartier.pk).update(parent=lere))
    editer([quartier.pk], lambda: Territoire.objects.filter(pk=quartier.pk).update(parent=None))
    # A secteur deleted, then a whole territoire.
    editer([lere.pk], lambda: Secteur.objects.filter(territoire=lere).delete())
    editer([quartier.pk], lambda: Territoire.objects.filter(pk=quartier.pk).delete())
    # Its dossier lost it (SET_NULL) and matches nothing now: Belleville's commune secteur
    # names Léré since the first edit.
    assert Dossier.objects.get(pk=monde["dossiers"]["quartier"].pk).territoire is None


def test_the_empreinte_survives_the_task_queue(monde):
    empreinte = st.empreinte_territoires([monde["belleville"].pk])
    assert empreinte.territoires == {monde["belleville"].pk, monde["quartier"].pk}
    assert st.Empreinte.depuis_json(empreinte.en_json()) == empreinte
    Dossier.objects.filter(pk=monde["dossiers"]["centre"].pk).update(territoire=None)
    assert sectoriser_task(empreinte.en_json()) == 1


def test_the_crm_screen_resectorises_only_around_the_edit(
    client, monde, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission

    gestionnaire = UserFactory(agent=True)
    gestionnaire.user_permissions.add(Permission.objects.get(codename="gerer_droits"))
    client.force_login(gestionnaire)
    d = monde["dossiers"]
    Dossier.objects.filter(pk=d["orleans"].pk).update(territoire=None)  # stale, unrelated
    quartier = monde["quartier"]
    secteur = Secteur.objects.get(territoire=quartier)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("crm:droits_territoire", args=[quartier.pk]),
            {
                "nom": quartier.nom,
                "code": quartier.code,
                "type": quartier.type_id,
                "parent": monde["belleville"].pk,
                "secteurs-TOTAL_FORMS": "1",
                "secteurs-INITIAL_FORMS": "1",
                "secteurs-0-id": secteur.pk,
                "secteurs-0-nature": "polygone",
                "secteurs-0-polygone": '{"type": "Polygon", "coordinates": '
                "[[[2.85, 47.5], [2.855, 47.5], [2.855, 47.505], [2.85, 47.505], [2.85, 47.5]]]}",
            },
        )
    assert reponse.status_code == 302
    assert Dossier.objects.get(pk=d["centre"].pk).territoire == quartier
    assert Dossier.objects.get(pk=d["orleans"].pk).territoire is None


def test_the_admin_resectorises_around_the_edit_too(
    admin_client, monde, django_capture_on_commit_callbacks
):
    d = monde["dossiers"]
    Dossier.objects.filter(pk=d["orleans"].pk).update(territoire=None)  # stale, unrelated
    secteur = Secteur.objects.get(territoire=monde["quartier"])
    with django_capture_on_commit_callbacks(execute=True):
        reponse = admin_client.post(
            reverse("admin:dossiers_secteur_change", args=[secteur.pk]),
            {
                "territoire": monde["quartier"].pk,
                "nature": "polygone",
                "libelle": "",
                "code_insee": "",
                "code_postal": "",
                "polygone": '{"type": "Polygon", "coordinates": '
                "[[[2.85, 47.5], [2.855, 47.5], [2.855, 47.505], [2.85, 47.505], [2.85, 47.5]]]}",
            },
        )
    assert reponse.status_code == 302
    assert Dossier.objects.get(pk=d["centre"].pk).territoire == monde["quartier"]
    assert Dossier.objects.get(pk=d["quartier"].pk).territoire == monde["belleville"]
    assert Dossier.objects.get(pk=d["orleans"].pk).territoire is None
    # Deleting it: its dossier goes back to the commune.
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:dossiers_secteur_delete", args=[secteur.pk]), {"post": "yes"}
        )
    assert Dossier.objects.get(pk=d["centre"].pk).territoire == monde["belleville"]
