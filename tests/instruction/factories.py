import factory

from instruction import services
from instruction.models import ActionStatut, Etape, Guide, Statut, VersionGuide
from tests.dossiers.factories import DispositifFactory


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guide

    dispositif = factory.SubFactory(DispositifFactory)


class VersionGuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VersionGuide

    guide = factory.SubFactory(GuideFactory)
    numero = factory.Sequence(lambda n: n + 1)


class EtapeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Etape

    version = factory.SubFactory(VersionGuideFactory)
    ordre = factory.Sequence(lambda n: n)
    libelle = factory.Sequence(lambda n: f"Étape {n}")


class StatutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statut

    etape = factory.SubFactory(EtapeFactory)
    code = factory.Sequence(lambda n: f"statut-{n}")
    libelle = factory.Sequence(lambda n: f"Statut {n}")


class ActionStatutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionStatut

    statut = factory.SubFactory(StatutFactory)
    type = "suivi"
    config = factory.LazyAttribute(lambda o: {"texte": "Ligne de suivi"})


def guide_publie(dispositif, *, duree_instruction=30):
    """Dépôt → Instruction → Décision: « Déposé » (initial) → « En instruction » →
    « Accordé » (closes) or « Refusé » (closes, reason required); « Incomplet »
    is hidden from manual choice. Returns the statuts by code."""
    version = VersionGuideFactory(guide=GuideFactory(dispositif=dispositif), numero=1)
    depot = EtapeFactory(version=version, ordre=1, libelle="Dépôt", duree_cible=5)
    instruction = EtapeFactory(
        version=version, ordre=2, libelle="Instruction", duree_cible=duree_instruction
    )
    decision = EtapeFactory(version=version, ordre=3, libelle="Décision")
    statuts = {
        "depose": StatutFactory(
            etape=depot,
            code="depose",
            libelle="Déposé",
            libelle_usager="Votre demande est bien reçue",
            initial=True,
            modifiable_usager=True,
        ),
        "incomplet": StatutFactory(
            etape=depot, code="incomplet", libelle="Incomplet", masque=True, couleur="warning"
        ),
        "instruction": StatutFactory(
            etape=instruction,
            code="instruction",
            libelle="En instruction",
            libelle_usager="Votre demande est en cours d’examen",
        ),
        "accorde": StatutFactory(
            etape=decision,
            code="accorde",
            libelle="Accordé",
            libelle_usager="Votre demande est accordée",
            couleur="success",
            cloture=True,
        ),
        "refuse": StatutFactory(
            etape=decision,
            code="refuse",
            libelle="Refusé",
            libelle_usager="Votre demande est refusée",
            couleur="error",
            cloture=True,
            motif_obligatoire=True,
        ),
    }
    statuts["depose"].suivants.set([statuts["instruction"], statuts["incomplet"]])
    statuts["incomplet"].suivants.set([statuts["depose"]])
    statuts["instruction"].suivants.set([statuts["accorde"], statuts["refuse"]])
    services.version_publier(version=version)
    return statuts
