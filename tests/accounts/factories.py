import factory
from allauth.account.models import EmailAddress

from accounts.models import User

PASSWORD = "Mot-de-passe-solide-2026"


class UserFactory(factory.django.DjangoModelFactory):
    """A citizen with a verified email; traits make agents and administrators."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)

    class Params:
        agent = factory.Trait(is_agent=True)
        admin = factory.Trait(is_agent=True, is_staff=True, is_superuser=True)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
