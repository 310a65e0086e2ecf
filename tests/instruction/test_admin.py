"""Guides are configured in the Django admin (the CRM builder comes later)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from instruction.models import Statut, VersionGuide
from tests.instruction.factories import EtapeFactory, StatutFactory


def test_publish_and_copy_from_the_admin(client, admin_user, statuts):
    client.force_login(admin_user)
    publiee = statuts["depose"].version
    url = reverse("admin:instruction_versionguide_changelist")
    client.post(url, {"action": "copier", "_selected_action": [publiee.pk]})
    brouillon = VersionGuide.objects.get(guide=publiee.guide, etat=VersionGuide.Etat.BROUILLON)
    client.post(url, {"action": "publier", "_selected_action": [brouillon.pk]})
    brouillon.refresh_from_db()
    publiee.refresh_from_db()
    assert (brouillon.etat, publiee.etat) == (VersionGuide.Etat.PUBLIEE, VersionGuide.Etat.ARCHIVEE)


def test_a_version_without_initial_statut_is_not_published(client, admin_user):
    statut = StatutFactory(etape=EtapeFactory())
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:instruction_versionguide_changelist"),
        {"action": "publier", "_selected_action": [statut.version_id]},
        follow=True,
    )
    assert "Désignez le statut initial" in response.content.decode()
    assert statut.version.etat == VersionGuide.Etat.BROUILLON


def test_codes_are_unique_in_a_version(statuts):
    doublon = Statut(etape=statuts["depose"].etape, code="instruction", libelle="Autre")
    with pytest.raises(ValidationError):
        doublon.full_clean()
