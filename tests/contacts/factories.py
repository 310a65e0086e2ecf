import factory
from django.utils import timezone

from contacts.enums import Canal
from contacts.models import Contact, ModeleContact, PlanAction, Tache


class ModeleContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModeleContact

    nom = factory.Sequence(lambda n: f"Appel — demande d’information {n}")
    canal = Canal.TELEPHONE
    objet = "Demande d’information"
    compte_rendu = "Question posée :\nRéponse apportée :"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    canal = Canal.TELEPHONE
    quand = factory.LazyFunction(timezone.now)
    objet = factory.Sequence(lambda n: f"Question n°{n} sur la cantine")


class TacheFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tache

    plan = factory.LazyFunction(lambda: PlanAction.objects.create(contact=ContactFactory()))
    libelle = factory.Sequence(lambda n: f"Rappeler l’usager {n}")
