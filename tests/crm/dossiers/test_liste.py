"""The CRM dossier list (C2, C15): each filter, the sorts, keyset paging (no duplicate,
no gap, equal sort keys included), the capped counts, bad input, the query budget."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers import liste
from dossiers.models import Dossier
from instruction import services as instruction_services
from instruction.models import SuiviInstruction
from tests.crm.dossiers.conftest import deposer, dispositif_publie
from tests.instruction.factories import guide_publie
from tests.usagers.factories import IndividuFactory

pytestmark = pytest.mark.django_db

URL = "/crm/dossiers/"


def _refs(reponse) -> list[str]:
    """The references listed, in order (the page's links to the dossiers)."""
    assert reponse.status_code == 200, reponse.status_code
    return [d.reference for d, _etat, _cellules in reponse.context["lignes"]]


def cloner(modele_dossier, n, *, depose_le=None, **champs) -> list[Dossier]:
    """`n` filed dossiers like `modele_dossier` in one insert (same deposit time by
    default: equal sort keys)."""
    depose_le = depose_le or modele_dossier.depose_le
    base = Dossier.objects.count()
    dossiers = Dossier.objects.bulk_create(
        [
            Dossier(
                dispositif_id=modele_dossier.dispositif_id,
                modele_id=modele_dossier.modele_id,
                statut=Dossier.Statut.DEPOSE,
                reference=f"CLONE-{base + i:06d}",
                depose_le=depose_le,
                donnees=modele_dossier.donnees,
                **champs,
            )
            for i in range(n)
        ]
    )
    return dossiers


@pytest.fixture
def instruits(instructeur):
    """Two dispositifs, the first with a guide: four dossiers in various states."""
    d1 = dispositif_publie(code="CUL")
    statuts = guide_publie(d1)
    d2 = dispositif_publie(
        code="SPO", champs=(("nom", "Nom", "texte"), ("date_evt", "Date", "date"))
    )
    a = deposer(d1, individu=IndividuFactory(nom="Durand"), donnees={"nom": "A", "montant": 300})
    b = deposer(
        d1, individu=IndividuFactory(nom="Lefèvre"), donnees={"nom": "B", "montant": "1200.5"}
    )
    c = deposer(
        d2, individu=IndividuFactory(nom="Martin"), donnees={"nom": "C", "date_evt": "2026-05-01"}
    )
    d = deposer(
        d2, individu=IndividuFactory(nom="Petit"), donnees={"nom": "", "date_evt": "2026-09-12"}
    )
    instruction_services.change_status(dossier=b, statut=statuts["instruction"], by=instructeur)
    # `a` waits in « Dépôt » (5 days' target) for 10 days: late.
    il_y_a = timezone.now() - timedelta(days=10)
    SuiviInstruction.objects.filter(dossier=a).update(etape_entree_le=il_y_a)
    instruction_services.echeances_recalculer(dossier_ids=[a.pk])
    Dossier.objects.filter(pk=a.pk).update(agent=instructeur, urgent=True, prioritaire=True)
    Dossier.objects.filter(pk=c.pk).update(urgent=True)
    Dossier.objects.filter(pk=d.pk).update(depose_le=timezone.now() - timedelta(days=40))
    return {"d1": d1, "d2": d2, "statuts": statuts, "a": a, "b": b, "c": c, "d": d}


def test_each_filter(client, instructeur, instruits):
    client.force_login(instructeur)
    a, b, c, d = (instruits[k].reference for k in "abcd")
    d1, d2 = instruits["d1"].pk, instruits["d2"].pk

    def refs(**params):
        return set(_refs(client.get(URL, params)))

    assert refs() == {a, b, c, d}
    assert refs(q="lefevre") == {b}
    assert refs(dispositif=d2) == {c, d}
    assert refs(attribution="moi") == {a}
    assert refs(attribution="aucun") == {b, c, d}
    assert refs(attribution=str(instructeur.pk)) == {a}
    assert refs(drapeau="urgent") == {a, c}
    assert client.get(URL, {"drapeau": ["urgent", "prioritaire"]}).context is not None
    assert set(_refs(client.get(URL, {"drapeau": ["urgent", "prioritaire"]}))) == {a}
    jour = timezone.localdate()
    assert refs(depose_du=(jour - timedelta(days=1)).isoformat()) == {a, b, c}
    assert refs(depose_au=(jour - timedelta(days=30)).isoformat()) == {d}
    assert refs(en_retard="on") == {a}
    assert refs(dispositif=d1, etape="Instruction") == {b}
    assert refs(dispositif=d1, statut="depose") == {a}
    # A field of the form model (JSONB): equality (number or text), contains,
    # comparisons (numbers, ISO dates), filled or not.
    assert refs(dispositif=d1, champ="montant", operateur="egal", valeur="300") == {a}
    assert refs(dispositif=d1, champ="montant", operateur="superieur", valeur="1000") == {b}
    assert refs(dispositif=d1, champ="montant", operateur="inferieur", valeur="1 000") == {a}
    assert refs(dispositif=d1, champ="nom", operateur="different", valeur="A") == {b}
    assert refs(champ="nom", operateur="contient", valeur="c") == {c}
    assert refs(dispositif=d2, champ="date_evt", operateur="superieur", valeur="01/06/2026") == {d}
    assert refs(dispositif=d2, champ="nom", operateur="vide") == {d}
    assert refs(dispositif=d2, champ="nom", operateur="renseigne") == {c}


def test_statut_filter_reads_the_dossier_copy_across_versions(
    client, instructeur, instruits, django_assert_max_num_queries
):
    """« Statut » and « Étape » match the dossier's own copy of its statut
    (Dossier.tri_statut, no join of the suivi): a dossier still on the first version of
    the guide and one on the next, published since, share the code; the filter reads
    the statuts' ids once, whatever the rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(instructeur)
    d1, a = instruits["d1"], instruits["a"]
    v2 = instruction_services.version_copier(version=instruits["statuts"]["depose"].version)
    instruction_services.version_publier(version=v2, forcer=True)
    nouveau = deposer(d1, individu=IndividuFactory(nom="Nouveau"), donnees={"nom": "N"})
    nouveau.refresh_from_db()
    a.refresh_from_db()
    assert None is not nouveau.tri_statut != a.tri_statut is not None  # two versions
    params = {"dispositif": d1.pk, "statut": "depose"}
    assert set(_refs(client.get(URL, params))) == {a.reference, nouveau.reference}
    etape = {"dispositif": d1.pk, "etape": "Dépôt"}
    assert set(_refs(client.get(URL, etape))) == {a.reference, nouveau.reference}
    with CaptureQueriesContext(connection) as capture:
        client.get(URL, params)
    listes = [q["sql"] for q in capture.captured_queries if '"dossiers_dossier"' in q["sql"]]
    assert listes and not any("instruction_suiviinstruction" in sql for sql in listes)
    cloner(a, 40, tri_statut=a.tri_statut)
    with django_assert_max_num_queries(len(capture)):
        assert len(_refs(client.get(URL, params))) == liste.PAR_PAGE


def test_filter_options_follow_the_dispositif(client, instructeur, instruits):
    client.force_login(instructeur)
    form = client.get(URL).context["form"]
    assert [c for c, _l in form.fields["statut"].choices] == [""]
    form = client.get(URL, {"dispositif": instruits["d1"].pk}).context["form"]
    assert "instruction" in [c for c, _l in form.fields["statut"].choices]
    assert "Instruction" in [c for c, _l in form.fields["etape"].choices]
    assert "montant" in [c for c, _l in form.fields["champ"].choices]
    assert "champ:montant" in [c for c, _l in form.fields["colonnes"].choices]
    # htmx: only the dependent filters come back
    partiel = client.get(
        URL, {"dispositif": instruits["d1"].pk, "partiel": "dependants"}, HTTP_HX_REQUEST="true"
    )
    html = partiel.content.decode()
    assert 'id="liste-dependants"' in html and "<h1" not in html and "En instruction" in html


def test_forged_ids_yield_nothing_and_reveal_nothing(client, instructeur, instruits):
    client.force_login(instructeur)
    for params in (
        {"statut": "inexistant"},
        {"etape": "Nulle part"},
        {"attribution": "999999"},
        {"dispositif": instruits["d2"].pk, "statut": "instruction"},
    ):
        reponse = client.get(URL, params)
        assert _refs(reponse) == [], params
        assert not reponse.context["form"].errors, params
    # A dispositif outside the scope says so, with the message an existing but
    # forbidden one gets too (tests/crm/dossiers/test_filtres_hors_portee.py).
    reponse = client.get(URL, {"dispositif": "999999"})
    assert _refs(reponse) == []
    assert reponse.context["form"].errors == {
        "dispositif": ["Dispositif inconnu ou hors de vos droits."]
    }


def test_custom_field_bad_input_is_shown_beside_the_field(client, instructeur, instruits):
    client.force_login(instructeur)
    reponse = client.get(
        URL,
        {
            "dispositif": instruits["d1"].pk,
            "champ": "montant",
            "operateur": "superieur",
            "valeur": "beaucoup",
        },
    )
    assert "Saisissez un nombre ou une date" in reponse.content.decode()
    assert 'value="beaucoup"' in reponse.content.decode()  # typed input kept
    assert len(_refs(reponse)) == 2  # the other filters still apply


@pytest.mark.parametrize(
    "tri,attendu",
    [
        ("reference", "abcd"),
        ("-reference", "dcba"),
        ("-depose_le", "cbad"),
        ("depose_le", "dabc"),
        ("echeance", "abcd"),
        ("avancement", "cdab"),
    ],
)
def test_sorts(client, instructeur, instruits, tri, attendu):
    client.force_login(instructeur)
    for cle in "abc":
        # Distinct deposit times (a before b before c), d 40 days ago.
        Dossier.objects.filter(pk=instruits[cle].pk).update(
            depose_le=timezone.now() - timedelta(hours=3 - "abc".index(cle))
        )
    refs = _refs(client.get(URL, {"tri": tri}))
    ordre = {instruits[k].reference: k for k in "abcd"}
    obtenu = "".join(ordre[r] for r in refs)
    if tri == "echeance":
        # a is late (earliest échéance), b has one (30 days), c and d none: by pk.
        assert obtenu[:2] == "ab" and set(obtenu[2:]) == {"c", "d"}
    elif tri == "avancement":
        # Without a guide first (c, d), then Dépôt (a), then Instruction (b).
        assert set(obtenu[:2]) == {"c", "d"} and obtenu[2:] == "ab"
    else:
        assert obtenu == attendu


def _suivre(client, reponse, sens="apres"):
    page = reponse.context["page"]
    curseur = page.suivant if sens == "apres" else page.precedent
    if curseur is None:
        return None
    html = reponse.content.decode()
    assert f"{sens}={curseur}" in html
    numero = page.numero + (1 if sens == "apres" else -1)
    assert f"p={numero}" in html
    return client.get(URL, {**_params(reponse), sens: curseur, "p": numero})


def _params(reponse):
    return dict(parse_qs(reponse.context["parametres"]).items())


@pytest.mark.parametrize("tri", ["-depose_le", "reference", "dispositif", "-echeance"])
def test_keyset_pages_have_no_duplicate_nor_gap(client, instructeur, dossier, tri):
    """65 dossiers with the same deposit time: walked forwards then backwards."""
    cloner(dossier, 64)
    client.force_login(instructeur)
    pages, reponse = [], client.get(URL, {"tri": tri})
    while reponse is not None:
        pages.append(_refs(reponse))
        reponse_suivante = _suivre(client, reponse)
        if reponse_suivante is None:
            break
        reponse = reponse_suivante
    assert [len(p) for p in pages] == [30, 30, 5]
    vus = [r for p in pages for r in p]
    assert len(vus) == len(set(vus)) == Dossier.objects.count() == 65
    assert reponse.context["page"].numero == 3
    # Backwards from the last page: the same pages.
    precedente = _suivre(client, reponse, "avant")
    assert _refs(precedente) == pages[1]
    premiere = _suivre(client, precedente, "avant")
    assert _refs(premiere) == pages[0]
    assert premiere.context["page"].precedent is None


def test_page_number_jump_is_bounded(client, instructeur, dossier):
    cloner(dossier, 64)
    client.force_login(instructeur)
    tous = _refs(client.get(URL, {"tri": "reference"}))
    assert _refs(client.get(URL, {"tri": "reference", "page": "2"}))[0] not in tous
    troisieme = client.get(URL, {"tri": "reference", "page": "3"})
    assert len(_refs(troisieme)) == 5 and troisieme.context["page"].numero == 3
    loin = client.get(URL, {"page": "999999"})
    assert loin.context["page"].numero == liste.PAGE_MAX and loin.context["page"].numero_borne
    assert _refs(loin) == []


def test_counts_one_query_and_capped(client, instructeur, instruits, monkeypatch):
    client.force_login(instructeur)
    comptes = client.get(URL).context["comptes"]
    assert comptes == {"total": 4, "en_retard": 1, "non_attribues": 3, "miens": 1}
    assert client.get(URL, {"dispositif": instruits["d2"].pk}).context["comptes"]["total"] == 2
    monkeypatch.setattr(liste, "PLAFOND_COMPTE", 2)
    reponse = client.get(URL)
    assert reponse.context["comptes"]["total"] == 3
    assert "Plus de 2 dossiers" in reponse.content.decode()


GARBAGE = ["abc", "-1", "9" * 40, "\x00", "' OR 1=1 --", "é" * 300, "[]", "{}"]


@pytest.mark.parametrize("valeur", GARBAGE)
def test_garbage_in_every_parameter_never_500(client, instructeur, instruits, valeur):
    client.force_login(instructeur)
    noms = [
        "q", "dispositif", "etape", "statut", "en_retard", "attribution", "drapeau",
        "depose_du", "depose_au", "champ", "operateur", "valeur", "tri", "colonnes",
        "apres", "avant", "page", "p", "vue", "partiel",
        "equipe", "etiquette",  # issue 9 — tableau
    ]  # fmt: skip
    for nom in noms:
        reponse = client.get(URL, {nom: valeur, "dispositif": instruits["d1"].pk})
        assert reponse.status_code == 200, (nom, valeur)
    tout = dict.fromkeys(noms, valeur)
    assert client.get(URL, tout).status_code == 200
    assert (
        client.get(URL, {**tout, "champ": "montant", "operateur": "superieur"}).status_code == 200
    )


def test_query_budget_constant_page_one_and_deep(
    client, instructeur, dossier, django_assert_max_num_queries
):
    """With 10 then 60 dossiers, page 1 and a deep page (cursor) of a filtered list with
    a form field's column take the same number of queries."""
    client.force_login(instructeur)
    params = {
        "dispositif": dossier.dispositif_id,
        "colonnes": ["reference", "etat", "echeance", "agent", "champ:montant"],
        "tri": "reference",
    }
    client.get(URL, params)  # the session is read once
    comptes = []
    for taille in (10, 60):
        cloner(dossier, taille - Dossier.objects.count(), agent=instructeur)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as premiere:
            reponse = client.get(URL, params)
        curseur = reponse.context["page"].suivant or ""
        with CaptureQueriesContext(connection) as profonde:
            assert client.get(URL, {**params, "apres": curseur}).status_code == 200
        comptes.append((len(premiere), len(profonde)))
    assert comptes[0] == comptes[1], comptes
    # 14 when written; + 1 for the page's ids read apart from its rows (liste.paginer).
    with django_assert_max_num_queries(17):
        client.get(URL, params)


def test_lot_checkboxes_still_post_to_the_bulk_move(client, instructeur, dossier):
    client.force_login(instructeur)
    html = client.get(URL).content.decode()
    assert f'action="{reverse("crm:dossiers_lot")}"' in html
    assert f'name="dossiers" value="{dossier.pk}"' in html


def test_urls_parse(client, instructeur, dossier):
    client.force_login(instructeur)
    reponse = client.get(URL, {"tri": "-reference", "q": "x"})
    assert parse_qs(urlparse("?" + reponse.context["parametres"]).query)["tri"] == ["-reference"]
