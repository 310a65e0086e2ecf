"""Timers and déclencheurs in the Django admin (I8): the timer inline on a statut (targets
of the same version only), the déclencheur's secret shown once and regenerable; the beat
entry and the task."""

from django.conf import settings
from django.urls import reverse

from instruction import tasks
from instruction.models import Declencheur, Minuteur, SuiviInstruction, VersionGuide


def _inline(statut, **valeurs):
    """The statut's change form with one timer row (and its empty action inline)."""
    data = {
        "etape": statut.etape_id,
        "ordre": statut.ordre,
        "code": statut.code,
        "libelle": statut.libelle,
        "libelle_usager": statut.libelle_usager,
        "couleur": statut.couleur,
        "avance": "on",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
        "minuteurs-TOTAL_FORMS": "1",
        "minuteurs-INITIAL_FORMS": "0",
        "minuteurs-0-libelle": "Acceptation tacite",
        "minuteurs-0-delai": "60",
        "minuteurs-0-unite": "jours",
        "minuteurs-0-depart": "entree",
        "minuteurs-0-actif": "on",
    }
    data.update({f"minuteurs-0-{cle}": valeur for cle, valeur in valeurs.items()})
    return data


def test_a_timer_inline_on_the_statut(client, admin_user, statuts):
    client.force_login(admin_user)
    statut = statuts["depose"]
    # Timers are part of the guide's version: changed on a draft only.
    assert (
        client.get(reverse("admin:instruction_statut_change", args=[statut.pk]))
        .context["inline_admin_formsets"][1]
        .has_add_permission
        is False
    )
    VersionGuide.objects.filter(pk=statut.version_id).update(etat=VersionGuide.Etat.BROUILLON)
    url = reverse("admin:instruction_statut_change", args=[statut.pk])
    page = client.get(url)
    assert page.status_code == 200
    cibles = page.context["inline_admin_formsets"][1].formset.form.base_fields["cible"].queryset
    assert set(cibles) == set(statut.version.statuts.exclude(pk=statut.pk))
    reponse = client.post(url, _inline(statut, cible=statuts["accorde"].pk))
    assert reponse.status_code == 302, reponse.context["errors"] if reponse.context else ""
    minuteur = Minuteur.objects.get(statut=statut)
    assert (minuteur.cible, minuteur.duree.days) == (statuts["accorde"], 60)
    # Neither a target nor « back to previous »: refused next to the field, input kept.
    Minuteur.objects.all().delete()
    reponse = client.post(url, _inline(statut))
    assert reponse.status_code == 200
    assert "Choisissez le statut cible" in reponse.content.decode()
    assert 'value="Acceptation tacite"' in reponse.content.decode()


def test_the_secret_is_shown_once_and_regenerated(client, admin_user, statuts):
    client.force_login(admin_user)
    reponse = client.post(
        reverse("admin:instruction_declencheur_add"),
        {
            "version": statuts["depose"].version_id,
            "code": "commission",
            "libelle": "Avis de la commission",
            "cible": statuts["instruction"].pk,
            "champs": '["date_commission"]',
            "motif": "",
            "manuel": "on",
            "webhook": "on",
        },
        follow=True,
    )
    declencheur = Declencheur.objects.get(code="commission")
    assert declencheur.secret in reponse.content.decode()
    page = client.get(reverse("admin:instruction_declencheur_change", args=[declencheur.pk]))
    html = page.content.decode()
    assert declencheur.secret not in html and declencheur.secret[:6] in html
    assert "/api/instruction/webhooks/commission/" in html
    ancien = declencheur.secret
    reponse = client.post(
        reverse("admin:instruction_declencheur_changelist"),
        {"action": "regenerer_secret", "_selected_action": [declencheur.pk]},
        follow=True,
    )
    declencheur.refresh_from_db()
    assert declencheur.secret != ancien and declencheur.secret in reponse.content.decode()


def test_beat_runs_the_timers_task(dossier, statuts):
    entree = settings.CELERY_BEAT_SCHEDULE["instruction-minuteurs-executer"]
    assert entree["task"] == tasks.minuteurs_executer.name
    Minuteur.objects.create(
        statut=statuts["depose"], cible=statuts["instruction"], libelle="Tout de suite", delai=0
    )
    assert tasks.minuteurs_executer.delay().get() == {"appliques": 1, "ignores": 0, "echecs": 0}
    assert SuiviInstruction.objects.get(dossier=dossier).statut == statuts["instruction"]
