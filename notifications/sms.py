"""SMS providers behind an adapter chosen by `GUICHET_SMS_ADAPTER`.

    envoyer(numero_e164, texte, cle) -> provider's message id

raises `ErreurDefinitive` (invalid number, refused content: never retried) or
`ErreurTemporaire` (provider down, timeout, rate limited: retried with backoff).

`SmsFichier` (dev, tests, demo) writes each SMS as a JSON line in a folder;
`SmsBrevo` calls Brevo's transactional SMS API (a French provider) over HTTPS with
`urllib` and a timeout, passing the idempotency key as the SMS tag so the provider's
log ties each SMS to its outbox row.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.module_loading import import_string

from common.validators import normalize_phone

logger = logging.getLogger(__name__)

LONGUEUR_MAX = 640  # four concatenated SMS: beyond, the template is too long


class ErreurEnvoi(Exception):
    pass


class ErreurDefinitive(ErreurEnvoi):
    """Sending again would fail the same way: the message is marked failed."""


class ErreurTemporaire(ErreurEnvoi):
    """The provider may accept it later: the message waits and is tried again."""


def numero_valide(numero: str) -> str:
    try:
        return normalize_phone(numero)
    except ValidationError as error:
        raise ErreurDefinitive(
            f"Numéro invalide « {numero} » : {' '.join(error.messages)}"
        ) from None


class FournisseurSms:
    def envoyer(self, numero: str, texte: str, cle: str) -> str:
        raise NotImplementedError


class SmsFichier(FournisseurSms):
    """The local fake: one JSON line per SMS in GUICHET_SMS_DIR (var/sms by default)."""

    def envoyer(self, numero: str, texte: str, cle: str) -> str:
        dossier = Path(settings.GUICHET_SMS_DIR)
        dossier.mkdir(parents=True, exist_ok=True)
        ligne = {"cle": cle, "numero": numero, "texte": texte, "le": timezone.now().isoformat()}
        with (dossier / "sms.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps(ligne, ensure_ascii=False) + "\n")
        return f"fichier-{cle}"


class SmsBrevo(FournisseurSms):
    """https://developers.brevo.com/reference/sendtransacsms"""

    url = "https://api.brevo.com/v3/transactionalSMS/sms"

    def envoyer(self, numero: str, texte: str, cle: str) -> str:
        corps = json.dumps(
            {
                "sender": settings.GUICHET_SMS_EXPEDITEUR,
                "recipient": numero.lstrip("+"),
                "content": texte,
                "type": "transactional",
                "tag": cle,
            }
        ).encode()
        requete = urllib.request.Request(  # noqa: S310 - fixed https URL
            settings.GUICHET_SMS_URL or self.url,
            data=corps,
            method="POST",
            headers={
                "api-key": settings.GUICHET_SMS_CLE_API,
                "content-type": "application/json",
                "accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                requete, timeout=settings.GUICHET_SMS_TIMEOUT
            ) as reponse:
                donnees = json.loads(reponse.read() or b"{}")
        except urllib.error.HTTPError as error:
            detail = error.read()[:500].decode("utf-8", "replace")
            # 400: the provider refuses this SMS (number, content): retrying cannot help.
            # 401/403: a configuration problem, 429/5xx: overloaded: both may pass later.
            if error.code == 400:
                raise ErreurDefinitive(f"Refusé par Brevo (400) : {detail}") from None
            raise ErreurTemporaire(f"Brevo a répondu {error.code} : {detail}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise ErreurTemporaire(f"Brevo injoignable : {error}") from None
        except ValueError:
            raise ErreurTemporaire("Réponse illisible de Brevo") from None
        identifiant = donnees.get("messageId") or donnees.get("reference")
        if not identifiant:
            raise ErreurTemporaire(f"Réponse inattendue de Brevo : {donnees!r}"[:500])
        return str(identifiant)


def fournisseur() -> FournisseurSms:
    return import_string(settings.GUICHET_SMS_ADAPTER)()


def envoyer_sms(numero: str, texte: str, cle: str) -> str:
    numero = numero_valide(numero)
    if not texte.strip():
        raise ErreurDefinitive("SMS vide")
    if len(texte) > LONGUEUR_MAX:
        raise ErreurDefinitive(f"SMS trop long ({len(texte)} caractères, {LONGUEUR_MAX} au plus)")
    return fournisseur().envoyer(numero, texte, cle)
