"""dossier_lie: the usager links one (or several) of their own dossiers, e.g. the
subsidy request a report follows, the room hire a deposit refers to.

The choices depend on who fills the form (`contextuel`): the dossiers that
`dossiers.selectors.dossiers_of(user)` reaches (the account's own, and those filed for a
profil it is a member of), narrowed by the field's options — the dispositifs allowed
(none: any), drafts or not (not by default), only the dossier's own demandeur profil —
and never the dossier being filled. What is posted is a pk; `clean` looks it up in that
scope again, so somebody else's dossier (or a draft, or a dispositif not allowed) is
refused with a French message and never stored.

Stored: {"pk": 12, "reference": "2026-SUB-000123", "dispositif": "Subvention aux
associations"} (the dispositif's title at the time of linking), a list of them when
several may be linked. Displayed "2026-SUB-000123 — Subvention aux associations";
exported and given to document templates as the reference(s). Without a context (an
import, a test) nothing is offered and only an empty answer is accepted; in the CRM
preview (no usager) an example is shown.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from dossiers.champs.base import Contexte, Definition, refuse
from dossiers.champs.natifs.communs import OptionsForm, Type
from dossiers.champs.registry import register

CODE = "dossier_lie"
# A select lists the most recent reachable dossiers; `clean` accepts any of them.
CHOIX_MAX = 200
_CODE_DISPOSITIF = re.compile(r"[A-Za-z0-9_-]{1,10}")
_PK_MAX = 2**63 - 1

MESSAGE_REQUIS = _("Choisissez un dossier.")
MESSAGE_REQUIS_PLUSIEURS = _("Choisissez au moins un dossier.")
MESSAGE_INVALIDE = _("Ce choix n’est pas valide : choisissez un dossier dans la liste.")
MESSAGE_ETRANGER = _(
    "Ce dossier ne fait pas partie de vos dossiers : choisissez-en un dans la liste."
)
MESSAGE_SANS_COMPTE = _(
    "Aucun dossier ne peut être lié ici : connectez-vous pour choisir l’un de vos dossiers."
)


def _dispositifs_choix() -> list[tuple[str, str]]:
    from dossiers.models import Dispositif

    return [
        (code, f"{titre} ({code})")
        for code, titre in Dispositif.objects.order_by("titre").values_list("code", "titre")
    ]


class ChampCodes(forms.MultipleChoiceField):
    """Dispositif codes: the builder lists the installation's dispositifs; a code from
    elsewhere (an import) is kept as it is and reported at publication (`verifier`), so
    reading the options never needs the database."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value: Any) -> bool:
        return isinstance(value, str) and bool(_CODE_DISPOSITIF.fullmatch(value))

    def clean(self, value: Any) -> list[str]:
        return list(dict.fromkeys(code.upper() for code in super().clean(value)))


class OptionsDossierLie(OptionsForm):
    dispositifs = ChampCodes(
        label=_("Démarches dont un dossier peut être lié"),
        required=False,
        choices=_dispositifs_choix,
        help_text=_("Aucune cochée : tout dossier de l’usager peut être lié."),
    )
    brouillons = forms.BooleanField(
        label=_("Accepter les brouillons (demandes pas encore déposées)"), required=False
    )
    multiple = forms.BooleanField(label=_("Plusieurs dossiers peuvent être liés"), required=False)
    meme_profil = forms.BooleanField(
        label=_("Seulement les dossiers du même demandeur"),
        required=False,
        help_text=_(
            "Par exemple, les seules demandes de l’association pour laquelle l’usager dépose."
        ),
    )

    def en_json(self) -> dict[str, Any]:
        """Only what differs from the defaults (no dispositif, no draft, one dossier)."""
        return {nom: valeur for nom, valeur in self.cleaned_data.items() if valeur}


def libelle_dossier(reference: str, pk: Any, dispositif: str) -> str:
    """ "2026-SUB-000123 — Subvention aux associations"; a draft has no reference yet."""
    nom = reference or str(_("Brouillon n°%(pk)s") % {"pk": pk})
    return f"{nom} — {dispositif}" if dispositif else nom


class _Candidats:
    """The dossiers a form field offers, read once and only when the page needs them
    (building a field to read what was posted costs no query)."""

    def __init__(self, type_champ: "DossierLie", definition: Definition):
        self.type_champ, self.definition = type_champ, definition
        self._choix: list[tuple[str, str]] | None = None

    def choix(self) -> list[tuple[str, str]]:
        if self._choix is None:
            contexte = self.definition.contexte
            if contexte is not None and contexte.apercu:
                self._choix = [("", self.type_champ.exemple(self.definition))]
            else:
                self._choix = [
                    (str(dossier.pk), self.type_champ.libelle_choix(dossier))
                    for dossier in self.type_champ.candidats(self.definition)[:CHOIX_MAX]
                ]
        return self._choix

    def choix_avec_vide(self) -> list[tuple[str, str]]:
        return [("", _("Sélectionner un dossier")), *self.choix()]

    def aide(self) -> str:
        aide = str(self.definition.aide)
        contexte = self.definition.contexte
        if contexte is not None and contexte.apercu:
            note = _(
                "Aperçu : l’usager choisira ici parmi ses propres dossiers (et ceux des "
                "profils dont il est membre) ; le dossier proposé n’est qu’un exemple."
            )
        elif contexte is None or contexte.user is None:
            note = _("Connectez-vous pour choisir l’un de vos dossiers.")
        elif not self.choix():
            note = _("Vous n’avez encore aucun dossier qui puisse être lié ici.")
        else:
            return aide
        return f"{aide} {note}".strip()


class _Lien:
    """What select and checkboxes show for a stored link: its pk."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return str(value.get("pk", ""))
        if isinstance(value, list | tuple):
            return [self.prepare_value(v) for v in value]
        return super().prepare_value(value)  # type: ignore[misc]


class ChampDossier(_Lien, forms.ChoiceField):
    pass


class ChampDossiers(_Lien, forms.MultipleChoiceField):
    pass


@register
class DossierLie(Type):
    code = CODE
    libelle = _("Dossier lié (un dossier de l’usager)")
    categorie = "Choix"
    contextuel = True
    Options = OptionsDossierLie

    # --- the choices ------------------------------------------------------------------
    def candidats(self, definition: Definition):
        """The dossiers this field may link for its context (a queryset, newest first)."""
        from dossiers.models import Dossier
        from dossiers.selectors import dossiers_of

        contexte = definition.contexte
        if contexte is None or contexte.user is None:
            return Dossier.objects.none()
        options = self.options(definition)
        dossiers = dossiers_of(contexte.user)
        if not options["brouillons"]:
            dossiers = dossiers.exclude(statut=Dossier.Statut.BROUILLON)
        if options["dispositifs"]:
            dossiers = dossiers.filter(dispositif__code__in=options["dispositifs"])
        if options["meme_profil"]:
            if contexte.profil is not None:
                dossiers = dossiers.filter(demandeur_profil=contexte.profil)
            else:
                dossiers = dossiers.filter(demandeur_profil__isnull=True)
        if contexte.dossier is not None and contexte.dossier.pk:
            dossiers = dossiers.exclude(pk=contexte.dossier.pk)
        return dossiers.order_by("-depose_le", "-created_at", "-pk")

    def libelle_choix(self, dossier) -> str:
        libelle = libelle_dossier(dossier.reference, dossier.pk, dossier.dispositif.titre)
        profil = dossier.demandeur_profil
        return (
            f"{libelle} ({profil.nom})" if profil is not None and not profil.personnel else libelle
        )

    def exemple(self, definition: Definition) -> str:
        codes = self.options(definition)["dispositifs"]
        code = codes[0] if codes else "SUB"
        reference = f"{timezone.localdate().year}-{code}-000123"
        return str(_("Exemple : %(dossier)s")) % {
            "dossier": libelle_dossier(reference, 0, str(_("une démarche de l’usager")))
        }

    # --- input -----------------------------------------------------------------------
    def form_field(self, definition: Definition) -> forms.Field:
        candidats = _Candidats(self, definition)
        multiple = self.options(definition)["multiple"]
        attributs = self.attributs(
            definition,
            required=MESSAGE_REQUIS_PLUSIEURS if multiple else MESSAGE_REQUIS,
            invalid_choice=MESSAGE_ETRANGER,
        )
        attributs["help_text"] = lazy(candidats.aide, str)()
        if multiple:
            return ChampDossiers(
                choices=candidats.choix,
                widget=forms.CheckboxSelectMultiple(attrs={"data-multiple": ""}),
                **attributs,
            )
        return ChampDossier(choices=candidats.choix_avec_vide, widget=forms.Select, **attributs)

    def clean(self, definition: Definition, raw: Any) -> Any:
        multiple = self.options(definition)["multiple"]
        pks = self._pks(raw, multiple=multiple)
        if not pks:
            if definition.obligatoire:
                raise refuse(MESSAGE_REQUIS_PLUSIEURS if multiple else MESSAGE_REQUIS, "required")
            return [] if multiple else None
        contexte = definition.contexte
        if contexte is None or contexte.user is None:
            raise refuse(MESSAGE_SANS_COMPTE, "sans_compte")
        trouves = {dossier.pk: dossier for dossier in self.candidats(definition).filter(pk__in=pks)}
        for pk in pks:
            if pk not in trouves:
                raise self._refus(definition, contexte, pk)
        valeurs = [self.valeur(trouves[pk]) for pk in pks]
        return valeurs if multiple else valeurs[0]

    @staticmethod
    def valeur(dossier) -> dict[str, Any]:
        return {
            "pk": dossier.pk,
            "reference": dossier.reference,
            "dispositif": dossier.dispositif.titre,
        }

    def _pks(self, raw: Any, *, multiple: bool) -> list[int]:
        """The posted (or stored) answer as pks, once each in order; ValidationError when
        it is not one: a pk (text or number), a stored link, or a list of them."""
        if raw is None:
            return []
        if isinstance(raw, list | tuple):
            if not multiple:
                raise refuse(
                    _("Cette valeur n’est pas valide : une seule réponse est attendue."),
                    "valeur_invalide",
                )
            elements = list(raw)
        else:
            elements = [raw]
        pks: list[int] = []
        for element in elements:
            if isinstance(element, dict):
                element = element.get("pk")
            if isinstance(element, str):
                element = element.strip()
                if element == "":
                    continue
                if not element.isascii() or not element.isdigit():
                    raise refuse(MESSAGE_INVALIDE, "invalid_choice")
                if len(element) > len(str(_PK_MAX)):  # never a pk; int() caps long texts
                    raise refuse(MESSAGE_ETRANGER, "invalid_choice")
                element = int(element)
            if isinstance(element, bool) or not isinstance(element, int):
                raise refuse(MESSAGE_INVALIDE, "invalid_choice")
            if not 0 < element <= _PK_MAX:
                raise refuse(MESSAGE_ETRANGER, "invalid_choice")
            pks.append(element)
        return list(dict.fromkeys(pks))

    def _refus(self, definition: Definition, contexte: Contexte, pk: int) -> ValidationError:
        """Why a pk is refused. Somebody else's dossier and a missing one get the same
        message: the answer never tells whether a dossier exists."""
        from dossiers.models import Dossier
        from dossiers.selectors import dossiers_of

        dossier = dossiers_of(contexte.user).filter(pk=pk).first()
        if dossier is None:
            return refuse(MESSAGE_ETRANGER, "invalid_choice")
        options = self.options(definition)
        if contexte.dossier is not None and dossier.pk == contexte.dossier.pk:
            return refuse(_("Une demande ne peut pas être liée à elle-même."), "lui_meme")
        if dossier.statut == Dossier.Statut.BROUILLON and not options["brouillons"]:
            return refuse(
                _("Ce dossier est un brouillon : seule une demande déposée peut être liée."),
                "brouillon",
            )
        if options["dispositifs"] and dossier.dispositif.code not in options["dispositifs"]:
            return refuse(
                _(
                    "Ce dossier ne concerne pas une démarche acceptée ici : choisissez-en un "
                    "dans la liste."
                ),
                "dispositif",
            )
        return refuse(
            _("Ce dossier a été déposé pour un autre demandeur que celui de cette demande."),
            "autre_demandeur",
        )

    # --- stored values ---------------------------------------------------------------
    def to_json(self, value: Any) -> Any:
        return value

    def from_json(self, stored: Any) -> list[dict[str, Any]]:
        """The links as a list (one for a single link); TypeError for anything else."""
        liens = stored if isinstance(stored, list) else [stored]
        for lien in liens:
            if not (
                isinstance(lien, dict)
                and isinstance(lien.get("pk"), int)
                and not isinstance(lien.get("pk"), bool)
                and isinstance(lien.get("reference"), str)
                and isinstance(lien.get("dispositif", ""), str)
            ):
                raise TypeError(stored)
        return liens

    def lire(self, stored: Any) -> tuple[bool, Any]:
        try:
            return True, self.from_json(stored)
        except TypeError:
            return False, stored

    def references(self, liens: list[dict[str, Any]]) -> list[str]:
        return [
            lien["reference"] or str(_("Brouillon n°%(pk)s") % {"pk": lien["pk"]}) for lien in liens
        ]

    def afficher(self, definition: Definition, valeur: list[dict[str, Any]]) -> str:
        return ", ".join(
            libelle_dossier(lien["reference"], lien["pk"], lien.get("dispositif", ""))
            for lien in valeur
        )

    def exporter(self, definition: Definition, valeur: list[dict[str, Any]], *, libelles: bool):
        return " | ".join(self.references(valeur))

    def variable(self, definition: Definition, stored: Any) -> str:
        """The reference(s), for document templates: "2026-SUB-000123" (joined by ", ")."""
        if self.est_vide(stored):
            return ""
        lu, liens = self.lire(stored)
        return ", ".join(self.references(liens)) if lu else str(stored)

    def verifier(self, definition: Definition, noms: dict[str, str]) -> list[str]:
        """Dispositif codes unknown here (a model imported from elsewhere)."""
        from dossiers.models import Dispositif

        codes = self.options(definition)["dispositifs"]
        if not codes:
            return []
        connus = set(Dispositif.objects.filter(code__in=codes).values_list("code", flat=True))
        return [
            _("La démarche « %(code)s » n’existe pas dans cette installation.") % {"code": code}
            for code in codes
            if code not in connus
        ]
