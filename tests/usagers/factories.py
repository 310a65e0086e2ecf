import datetime

import factory

from common.text import search_words
from usagers.enums import TypeIndividu
from usagers.models import (
    Individu,
    Invitation,
    LienParente,
    Membre,
    NatureProfil,
    Profil,
    RoleMembre,
    TypeProfil,
)


def type_profil(code: str) -> TypeProfil:
    """The types installed by migration usagers.0002 (particulier, association…)."""
    return TypeProfil.objects.get(code=code)


def role(code: str) -> RoleMembre:
    return RoleMembre.objects.get(code=code)


class IndividuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Individu

    type_individu = TypeIndividu.ADULTE
    civilite = "mme"
    prenom = factory.Faker("first_name_female", locale="fr_FR")
    nom = factory.Faker("last_name", locale="fr_FR")
    date_naissance = factory.Faker(
        "date_between", start_date=datetime.date(1950, 1, 1), end_date=datetime.date(2000, 12, 31)
    )
    # Folded: "Hélène Lefèvre" → helene.lefevre (an address with accents is invalid).
    email = factory.LazyAttribute(
        lambda o: f"{search_words(o.prenom)}.{search_words(o.nom)}@exemple.fr".replace(" ", "-")
    )
    telephone_mobile = factory.Sequence(lambda n: f"+336{n % 100000000:08d}")
    adresse = factory.Faker("street_address", locale="fr_FR")
    code_postal = "45000"
    commune = "Orléans"
    code_insee = "45234"

    class Params:
        enfant = factory.Trait(
            type_individu=TypeIndividu.ENFANT,
            civilite="",
            date_naissance=datetime.date(2016, 5, 12),
            email="",
            telephone_mobile="",
        )


class ProfilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profil

    type_profil = factory.LazyFunction(lambda: type_profil("association"))
    nature = factory.LazyAttribute(
        lambda o: NatureProfil.objects.filter(type_profil=o.type_profil).first()
    )
    nom = factory.Sequence(lambda n: f"Association sportive n°{n}")
    rna = factory.Sequence(lambda n: f"W45{n % 10000000:07d}")
    email = factory.Sequence(lambda n: f"contact{n}@asso.exemple.fr")
    commune = "Orléans"
    code_postal = "45000"


class MembreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membre

    profil = factory.SubFactory(ProfilFactory)
    individu = factory.SubFactory(IndividuFactory)
    role = factory.LazyFunction(lambda: role("membre"))


class LienParenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LienParente

    individu = factory.SubFactory(IndividuFactory)
    apparente = factory.SubFactory(IndividuFactory, enfant=True)
    type_lien = "parent"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    profil = factory.SubFactory(ProfilFactory)
    email = factory.Sequence(lambda n: f"invite{n}@exemple.fr")
    role = factory.LazyFunction(lambda: role("membre"))
