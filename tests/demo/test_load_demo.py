import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import User
from demo.management.commands.load_demo import DEMO_PASSWORD
from usagers.models import Individu, Membre, Profil

pytestmark = pytest.mark.django_db


def _counts():
    from django.apps import apps

    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def test_load_demo_is_idempotent_and_prints_the_logins(demo, capsys):
    """Run again on a loaded commune, the demo adds no row to any table (each feature's
    demo test once checked its own part of this) and prints the logins."""
    before = _counts()
    call_command("load_demo")
    after = _counts()
    grown = {label: (n, after[label]) for label, n in before.items() if after[label] != n}
    assert not grown, grown
    # The five of DEMO_USERS, two agents restricted to a territoire (C8) and the
    # services techniques' agent who lost a right (issue 9 — terr).
    assert User.objects.filter(email__endswith="@demo.guichet.fr").count() == 8
    # With Jeanne Durand, who filed without account (P6), Jeanne Martin, filed for (P7),
    # and the « Anonyme » demandeur of the desk's quick entries (C4).
    assert Individu.objects.count() == 11
    # … and the four associations before the commission (issue 9, demo/commissions.py).
    assert Profil.objects.filter(personnel=False).count() == 8
    out = capsys.readouterr().out
    assert out == demo.sortie
    assert "usager@demo.guichet.fr" in out and DEMO_PASSWORD in out
    assert "instructeur@demo.guichet.fr" in out


def test_demo_dossiers_are_handled_by_agents(demo):
    """F8: the instructeur sees filed dossiers assigned, classified, flagged and linked."""
    from dossiers.models import Classement, Dossier
    from dossiers.selectors import dossiers_visible_to

    instructeur = User.objects.get(email="instructeur@demo.guichet.fr")
    assert instructeur.has_perm("dossiers.instruire_dossiers")
    visibles = dossiers_visible_to(instructeur)
    assert visibles.filter(agent=instructeur).exists()
    assert visibles.filter(urgent=True).exists() and visibles.filter(parent__isnull=False).exists()
    assert str(Classement.objects.get(libelle="Théâtre")) == "Culture › Spectacle vivant › Théâtre"
    assert Dossier.objects.filter(classement__isnull=False).exists()
    # C4, C11: the « Anonyme » demandeur exists; the dossiers have a journal.
    from dossiers.selectors_journal import journal

    assert Individu.objects.filter(anonyme=True).count() == 1
    assert instructeur.has_perm("dossiers.consulter_journal")
    assert journal(visibles.filter(agent=instructeur).first()).exists()


def test_demo_roles(demo):
    citizen = authenticate(username="usager@demo.guichet.fr", password=DEMO_PASSWORD)
    agent = authenticate(username="agent@demo.guichet.fr", password=DEMO_PASSWORD)
    admin = authenticate(username="admin@demo.guichet.fr", password=DEMO_PASSWORD)
    assert not citizen.can_use_crm
    assert agent.can_use_crm and not agent.is_staff
    assert admin.can_use_crm and admin.is_staff
    assert citizen.emailaddress_set.get().verified


def test_demo_referentiel(demo):
    asso = Profil.objects.get(nom="Les Amis de la Loire")
    members = Membre.objects.filter(profil=asso).select_related("individu__user", "role")
    assert sorted((m.individu.user.email, m.role.code) for m in members) == [
        ("usager@demo.guichet.fr", "responsable"),
        ("voisin@demo.guichet.fr", "membre"),
    ]
    assert Individu.objects.filter(email="eleonore.dupont@exemple.fr").count() == 2  # to merge
    assert Profil.objects.get(nom="Boulangerie Lefèvre").siret
    agent = User.objects.get(email="agent@demo.guichet.fr")
    assert agent.has_perm("usagers.fusionner_individu")
    assert agent.individus_suivis.count() == 5


def test_demo_catalogue(demo):
    from dossiers.models import Dispositif

    assert Dispositif.objects.publies().count() == 6
    subvention = Dispositif.objects.get(code="SUB")
    assert list(subvention.types_profil.values_list("code", flat=True)) == ["association"]
    modeles = [p for p in subvention.pieces.all() if p.modele]
    assert len(modeles) == 2
    with modeles[0].modele.open("rb") as modele:
        assert modele.read().startswith(b"%PDF-1.4")
    assert "<ol>" in subvention.mode_operatoire
    # Every sheet has its illustration (a real PNG) and its FAQ and terms of use links.
    for dispositif in Dispositif.objects.all():
        with dispositif.illustration.open("rb") as image:
            assert image.read(8) == b"\x89PNG\r\n\x1a\n"
        libelles = [lien.libelle for lien in dispositif.liens.all()]
        assert "Questions fréquentes" in libelles, dispositif
        assert any(libelle.startswith("Conditions générales") for libelle in libelles)
        assert len(libelles) == len(set(libelles))  # loading twice added nothing
    assert subvention.illustration_alt


def test_demo_form_model_is_published_and_valid(demo):
    from dossiers import services
    from dossiers.models import ModeleDossier

    modele = ModeleDossier.objects.get(dispositif__code="SUB")
    assert modele.statut == "publie" and modele.version == 1
    assert modele.champs.count() >= 15
    assert services.modele_verifier(modele) == []


def test_demo_citizen_has_a_filed_request_to_link(demo):
    """The subsidy form's « Demande précédente » (a dossier lié) offers Camille, acting
    for her association, last year's filed request; Lucas, a member, reaches it too."""
    from dossiers import services
    from dossiers.champs import Contexte, get
    from dossiers.models import Champ, ModeleDossier
    from dossiers.selectors import dossiers_of

    camille = User.objects.get(email="usager@demo.guichet.fr")
    lucas = User.objects.get(email="voisin@demo.guichet.fr")
    asso = Profil.objects.get(nom="Les Amis de la Loire")
    precedente = dossiers_of(camille).get(reference__endswith="-SUB-000007")
    assert precedente.statut == "depose" and precedente.demandeur_profil == asso
    assert dossiers_of(lucas).filter(pk=precedente.pk).exists()
    modele = ModeleDossier.objects.get(dispositif__code="SUB")
    champ = Champ.objects.get(modele=modele, nom="demande_precedente")
    definition = services.champ_definition(champ, contexte=Contexte(user=camille, profil=asso))
    assert list(get("dossier_lie").candidats(definition)) == [precedente]
    assert get("dossier_lie").clean(definition, str(precedente.pk))["pk"] == precedente.pk
