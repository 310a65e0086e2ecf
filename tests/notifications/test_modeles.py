"""Templates, the event → template mapping, events raised with a context, replies."""

from email.message import EmailMessage

import pytest
from django.core import mail

from accounts.models import User
from notifications import registry, services
from notifications.models import Canal, Correspondance, Message, ModeleMessage, Notification, Statut

pytestmark = pytest.mark.django_db

BIENVENUE = (
    "Bonjour {{ usager.prenom }},\n\n"
    "Votre compte sur le portail de {{ autorite }} est créé.\n"
    "Connectez-vous : {{ lien_connexion }}\n"
)


def modele(**kwargs) -> ModeleMessage:
    champs = {
        "nom": "Bienvenue",
        "canal": Canal.EMAIL,
        "evenement": "compte.cree",
        "sujet": "Bienvenue {{ usager.prenom }}",
        "corps": BIENVENUE,
    } | kwargs
    return ModeleMessage.objects.create(**champs)


def test_account_events_are_registered():
    codes = {e.code for e in registry.evenements()}
    assert {"compte.cree", "compte.mot_de_passe_modifie"} <= codes


def test_preview_renders_the_sample_context():
    apercu = services.apercu(
        canal=Canal.EMAIL,
        evenement="compte.cree",
        sujet="Bienvenue {{ usager.prenom }}",
        corps=BIENVENUE,
    )
    assert apercu.problemes == [] and apercu.erreur == ""
    assert apercu.sujet == "Bienvenue Camille"
    assert "Votre compte sur le portail de Ville de Belleville-sur-Loire" in apercu.corps
    assert "<p>Bonjour Camille,</p>" in apercu.corps_html


def test_an_unknown_variable_is_named_with_its_place_and_publishing_is_refused():
    m = modele(corps="Bonjour {{ usager.prenom }},\n\nVotre dossier {{ dossier.reference }}.")
    apercu = services.apercu(canal=m.canal, evenement=m.evenement, sujet=m.sujet, corps=m.corps)
    assert [p.texte for p in apercu.problemes] == [
        "Texte — Ligne 3 : Variable inconnue « dossier » : elle n'est pas dans le contexte de ce modèle."
    ]
    assert apercu.corps == ""
    problemes = services.modele_publier(m)
    assert [p.probleme.variable for p in problemes] == ["dossier"]
    m.refresh_from_db()
    assert m.publie_le is None and m.corps_publie == ""


def test_publishing_copies_the_draft_and_later_edits_do_not_change_what_is_sent(
    django_capture_on_commit_callbacks,
):
    m = modele()
    assert services.modele_publier(m) == []
    Correspondance.objects.create(evenement="compte.cree", modele=m)
    m.corps = "Brouillon en cours {{ usager.prenom }}"
    m.save()
    assert m.brouillon_modifie
    with django_capture_on_commit_callbacks(execute=True):
        services.notifier(
            "compte.cree",
            contexte={
                "usager": {"prenom": "Léa", "nom": "Roux", "email": "lea@exemple.fr"},
                "lien_connexion": "http://x/",
            },
            email="lea@exemple.fr",
        )
    assert mail.outbox[0].subject == "Bienvenue Léa"
    assert mail.outbox[0].body.startswith("Bonjour Léa,")
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_one_event_fans_out_to_mail_sms_and_in_app(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.GUICHET_SMS_DIR = str(tmp_path)
    user = User.objects.create_user(email="lea@exemple.fr", password="x")
    for m in (
        modele(),
        modele(
            nom="SMS bienvenue", canal=Canal.SMS, sujet="", corps="{{ autorite }} : compte créé."
        ),
        modele(
            nom="Cloche",
            canal=Canal.APPLICATION,
            sujet="Bienvenue {{ usager.prenom }}",
            corps="Votre compte est prêt.",
        ),
    ):
        assert services.modele_publier(m) == []
        services.correspondance_enregistrer(evenement="compte.cree", modele=m)
    contexte = {
        "usager": {"prenom": "Léa", "nom": "Roux", "email": "lea@exemple.fr"},
        "lien_connexion": "http://x/",
    }
    with django_capture_on_commit_callbacks(execute=True):
        sortie = services.notifier(
            "compte.cree",
            contexte=contexte,
            email=user.email,
            telephone="0612345678",
            usager=user,
            cle="compte.cree:1",
        )
        again = services.notifier(
            "compte.cree",
            contexte=contexte,
            email=user.email,
            telephone="0612345678",
            usager=user,
            cle="compte.cree:1",
        )
    assert len(sortie) == 3
    assert {m.pk for m in again if isinstance(m, Message)} == {
        m.pk for m in sortie if isinstance(m, Message)
    }
    assert sorted(Message.objects.values_list("canal", "statut")) == [
        (Canal.EMAIL, Statut.ENVOYE),
        (Canal.SMS, Statut.ENVOYE),
    ]
    assert Notification.objects.filter(destinataire=user, titre="Bienvenue Léa").exists()


def test_a_context_missing_a_value_gives_a_failed_row_not_an_exception():
    m = modele()
    services.modele_publier(m)
    Correspondance.objects.create(evenement="compte.cree", modele=m)
    [message] = services.notifier("compte.cree", contexte={"usager": {}}, email="a@exemple.fr")
    assert message.statut == Statut.ECHEC
    assert "Modèle « Bienvenue »" in message.derniere_erreur


def test_mapping_refuses_a_template_with_variables_the_event_lacks():
    m = modele(evenement="compte.cree", corps="Depuis {{ lien_connexion }}")
    with pytest.raises(services.EnvoiRefuse, match="lien_connexion"):
        services.correspondance_enregistrer(evenement="compte.mot_de_passe_modifie", modele=m)


def test_test_mail_of_the_draft(django_capture_on_commit_callbacks):
    m = modele()
    with django_capture_on_commit_callbacks(execute=True):
        services.envoyer_test(m, destinataire="admin@exemple.fr")
    assert [e.subject for e in mail.outbox] == ["[Test] Bienvenue Camille"]
    m.corps = "{{ inconnue }}"
    with pytest.raises(services.EnvoiRefuse):
        services.envoyer_test(m, destinataire="admin@exemple.fr")


def test_signing_up_raises_compte_cree(client, django_capture_on_commit_callbacks):
    m = modele()
    services.modele_publier(m)
    Correspondance.objects.create(evenement="compte.cree", modele=m)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            "/compte/inscription/",
            {
                "email": "nina@exemple.fr",
                "password1": "Un-mot-de-passe-solide-42",
                "password2": "Un-mot-de-passe-solide-42",
                "prenom": "Nina",
                "nom": "Petit",
            },
        )
    assert reponse.status_code in (200, 302)
    assert (
        Message.objects.filter(evenement="compte.cree", destinataire="nina@exemple.fr").count() == 1
    )


def test_a_reply_lands_in_the_registered_handler(monkeypatch):
    recu = []
    monkeypatch.setattr(registry, "_reponses", {})
    registry.register_reponse("accounts.user", lambda objet_id, **kw: recu.append((objet_id, kw)))
    user = User.objects.create_user(email="lea@exemple.fr", password="x")
    origine = services.mettre_en_file(
        canal=Canal.EMAIL, destinataire=user.email, sujet="Votre demande", corps="…", concerne=user
    )
    reponse = EmailMessage()
    reponse["From"] = "Léa <lea@exemple.fr>"
    reponse["Subject"] = "Re: Votre demande"
    reponse["In-Reply-To"] = services.message_id(origine)
    reponse.set_content("Voici le document demandé.")
    reponse.add_attachment(b"%PDF-1.7", maintype="application", subtype="pdf", filename="avis.pdf")
    assert services.recevoir_reponse(reponse.as_bytes()) == "accounts.user"
    [(objet_id, kw)] = recu
    assert objet_id == str(user.pk)
    assert kw["expediteur"] == "lea@exemple.fr"
    assert kw["texte"].strip() == "Voici le document demandé."
    assert kw["pieces_jointes"] == [("avis.pdf", b"%PDF-1.7", "application/pdf")]


def test_a_reply_to_nothing_is_refused():
    reponse = EmailMessage()
    reponse["In-Reply-To"] = "<inconnu@ailleurs>"
    reponse.set_content("?")
    with pytest.raises(services.ReponseRefusee):
        services.recevoir_reponse(reponse.as_bytes())


def test_the_mta_command_bounces_a_reply_to_nothing(tmp_path):
    from django.core.management import call_command

    reponse = EmailMessage()
    reponse["In-Reply-To"] = "<inconnu@ailleurs>"
    reponse.set_content("?")
    fichier = tmp_path / "reponse.eml"
    fichier.write_bytes(reponse.as_bytes())
    with pytest.raises(SystemExit) as sortie:
        call_command("recevoir_reponse", str(fichier))
    assert sortie.value.code == 67  # EX_NOUSER: the MTA bounces it
