"""Free text: short text (with an optional input mask), long text, rich text, and text
checked against the admin's own regular expression."""

import html
import re
from typing import Any

import nh3
import re2
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from common.html import clean_html
from dossiers.champs.base import Definition
from dossiers.champs.natifs.communs import OptionsForm, Type
from dossiers.champs.natifs.masque import Masque
from dossiers.champs.registry import register

MESSAGE_TROP_LONG = _(
    "Ce texte est trop long : %(limit_value)d caractères au plus (il en compte %(show_value)d)."
)


def aide_avec(definition: Definition, complement: str) -> str:
    return f"{definition.aide} {complement}" if definition.aide else complement


class _OptionsLongueur(OptionsForm):
    max_longueur = forms.IntegerField(
        label=_("Longueur maximale"),
        help_text=_("En caractères. Laissez vide pour la valeur par défaut."),
        required=False,
        min_value=1,
    )


class ChampMasque(forms.CharField):
    """A text fitted to an input mask (see `masque.py`): the cleaned value is the fitted one."""

    def __init__(self, *, masque: Masque, **kwargs: Any) -> None:
        self.masque = masque
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        texte = super().to_python(value)
        if texte in self.empty_values:
            return texte
        ajuste = self.masque.appliquer(texte)
        if ajuste is None:
            raise ValidationError(
                _(
                    "Saisissez la valeur au format « %(masque)s », où %(legende)s (exemple : %(exemple)s)."
                ),
                code="masque",
                params={
                    "masque": self.masque.texte,
                    "legende": self.masque.legende(),
                    "exemple": self.masque.exemple(),
                },
            )
        return ajuste


@register
class Texte(Type):
    code = "texte"
    libelle = _("Texte court")
    categorie = "Saisie"
    LONGUEUR = 255

    class Options(_OptionsLongueur):
        masque = forms.CharField(
            label=_("Masque de saisie"),
            help_text=_(
                "9 pour un chiffre, A pour une lettre, * pour une lettre ou un chiffre ; les autres caractères s’écrivent tels quels (exemple : « 99 99 99 99 99 »)."
            ),
            required=False,
            max_length=100,
        )

        def clean_masque(self) -> str:
            masque = self.cleaned_data["masque"]
            if masque:
                Masque.lire(masque)  # raises its French message
            return masque

        def clean_max_longueur(self) -> int | None:
            longueur = self.cleaned_data["max_longueur"]
            if longueur is not None and longueur > 1000:
                raise ValidationError(
                    _(
                        "Un texte court compte au plus 1 000 caractères : choisissez un texte long au-delà."
                    ),
                    code="max_longueur",
                )
            return longueur

    def form_field(self, definition: Definition) -> forms.Field:
        options = self.options(definition)
        longueur = options["max_longueur"] or self.LONGUEUR
        attributs = self.attributs(definition, max_length=MESSAGE_TROP_LONG)
        if options["masque"]:
            masque = Masque.lire(options["masque"])
            attributs["help_text"] = aide_avec(definition, f"Exemple : {masque.exemple()}")
            return ChampMasque(
                masque=masque,
                max_length=longueur,
                widget=forms.TextInput(attrs={"data-masque": masque.texte}),
                **attributs,
            )
        return forms.CharField(max_length=longueur, **attributs)


class ChampTexteLong(forms.CharField):
    widget = forms.Textarea

    def to_python(self, value: Any) -> str:
        texte = super().to_python(value)
        return texte.replace("\r\n", "\n").replace("\r", "\n") if texte else texte


@register
class TexteLong(Type):
    code = "texte_long"
    libelle = _("Texte long")
    categorie = "Saisie"
    LONGUEUR = 10_000

    class Options(_OptionsLongueur):
        pass

    def form_field(self, definition: Definition) -> forms.Field:
        longueur = self.options(definition)["max_longueur"] or self.LONGUEUR
        return ChampTexteLong(
            max_length=longueur,
            widget=forms.Textarea(attrs={"rows": 5}),
            **self.attributs(definition, max_length=MESSAGE_TROP_LONG),
        )


_FIN_DE_BLOC = re.compile(r"</(?:p|li|h3|h4|blockquote|tr)>|<br\s*/?>", re.IGNORECASE)


def texte_brut(contenu: str) -> str:
    """Rich text as plain text (a CSV cell): one line per paragraph, no tags, no entities."""
    texte = html.unescape(nh3.clean(_FIN_DE_BLOC.sub("\n", contenu), tags=set()))
    return "\n".join(ligne.strip() for ligne in texte.splitlines() if ligne.strip())


class ChampTexteRiche(forms.CharField):
    """HTML from the editor, cleaned with nh3; markup without any text counts as empty."""

    def to_python(self, value: Any) -> str:
        texte = super().to_python(value)
        if not texte:
            return texte
        propre = clean_html(texte)
        return propre if texte_brut(propre) else ""


@register
class TexteRiche(Type):
    code = "texte_riche"
    libelle = _("Texte mis en forme")
    categorie = "Saisie"
    LONGUEUR = 50_000

    class Options(_OptionsLongueur):
        pass

    def form_field(self, definition: Definition) -> forms.Field:
        longueur = self.options(definition)["max_longueur"] or self.LONGUEUR
        return ChampTexteRiche(
            max_length=longueur,
            widget=forms.Textarea(attrs={"rows": 8, "data-editeur": "riche"}),
            **self.attributs(definition, max_length=MESSAGE_TROP_LONG),
        )

    def to_json(self, value: Any) -> str:
        return clean_html(value)

    def afficher(self, definition: Definition, valeur: Any) -> str:
        # Cleaned again on the way out: the stored value may come from elsewhere than clean().
        return mark_safe(clean_html(valeur))  # noqa: S308 - nh3's output is safe by construction

    def exporter(self, definition: Definition, valeur: Any, *, libelles: bool) -> str:
        return texte_brut(clean_html(valeur))


@register
class TexteFormate(Type):
    """Text matched whole against the admin's regular expression, with the admin's message."""

    code = "texte_formate"
    libelle = _("Texte au format contrôlé")
    categorie = "Saisie"
    LONGUEUR = 255

    class Options(OptionsForm):
        regex = forms.CharField(
            label=_("Expression régulière"),
            help_text=_(
                "La saisie entière doit y correspondre, par exemple « [0-9]{7} » pour 7 chiffres."
            ),
            max_length=500,
        )
        message = forms.CharField(
            label=_("Message d’erreur"),
            help_text=_(
                "Affiché quand la saisie ne correspond pas ; dites ce qui est attendu, avec un exemple (« Saisissez les 7 chiffres de votre numéro d’allocataire, par exemple 1234567. »)."
            ),
            max_length=300,
        )

        def clean_regex(self) -> str:
            regex = self.cleaned_data["regex"]
            try:
                _compiler(regex)
            except re2.error as erreur:
                detail = erreur.args[0] if erreur.args else ""
                if isinstance(detail, bytes):
                    detail = detail.decode("utf-8", "replace")
                raise ValidationError(
                    _(
                        "Cette expression régulière n’est pas valide (%(erreur)s). Les "
                        "références arrière et les assertions avant/arrière ne sont pas acceptées."
                    ),
                    code="regex",
                    params={"erreur": detail},
                ) from None
            return regex

    def form_field(self, definition: Definition) -> forms.Field:
        options = self.options(definition)
        return forms.CharField(
            max_length=self.LONGUEUR,
            validators=[_CorrespondA(options["regex"], options["message"])],
            **self.attributs(definition, max_length=MESSAGE_TROP_LONG),
        )


def _compiler(regex: str):
    """RE2, not `re`: the admin's expression runs on what citizens type, and RE2 matches in
    linear time, so no expression can hang a worker (no catastrophic backtracking)."""
    options = re2.Options()
    options.log_errors = False  # a refused expression is reported to the admin, not logged
    return re2.compile(regex, options)


class _CorrespondA:
    def __init__(self, regex: str, message: str) -> None:
        try:
            self.regex = _compiler(regex)
        except re2.error:
            # Saved before RE2 (or hand-written in an import): never a 500 in the wizard.
            raise ImproperlyConfigured(f"Expression régulière refusée : {regex!r}") from None
        self.message = message

    def __call__(self, valeur: str) -> None:
        if not self.regex.fullmatch(valeur):
            raise ValidationError(self.message, code="format")
