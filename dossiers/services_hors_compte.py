"""Filing without an account (P6, F14): the tracking code, the follow link, the attach key.

At submission (`depot_sans_compte`) a dossier filed without an account gets:
- `code_suivi`: 10 characters of an alphabet without look-alikes (no 0/O, 1/I/L),
  shown in two groups of five (« K7QPM-3XHTA »), unique;
- `verification_suivi`: an HMAC of the verification value the dispositif asks (birth
  date or postcode, normalised) bound to the code, never the value itself;
- `cle_rattachement`: the HMAC of a 16-character attach key the citizen gets once (the
  confirmation page and the mail); it lets an account take the dossier over later;
- `email_suivi`, and a demandeur individu: the account's individu when a user has
  verified that address, else the individu of the référentiel with that address, else a
  new individu (names from the form's fields prefilled from the individu, or typed in
  the « coordonnées de suivi » step).
The mail (event `dossier.depose_sans_compte`) carries a signed follow link that expires
after `GUICHET_SUIVI_LIEN_JOURS` days (TimestampSigner, its own salt).

Failed tries on the public pages are counted in `TentativeSuivi` (PostgreSQL, so the
limit holds across processes): `LIMITE_TENTATIVES` per `FENETRE` per key.
"""

import hmac
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from dossiers.evenements_hors_compte import modeles_installer
from dossiers.models import (
    Champ,
    Dossier,
    Historique,
    TentativeSuivi,
    VerificationSuivi,
)
from dossiers.services import dossier_deposer
from notifications.services import notifier
from usagers.models import Individu
from usagers.services import compte_initialiser, individu_creer

# No 0/O, 1/I/L: what a citizen reads from a mail or a phone call cannot be mistaken.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LONGUEUR = 10
CLE_LONGUEUR = 16
SEL_LIEN = "guichet.suivi.lien"
LIMITE_TENTATIVES = 5
FENETRE = timedelta(minutes=15)
# What a new individu takes from the form's fields prefilled from the individu.
CHAMPS_INDIVIDU = (
    "civilite",
    "nom",
    "prenom",
    "nom_usage",
    "date_naissance",
    "telephone_mobile",
    "telephone_fixe",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune",
)


class RattachementRefuse(ValidationError):
    """A wrong reference or key: one message whatever was wrong."""


@dataclass(frozen=True)
class DepotSansCompte:
    dossier: Dossier
    code_suivi: str
    cle_rattachement: str  # in clear: shown once, never stored


# --- Codes, keys, fingerprints ---------------------------------------------------------


def _aleatoire(longueur: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _i in range(longueur))


def _grouper(texte: str, taille: int) -> str:
    return "-".join(texte[i : i + taille] for i in range(0, len(texte), taille))


def _normaliser(saisie: str, longueur: int) -> str | None:
    brut = re.sub(r"[^0-9A-Za-z]", "", saisie or "").upper()
    if len(brut) != longueur or any(c not in ALPHABET for c in brut):
        return None
    return brut


def code_normaliser(saisie: str) -> str | None:
    """A typed tracking code as stored (« k7qpm 3xhta » → « K7QPM-3XHTA »), or None when
    it cannot be one."""
    brut = _normaliser(saisie, CODE_LONGUEUR)
    return _grouper(brut, 5) if brut else None


def _code_nouveau() -> str:
    while True:
        code = _grouper(_aleatoire(CODE_LONGUEUR), 5)
        if not Dossier.objects.filter(code_suivi=code).exists():
            return code  # the unique constraint stands behind this check


def _empreinte(usage: str, *parties: str) -> str:
    return salted_hmac(
        f"guichet.suivi.{usage}", "\x1f".join(parties), algorithm="sha256"
    ).hexdigest()


def verification_normaliser(nature: str, valeur) -> str | None:
    """The verification value as it is fingerprinted: an ISO date for a birth date
    (a date, « 14/07/1985 » or « 1985-07-14 »), five digits for a postcode; None when the
    value cannot be one."""
    if nature == VerificationSuivi.DATE_NAISSANCE:
        if isinstance(valeur, datetime):
            valeur = valeur.date()
        if isinstance(valeur, date):
            return valeur.isoformat()
        texte = str(valeur or "").strip()
        for format_ in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y"):
            try:
                return datetime.strptime(texte, format_).date().isoformat()  # noqa: DTZ007
            except ValueError:
                continue
        return None
    chiffres = re.sub(r"\s", "", str(valeur or ""))
    return chiffres if re.fullmatch(r"[0-9]{5}", chiffres) else None


def _verification_empreinte(code: str, nature: str, valeur_normalisee: str) -> str:
    return _empreinte("verification", code, nature, valeur_normalisee)


def _cle_empreinte(cle_normalisee: str) -> str:
    return _empreinte("rattachement", cle_normalisee)


# --- Follow link -------------------------------------------------------------------------


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SEL_LIEN)


def lien_jeton(dossier: Dossier) -> str:
    """The signed token of the follow link (the dossier and its tracking code)."""
    return _signer().sign_object({"d": dossier.pk, "c": dossier.code_suivi})


def lien_duree() -> timedelta:
    return timedelta(days=getattr(settings, "GUICHET_SUIVI_LIEN_JOURS", 30))


def lien_dossier(jeton: str) -> Dossier | None:
    """The filed hors-compte dossier a follow link opens, or None for a forged, expired
    or stale link (whatever the reason: the page says nothing more)."""
    try:
        valeur = _signer().unsign_object(jeton, max_age=lien_duree())
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(valeur, dict) or not isinstance(valeur.get("d"), int):
        return None
    code = valeur.get("c")
    if not isinstance(code, str) or not code:
        return None
    return (
        Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON)
        .filter(pk=valeur["d"], code_suivi=code)
        .only("pk")
        .first()
    )


# --- Rate limits ---------------------------------------------------------------------------


def tentative_cle(nature: str, valeur: str) -> str:
    """What a try counts against, as stored (no address nor code in clear)."""
    return _empreinte("tentative", nature, str(valeur).lower())[:64]


def limite_atteinte(cles: Iterable[str]) -> bool:
    """Whether one of `cles` already had LIMITE_TENTATIVES failed tries in the window."""
    cles = list(cles)
    depuis = timezone.now() - FENETRE
    for cle in cles:
        if TentativeSuivi.objects.filter(cle=cle, quand__gte=depuis).count() >= LIMITE_TENTATIVES:
            return True
    return False


def tentative_echouee(cles: Iterable[str]) -> None:
    cles = list(cles)
    maintenant = timezone.now()
    TentativeSuivi.objects.filter(cle__in=cles, quand__lt=maintenant - FENETRE).delete()
    TentativeSuivi.objects.bulk_create([TentativeSuivi(cle=cle, quand=maintenant) for cle in cles])


def tentatives_purger() -> int:
    """Delete the tries older than the window (the hourly task)."""
    supprimees, _detail = TentativeSuivi.objects.filter(quand__lt=timezone.now() - FENETRE).delete()
    return supprimees


# --- Submission ------------------------------------------------------------------------------


def identite_du_formulaire(dossier: Dossier) -> dict[str, str]:
    """The individu's fields the form's answers give (fields prefilled from the individu
    with an answer), e.g. {"nom": "Martin", "prenom": "Camille"}."""
    identite = {}
    champs = Champ.objects.filter(
        modele_id=dossier.modele_id, parent__isnull=True, prefill__startswith="individu."
    ).values_list("nom", "prefill")
    for nom, prefill in champs:
        attribut = prefill.removeprefix("individu.")
        valeur = dossier.donnees.get(nom)
        if attribut in CHAMPS_INDIVIDU and isinstance(valeur, str) and valeur.strip():
            identite[attribut] = valeur.strip()
    return identite


def email_du_formulaire(dossier: Dossier) -> str:
    """The answer of the form's field prefilled from the individu's email, if any (the
    tracking address is offered from it)."""
    for nom in Champ.objects.filter(
        modele_id=dossier.modele_id, parent__isnull=True, prefill="individu.email"
    ).values_list("nom", flat=True):
        valeur = dossier.donnees.get(nom)
        if isinstance(valeur, str) and valeur.strip():
            return valeur.strip()
    return ""


def _individu(email: str, identite: dict[str, str]) -> tuple[Individu, bool]:
    """The demandeur of a dossier filed with `email`: (individu, whether it is new)."""
    adresse = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    if adresse is not None and adresse.user.is_active:
        return compte_initialiser(user=adresse.user), False
    connu = Individu.objects.filter(email__iexact=email).order_by("-updated_at", "-pk").first()
    if connu is not None:
        return connu, False
    donnees = {**identite, "email": email}
    for _essai in range(2):
        try:
            return individu_creer(by=None, **donnees), True
        except ValidationError as error:  # a value of the form the référentiel refuses
            refuses = set(getattr(error, "message_dict", {})) - {"nom", "prenom", "email"}
            if not refuses:
                raise
            donnees = {k: v for k, v in donnees.items() if k not in refuses}
    return individu_creer(by=None, **donnees), True


@transaction.atomic
def depot_sans_compte(
    *,
    dossier: Dossier,
    email: str,
    verification,
    nom: str = "",
    prenom: str = "",
    lien: Callable[[str], str],
    lien_code: str = "",
) -> DepotSansCompte:
    """File `dossier` (in memory, from the wizard) without an account. `verification`
    is the value the dispositif asks (raises ValidationError when it cannot be one);
    `nom`/`prenom` name a new individu when the form gives none; `lien(jeton)` builds the
    follow link's absolute address. Raises DepotRefuse like `dossier_deposer`."""
    nature = dossier.dispositif.suivi_verification
    valeur = verification_normaliser(nature, verification)
    if valeur is None:
        raise ValidationError(
            _("Cette valeur de vérification n’est pas valide."), code="verification"
        )
    email = email.strip()
    dossier.cree_par = None
    dossier = dossier_deposer(dossier=dossier, user=None)
    identite = identite_du_formulaire(dossier)
    if nom.strip() and prenom.strip():
        identite |= {"nom": nom.strip(), "prenom": prenom.strip()}
    individu, nouveau = _individu(email, identite)
    code = _code_nouveau()
    cle = _aleatoire(CLE_LONGUEUR)
    dossier.demandeur_individu = individu
    dossier.email_suivi = email
    dossier.code_suivi = code
    dossier.verification_suivi = _verification_empreinte(code, nature, valeur)
    dossier.cle_rattachement = _cle_empreinte(cle)
    dossier.save(
        update_fields=[
            "demandeur_individu",
            "email_suivi",
            "code_suivi",
            "verification_suivi",
            "cle_rattachement",
            "updated_at",
        ]
    )
    Historique.objects.create(
        dossier=dossier,
        nature=Historique.Nature.AUTRE,
        libelle=(
            _("Déposée sans compte ; demandeur ajouté au référentiel (%(nom)s)")
            if nouveau
            else _("Déposée sans compte ; demandeur reconnu par son adresse (%(nom)s)")
        )
        % {"nom": individu.nom_complet or email},
        details={"individu": individu.pk, "nouveau": nouveau},
    )
    cle_affichee = _grouper(cle, 4)
    modeles_installer()
    notifier(
        "dossier.depose_sans_compte",
        contexte={
            "dossier": {
                "reference": dossier.reference,
                "dispositif": dossier.dispositif.titre,
            },
            "lien_suivi": lien(lien_jeton(dossier)),
            "lien_code": lien_code,
            "code_suivi": code,
            "cle_rattachement": cle_affichee,
            "verification": str(VerificationSuivi(nature).label).lower(),
            "duree_lien": lien_duree().days,
        },
        email=email,
        concerne=dossier,
        cle=f"dossier.depose_sans_compte:{dossier.pk}",
    )
    return DepotSansCompte(dossier=dossier, code_suivi=code, cle_rattachement=cle_affichee)


def suivi_definir(*, dossier: Dossier, code: str, cle: str, verification) -> None:
    """Give a filed hors-compte dossier known identifiers (the demo prints them on every
    load, an import brings them from another system): `code` and `cle` in the alphabet,
    `verification` the dispositif's kind of value."""
    code_normalise, cle_normalisee = code_normaliser(code), _normaliser(cle, CLE_LONGUEUR)
    nature = dossier.dispositif.suivi_verification
    valeur = verification_normaliser(nature, verification)
    if code_normalise is None or cle_normalisee is None or valeur is None:
        raise ValidationError("Code, clé ou valeur de vérification invalide.", code="suivi")
    dossier.code_suivi = code_normalise
    dossier.verification_suivi = _verification_empreinte(code_normalise, nature, valeur)
    dossier.cle_rattachement = _cle_empreinte(cle_normalisee)
    dossier.save(
        update_fields=["code_suivi", "verification_suivi", "cle_rattachement", "updated_at"]
    )


# --- Tracking code, new link -------------------------------------------------------------------


def suivi_verifier(code: str, verification: str) -> Dossier | None:
    """The filed dossier with this tracking code whose verification value matches, or
    None (whatever was wrong)."""
    code = code_normaliser(code)
    dossier = (
        Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON)
        .filter(code_suivi=code)
        .select_related("dispositif")
        .first()
        if code
        else None
    )
    if dossier is None or not dossier.verification_suivi:
        return None
    nature = dossier.dispositif.suivi_verification
    valeur = verification_normaliser(nature, verification)
    if valeur is None:
        return None
    attendue = _verification_empreinte(dossier.code_suivi, nature, valeur)
    if not hmac.compare_digest(attendue, dossier.verification_suivi):
        return None
    return dossier


def lien_renvoyer(*, email: str, reference: str, lien: Callable[[str], str]) -> bool:
    """Mail a new follow link to `email` when it is the tracking address of the filed
    hors-compte dossier `reference`; whether one was sent (never told to the visitor)."""
    dossier = (
        Dossier.objects.exclude(statut=Dossier.Statut.BROUILLON)
        .exclude(code_suivi="")
        .filter(reference=reference.strip().upper(), email_suivi__iexact=email.strip())
        .select_related("dispositif")
        .first()
    )
    if dossier is None:
        return False
    modeles_installer()
    notifier(
        "dossier.lien_suivi",
        contexte={
            "dossier": {"reference": dossier.reference, "dispositif": dossier.dispositif.titre},
            "lien_suivi": lien(lien_jeton(dossier)),
            "code_suivi": dossier.code_suivi,
            "duree_lien": lien_duree().days,
        },
        email=dossier.email_suivi,
        concerne=dossier,
    )
    return True


# --- Attach to an account ----------------------------------------------------------------------


@transaction.atomic
def dossier_rattacher(*, user, reference: str, cle: str) -> Dossier:
    """Attach the hors-compte dossier `reference` to `user`'s account with its key: the
    account becomes its author, its individu the demandeur; the key is spent. Raises
    RattachementRefuse (one message whatever was wrong)."""
    refus = RattachementRefuse(
        _("Cette référence et cette clé ne correspondent à aucune demande à rattacher."),
        code="rattachement",
    )
    brute = _normaliser(cle, CLE_LONGUEUR)
    dossier = (
        Dossier.objects.select_for_update()
        .exclude(statut=Dossier.Statut.BROUILLON)
        .exclude(cle_rattachement="")
        .filter(reference=(reference or "").strip().upper(), cree_par__isnull=True)
        .first()
    )
    if dossier is None or brute is None:
        raise refus
    if not hmac.compare_digest(_cle_empreinte(brute), dossier.cle_rattachement):
        raise refus
    ancien = dossier.demandeur_individu
    individu = compte_initialiser(user=user)
    maintenant = timezone.now()
    dossier.cree_par = user
    dossier.demandeur_individu = individu
    dossier.rattache_le = maintenant
    dossier.cle_rattachement = ""
    dossier.save(
        update_fields=[
            "cree_par",
            "demandeur_individu",
            "rattache_le",
            "cle_rattachement",
            "updated_at",
        ]
    )
    Historique.objects.create(
        dossier=dossier,
        quand=maintenant,
        par=user,
        nature=Historique.Nature.RATTACHEMENT,
        libelle=_("Demande rattachée au compte %(email)s") % {"email": user.email},
        details={"individu_avant": ancien.pk if ancien else None, "individu": individu.pk},
        visible_usager=True,
    )
    if (
        ancien is not None
        and ancien.pk != individu.pk
        and ancien.user_id is None
        and ancien.email
        and ancien.email.lower() == (user.email or "").lower()
    ):
        # Merging individus is the référentiel's job (an agent, usagers.individus_fusionner).
        Historique.objects.create(
            dossier=dossier,
            quand=maintenant,
            par=user,
            nature=Historique.Nature.RATTACHEMENT,
            libelle=_(
                "Doublon probable dans le référentiel : %(ancien)s (n°%(pk)s, sans compte, même "
                "adresse) reste à fusionner avec l’individu du compte"
            )
            % {"ancien": ancien.nom_complet, "pk": ancien.pk},
            details={"doublon": ancien.pk, "individu": individu.pk},
        )
    return dossier
