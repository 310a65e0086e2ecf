import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from dossiers.models import (
    Dispositif,
    DroitDispositif,
    LienDispositif,
    PieceAFournir,
    ProfilMetier,
    Territoire,
    Thematique,
    TypeTerritoire,
)
from usagers.models import TypeProfil

# The smallest PDF a reader opens: one empty page.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class ThematiqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thematique
        django_get_or_create = ["slug"]

    libelle = factory.Sequence(lambda n: f"Thématique {n}")
    slug = factory.Sequence(lambda n: f"thematique-{n}")


class DispositifFactory(factory.django.DjangoModelFactory):
    """A published dispositif; `thematiques` and `types_profil` take lists (of objects, or
    of TypeProfil codes); traits: inactif, a_venir, expire, complet (every block filled)."""

    class Meta:
        model = Dispositif
        skip_postgeneration_save = True

    titre = factory.Sequence(lambda n: f"Démarche n°{n}")
    slug = factory.Sequence(lambda n: f"demarche-{n}")
    code = factory.Sequence(lambda n: f"D{n:04d}")
    resume = "Une démarche de la commune, en ligne."

    class Params:
        inactif = factory.Trait(actif=False)
        a_venir = factory.Trait(
            publie_du=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
        )
        expire = factory.Trait(
            publie_du=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30)),
            publie_au=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )
        complet = factory.Trait(
            mode_operatoire="<p>Remplissez le formulaire puis joignez les pièces.</p>",
            eligibilite="<ul><li>Avoir son siège dans la commune</li></ul>",
            depot_sans_compte=True,
            depot_pour_autrui=True,
            contact_service="Service de la vie associative",
            contact_email="vie-associative@mairie.exemple.fr",
            contact_telephone="+33238000000",
            contact_horaires="Du lundi au vendredi, de 9 h à 17 h",
            aide="<p>Une permanence a lieu le mardi.</p>",
        )

    @factory.post_generation
    def thematiques(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.thematiques.set(extracted)

    @factory.post_generation
    def types_profil(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.types_profil.set(
                [TypeProfil.objects.get(code=t) if isinstance(t, str) else t for t in extracted]
            )


class PieceAFournirFactory(factory.django.DjangoModelFactory):
    """A piece to provide; `avec_modele=True` attaches a small PDF template."""

    class Meta:
        model = PieceAFournir

    dispositif = factory.SubFactory(DispositifFactory)
    libelle = factory.Sequence(lambda n: f"Pièce n°{n}")
    obligatoire = True

    class Params:
        avec_modele = factory.Trait(
            modele=factory.LazyFunction(lambda: ContentFile(PDF, name="modele.pdf"))
        )


class LienDispositifFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LienDispositif

    dispositif = factory.SubFactory(DispositifFactory)
    libelle = factory.Sequence(lambda n: f"Foire aux questions n°{n}")
    url = factory.Sequence(lambda n: f"https://www.exemple.fr/faq-{n}")


class TypeJustificatifFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dossiers.TypeJustificatif"
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"justificatif-{n}")
    libelle = factory.Sequence(lambda n: f"Justificatif n°{n}")
    formats = factory.LazyFunction(lambda: ["pdf", "jpeg", "png"])


class PieceDeposeeFactory(factory.django.DjangoModelFactory):
    """A file uploaded in the wizard, pending its dossier (a small PDF)."""

    class Meta:
        model = "dossiers.PieceDeposee"

    type = factory.SubFactory(TypeJustificatifFactory)
    fichier = factory.LazyFunction(lambda: ContentFile(PDF, name="piece.pdf"))
    nom = "piece.pdf"
    type_mime = "application/pdf"
    taille = len(PDF)
    empreinte = "0" * 64


# --- Rights (C7) and territories (C8) ---------------------------------------------------


class ProfilMetierFactory(factory.django.DjangoModelFactory):
    """A profil métier; trait `tout` = every right on every dispositif."""

    class Meta:
        model = ProfilMetier

    libelle = factory.Sequence(lambda n: f"Profil {n}")
    code = factory.Sequence(lambda n: f"profil-{n}")

    class Params:
        tout = factory.Trait(
            tous_dispositifs=True,
            voir=True,
            instruire=True,
            configurer=True,
            exporter=True,
            supprimer=True,
        )


class TypeTerritoireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TypeTerritoire
        django_get_or_create = ["code"]

    libelle = "Quartier"
    code = "quartier"


class TerritoireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territoire

    type = factory.SubFactory(TypeTerritoireFactory)
    nom = factory.Sequence(lambda n: f"Territoire {n}")
    code = factory.Sequence(lambda n: f"territoire-{n}")


def donner_droits(agent, *droits, dispositifs=None, territoires=()):
    """Give an agent the « instruire les dossiers » permission, a profil métier with
    `droits` (every right when none) on `dispositifs` (every dispositif when None), and
    assign them to `territoires`."""
    from django.contrib.auth.models import Permission

    from dossiers.models.droits import DROITS
    from dossiers.selectors_droits import oublier_portee

    agent.user_permissions.add(Permission.objects.get(codename="instruire_dossiers"))
    droits = droits or DROITS
    cases = {d: d in droits for d in DROITS}
    if dispositifs is None:
        profil = ProfilMetierFactory(tous_dispositifs=True, **cases)
    else:
        profil = ProfilMetierFactory()
        for dispositif in dispositifs:
            DroitDispositif.objects.create(profil_metier=profil, dispositif=dispositif, **cases)
    profil.agents.add(agent)
    for territoire in territoires:
        territoire.agents.add(agent)
    oublier_portee(agent)
    # has_perm caches the permissions on the object too.
    for cache in ("_perm_cache", "_user_perm_cache"):
        if hasattr(agent, cache):
            delattr(agent, cache)
    return profil
