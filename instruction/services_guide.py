"""The guide builder's verbs (I1, the CRM « Guides d'instruction » screens): create a
guide, then add, change, move and delete the étapes, statuts and actions of a draft.

Only a draft version changes: a published or archived one holds dossiers (they keep the
version they entered), so every verb locks the version's row and refuses with a French
ValidationError unless it is a draft — `version_publier` takes the same lock, so a
change never lands in a version published meanwhile. Publishing and copying a version
are `instruction.services.version_publier` / `version_copier`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from instruction import actions
from instruction.models import (
    ActionStatut,
    Couleur,
    Declencheur,
    Etape,
    Guide,
    Minuteur,
    Statut,
    VersionGuide,
)

# The properties of a statut the builder edits (besides its étape and its `suivants`).
PROPRIETES_STATUT = (
    "code",
    "libelle",
    "libelle_usager",
    "libelle_bouton",
    "couleur",
    "icone",
    "initial",
    "avance",
    "cloture",
    "masque",
    "visible_partenaires",
    "modifiable_usager",
    "motif_obligatoire",
)
PROPRIETES_ETAPE = ("libelle", "couleur", "aide", "duree_cible")


def _brouillon(version_id: int) -> VersionGuide:
    """The version, locked until the end of the transaction; refused unless a draft."""
    version = VersionGuide.objects.select_for_update().get(pk=version_id)
    if version.etat != VersionGuide.Etat.BROUILLON:
        raise ValidationError(
            _(
                "Cette version est %(etat)s : elle ne se modifie plus. Créez un nouveau "
                "brouillon à partir d’elle."
            )
            % {"etat": version.get_etat_display().lower()},
            code="non_brouillon",
        )
    return version


def _deplacer(freres: list, objet, sens: int) -> None:
    """Swap `objet` with its neighbour in `sens` (-1 up, 1 down) among `freres` (in
    display order), then number them all 0..n (orders may have gaps or ties)."""
    rang = next(i for i, frere in enumerate(freres) if frere.pk == objet.pk)
    cible = rang + sens
    if 0 <= cible < len(freres):
        freres[rang], freres[cible] = freres[cible], freres[rang]
    for ordre, frere in enumerate(freres):
        frere.ordre = ordre
    type(objet).objects.bulk_update(freres, ["ordre"])


def _suivant(queryset) -> int:
    dernier = queryset.aggregate(m=Max("ordre"))["m"]
    return 0 if dernier is None else dernier + 1


# --- Guide --------------------------------------------------------------------------------


@transaction.atomic
def guide_creer(*, dispositif) -> VersionGuide:
    """The dispositif's guide with its first draft (version 1, empty)."""
    if Guide.objects.filter(dispositif=dispositif).exists():
        raise ValidationError(
            _("Le dispositif « %(d)s » a déjà un guide d’instruction.") % {"d": dispositif},
            code="existe",
        )
    guide = Guide.objects.create(dispositif=dispositif)
    return VersionGuide.objects.create(guide=guide, numero=1)


# --- Étapes -------------------------------------------------------------------------------


def _valider(objet, exclude=()) -> None:
    """Model validation (lengths, choices, constraints) with the model's French messages;
    a statut's code first, with a message naming the statut that has it."""
    if isinstance(objet, Statut):
        autre = (
            Statut.objects.filter(version_id=objet.version_id, code=objet.code)
            .exclude(pk=objet.pk)
            .first()
        )
        if autre is not None:
            raise ValidationError(
                {
                    "code": _("Le code « %(code)s » est déjà celui du statut « %(s)s ».")
                    % {"code": objet.code, "s": autre.libelle}
                }
            )
    objet.full_clean(exclude=list(exclude))


@transaction.atomic
def etape_ajouter(
    *, version: VersionGuide, libelle: str, couleur: str = Couleur.INFO, aide="", duree_cible=None
) -> Etape:
    _brouillon(version.pk)
    etape = Etape(
        version=version,
        libelle=libelle,
        couleur=couleur,
        aide=aide,
        duree_cible=duree_cible,
        ordre=_suivant(version.etapes.all()),
    )
    _valider(etape)
    etape.save()
    return etape


@transaction.atomic
def etape_modifier(*, etape: Etape, **proprietes) -> Etape:
    _brouillon(etape.version_id)
    for nom, valeur in proprietes.items():
        if nom not in PROPRIETES_ETAPE:
            raise TypeError(nom)
        setattr(etape, nom, valeur)
    _valider(etape)
    etape.save()
    return etape


@transaction.atomic
def etape_deplacer(*, etape: Etape, sens: int) -> None:
    _brouillon(etape.version_id)
    _deplacer(list(Etape.objects.filter(version_id=etape.version_id)), etape, sens)


@transaction.atomic
def etape_supprimer(*, etape: Etape) -> None:
    """The étape with its statuts and their actions."""
    _brouillon(etape.version_id)
    try:
        etape.delete()
    except ProtectedError:  # a draft holds no dossier; kept for a clear message anyway
        raise ValidationError(
            _("Des dossiers sont dans un statut de cette étape : elle ne peut être supprimée.")
        ) from None


# --- Statuts ------------------------------------------------------------------------------


def code_libre(version_id: int, libelle: str, code: str = "") -> str:
    """`code` or, when empty, one made from the label, unique in the version."""
    if code:
        return code
    base = slugify(libelle)[:44] or "statut"
    pris = set(Statut.objects.filter(version_id=version_id).values_list("code", flat=True))
    code, n = base, 2
    while code in pris:
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def statut_ajouter(*, etape: Etape, libelle: str, code: str = "") -> Statut:
    """A statut at the end of the étape; the version's first one is its initial statut."""
    version = _brouillon(etape.version_id)
    statut = Statut(
        etape=etape,
        version=version,
        libelle=libelle,
        code=code_libre(version.pk, libelle, code),
        initial=not version.statuts.exists(),
        ordre=_suivant(etape.statuts.all()),
    )
    _valider(statut, exclude=["suivants"])
    statut.save()
    return statut


@transaction.atomic
def statut_modifier(
    *, statut: Statut, etape: Etape | None = None, suivants=None, **proprietes
) -> Statut:
    """Change the statut's properties, its étape (one of the same version) and its
    allowed next statuts (pks of the same version, itself excepted). Making it the
    initial statut takes the mark from the previous one (one per version)."""
    version = _brouillon(statut.version_id)
    for nom, valeur in proprietes.items():
        if nom not in PROPRIETES_STATUT:
            raise TypeError(nom)
        setattr(statut, nom, valeur)
    if etape is not None:
        if etape.version_id != version.pk:
            raise ValidationError({"etape": _("Choisissez une étape de cette version.")})
        if etape.pk != statut.etape_id:
            statut.etape = etape
            statut.ordre = _suivant(etape.statuts.all())
    if statut.initial:
        version.statuts.filter(initial=True).exclude(pk=statut.pk).update(initial=False)
    _valider(statut, exclude=["suivants"])
    statut.save()
    if suivants is not None:
        pks = {int(pk) for pk in suivants}
        permis = set(
            Statut.objects.filter(version_id=version.pk, pk__in=pks)
            .exclude(pk=statut.pk)
            .values_list("pk", flat=True)
        )
        if permis != pks:
            raise ValidationError(
                {"suivants": _("Choisissez des statuts de cette version, autres que lui-même.")}
            )
        statut.suivants.set(permis)
    return statut


@transaction.atomic
def statut_deplacer(*, statut: Statut, sens: int) -> None:
    _brouillon(statut.version_id)
    _deplacer(list(Statut.objects.filter(etape_id=statut.etape_id)), statut, sens)


@transaction.atomic
def statut_supprimer(*, statut: Statut) -> None:
    _brouillon(statut.version_id)
    try:
        statut.delete()
    except ProtectedError:
        raise ValidationError(
            _("Des dossiers sont passés par ce statut : il ne peut être supprimé.")
        ) from None


# --- Actions ------------------------------------------------------------------------------


def _action_valider(action: ActionStatut) -> None:
    """The config checked by the type's form, as in the admin (`ActionStatut.clean`)."""
    action.clean()


@transaction.atomic
def action_ajouter(*, statut: Statut, type: str, config: dict) -> ActionStatut:  # noqa: A002
    """An action at the end of the statut's; `config` is the type's form data (pks for
    objects), validated and normalised by the type's form."""
    _brouillon(statut.version_id)
    if actions.type_action(type) is None:
        raise ValidationError({"type": _("Type d’action inconnu.")})
    action = ActionStatut(
        statut=statut, type=type, config=config, ordre=_suivant(statut.actions.all())
    )
    _action_valider(action)
    action.save()
    return action


@transaction.atomic
def action_modifier(*, action: ActionStatut, config: dict) -> ActionStatut:
    _brouillon(action.statut.version_id)
    action.config = config
    _action_valider(action)
    action.save(update_fields=["config"])
    return action


@transaction.atomic
def action_deplacer(*, action: ActionStatut, sens: int) -> None:
    _brouillon(action.statut.version_id)
    _deplacer(list(ActionStatut.objects.filter(statut_id=action.statut_id)), action, sens)


@transaction.atomic
def action_supprimer(*, action: ActionStatut) -> None:
    _brouillon(action.statut.version_id)
    action.delete()


# --- Timers and déclencheurs (I8) ----------------------------------------------------
# Timers change only with their draft (a published version's timers are what its
# dossiers live by); déclencheurs may change at any time: they apply to every version of
# the guide by statut code, and a webhook's partner needs its secret whatever the state.


@transaction.atomic
def minuteur_enregistrer(*, minuteur: Minuteur) -> Minuteur:
    """Create or change a timer of a draft (its target checked by the model: a statut of
    the same version)."""
    _brouillon(minuteur.statut.version_id)
    _valider(minuteur, exclude=("duree",))
    minuteur.save()
    return minuteur


@transaction.atomic
def minuteur_supprimer(*, minuteur: Minuteur) -> None:
    _brouillon(minuteur.statut.version_id)
    minuteur.delete()


@transaction.atomic
def declencheur_enregistrer(*, declencheur: Declencheur) -> Declencheur:
    VersionGuide.objects.select_for_update().get(pk=declencheur.version_id)
    if not declencheur.secret:
        declencheur.regenerer_secret()
    _valider(declencheur)
    declencheur.save()
    return declencheur


@transaction.atomic
def declencheur_supprimer(*, declencheur: Declencheur) -> None:
    declencheur.delete()


@transaction.atomic
def declencheur_secret_regenerer(*, declencheur: Declencheur) -> str:
    """A new secret: the old one stops working at once (a leaked secret is revoked)."""
    declencheur = Declencheur.objects.select_for_update().get(pk=declencheur.pk)
    secret = declencheur.regenerer_secret()
    declencheur.save(update_fields=["secret", "updated_at"])
    return secret
