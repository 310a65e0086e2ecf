import factory

from dossiers.models import Equipe, Etiquette, RegleRoutage


class EquipeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipe

    nom = factory.Sequence(lambda n: f"Équipe {n}")
    code = factory.Sequence(lambda n: f"equipe-{n}")


class EtiquetteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Etiquette

    libelle = factory.Sequence(lambda n: f"Étiquette {n}")
    couleur = Etiquette.Couleur.VERT_MENTHE


class RegleRoutageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegleRoutage

    nom = factory.Sequence(lambda n: f"Règle {n}")
    ordre = factory.Sequence(lambda n: (n + 1) * 10)
    equipe = factory.SubFactory(EquipeFactory)
