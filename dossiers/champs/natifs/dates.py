"""Dates, dates with a time, and the age computed from a birth date.

Dates are stored as ISO strings ("2026-03-12"), dates with a time as ISO strings in UTC
("2026-03-12T09:30:00+00:00") and displayed in the project's time zone (TIME_ZONE,
Europe/Paris): "12 mars 2026 à 10 h 30".
"""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.text import date_fr
from dossiers.champs.base import Definition
from dossiers.champs.natifs.communs import OptionsForm, Type
from dossiers.champs.registry import register

FORMATS_DATE = ["%Y-%m-%d", "%d/%m/%Y"]
FORMATS_DATE_HEURE = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
]
ANNEE_MIN, ANNEE_MAX = 1800, 2999  # "0026-03-12" is a typo, not a date
JOURS_MAX = 73_000  # two hundred years either way
MESSAGE_DATE = _("Saisissez une date valide au format JJ/MM/AAAA (exemple : 12/03/2026).")
MESSAGE_DATE_HEURE = _(
    "Saisissez une date et une heure valides au format JJ/MM/AAAA HH:MM (exemple : 12/03/2026 14:30)."
)


class SaisieDate(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class SaisieDateHeure(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ChampDate(forms.DateField):
    """A date between optional bounds: fixed dates, or a number of days from the day of
    input (`min_jours=-36500`: about a hundred years ago; `max_jours=0`: not in the
    future)."""

    widget = SaisieDate

    def __init__(
        self,
        *,
        min_date: datetime.date | None = None,
        max_date: datetime.date | None = None,
        min_jours: int | None = None,
        max_jours: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.min_date, self.max_date = min_date, max_date
        self.min_jours, self.max_jours = min_jours, max_jours
        kwargs.setdefault("input_formats", FORMATS_DATE)
        super().__init__(**kwargs)
        minimum, maximum = self.bornes()
        if minimum:
            self.widget.attrs["min"] = minimum.isoformat()
        if maximum:
            self.widget.attrs["max"] = maximum.isoformat()

    def to_python(self, value: Any) -> datetime.date | None:
        if value is not None and not isinstance(value, str | datetime.date):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        resultat = super().to_python(value)
        if resultat is not None and not ANNEE_MIN <= resultat.year <= ANNEE_MAX:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return resultat

    def bornes(self) -> tuple[datetime.date | None, datetime.date | None]:
        aujourd_hui = timezone.localdate()
        minimum = [self.min_date] if self.min_date else []
        maximum = [self.max_date] if self.max_date else []
        if self.min_jours is not None:
            minimum.append(aujourd_hui + datetime.timedelta(days=self.min_jours))
        if self.max_jours is not None:
            maximum.append(aujourd_hui + datetime.timedelta(days=self.max_jours))
        return max(minimum, default=None), min(maximum, default=None)

    def validate(self, value: datetime.date | None) -> None:
        super().validate(value)
        if value is None:
            return
        minimum, maximum = self.bornes()
        aujourd_hui = timezone.localdate()
        if minimum and value < minimum:
            if minimum == aujourd_hui:
                raise ValidationError(_("La date ne peut pas être dans le passé."), code="passe")
            raise ValidationError(
                _("Saisissez une date à partir du %(date)s."),
                code="min_value",
                params={"date": date_fr(minimum)},
            )
        if maximum and value > maximum:
            if maximum == aujourd_hui:
                raise ValidationError(_("La date ne peut pas être dans le futur."), code="futur")
            raise ValidationError(
                _("Saisissez une date jusqu’au %(date)s au plus tard."),
                code="max_value",
                params={"date": date_fr(maximum)},
            )


@register
class Date(Type):
    code = "date"
    libelle = _("Date")
    categorie = "Dates"

    class Options(OptionsForm):
        min = forms.DateField(
            label=_("Date minimale"), required=False, input_formats=FORMATS_DATE, widget=SaisieDate
        )
        max = forms.DateField(
            label=_("Date maximale"), required=False, input_formats=FORMATS_DATE, widget=SaisieDate
        )
        min_jours = forms.IntegerField(
            label=_("Au plus tôt, en jours par rapport au jour de saisie"),
            help_text=_("0 : pas dans le passé ; -36500 : au plus cent ans avant."),
            required=False,
            min_value=-JOURS_MAX,
            max_value=JOURS_MAX,
        )
        max_jours = forms.IntegerField(
            label=_("Au plus tard, en jours par rapport au jour de saisie"),
            help_text=_("0 : pas dans le futur ; 30 : dans les trente jours."),
            required=False,
            min_value=-JOURS_MAX,
            max_value=JOURS_MAX,
        )

        def clean(self) -> dict[str, Any]:
            donnees = super().clean()
            for debut, fin in (("min", "max"), ("min_jours", "max_jours")):
                debut_, fin_ = donnees.get(debut), donnees.get(fin)
                if debut_ is not None and fin_ is not None and debut_ > fin_:
                    raise ValidationError(
                        _("La date au plus tôt doit précéder la date au plus tard."),
                        code="bornes",
                    )
            return donnees

    def form_field(self, definition: Definition) -> forms.Field:
        options = self.options(definition)
        return ChampDate(
            min_date=options["min"],
            max_date=options["max"],
            min_jours=options["min_jours"],
            max_jours=options["max_jours"],
            **self.attributs(definition, invalid=MESSAGE_DATE),
        )

    def to_json(self, value: datetime.date | None) -> str | None:
        return None if value is None else value.isoformat()

    def from_json(self, stored: Any) -> datetime.date:
        return datetime.date.fromisoformat(stored)

    def afficher(self, definition: Definition, valeur: datetime.date) -> str:
        return date_fr(valeur)


class ChampDateHeure(forms.DateTimeField):
    widget = SaisieDateHeure

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", FORMATS_DATE_HEURE)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.datetime | None:
        if value is not None and not isinstance(value, str | datetime.date):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            resultat = super().to_python(value)
        except ValidationError as erreur:
            if erreur.code == "ambiguous_timezone":
                raise ValidationError(
                    _(
                        "Cette heure n’existe pas ou existe deux fois ce jour-là, à cause du changement d’heure : choisissez une autre heure."
                    ),
                    code="changement_d_heure",
                ) from None
            raise
        if resultat is None:
            return None
        if not ANNEE_MIN <= resultat.year <= ANNEE_MAX:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return resultat.replace(microsecond=0)


@register
class DateHeure(Type):
    code = "date_heure"
    libelle = _("Date et heure")
    categorie = "Dates"

    def form_field(self, definition: Definition) -> forms.Field:
        return ChampDateHeure(**self.attributs(definition, invalid=MESSAGE_DATE_HEURE))

    def to_json(self, value: datetime.datetime | None) -> str | None:
        return None if value is None else value.astimezone(datetime.UTC).isoformat()

    def from_json(self, stored: Any) -> datetime.datetime:
        valeur = datetime.datetime.fromisoformat(stored)
        if timezone.is_naive(valeur) or not ANNEE_MIN <= valeur.year <= ANNEE_MAX:
            raise ValueError(stored)
        return valeur

    def afficher(self, definition: Definition, valeur: datetime.datetime) -> str:
        locale = timezone.localtime(valeur)
        return f"{date_fr(locale)} à {locale.hour} h {locale.minute:02d}"

    def exporter(self, definition: Definition, valeur: datetime.datetime, *, libelles: bool) -> str:
        return timezone.localtime(valeur).strftime("%Y-%m-%d %H:%M")


def age_au(naissance: datetime.date, jour: datetime.date) -> int:
    return jour.year - naissance.year - ((jour.month, jour.day) < (naissance.month, naissance.day))


@register
class Age(Type):
    """An age in whole years, computed from a date field of the same form (`champ_source`).

    The usager never types it: `form_field` is a disabled input that shows it, and the
    wizard, once the other fields are cleaned, stores `calculer(definition, donnees)` under
    the field's name (never a posted value). `clean` still validates an age given by an
    import or a correction (a whole number from 0 to 150). Recomputed on each save, it is
    the age on the day of the last save, which is what a dossier needs."""

    code = "age"
    libelle = _("Âge calculé")
    categorie = "Dates"
    type_json = int
    calcule = True
    MAXIMUM = 150

    class Options(OptionsForm):
        champ_source = forms.SlugField(
            label=_("Champ de la date de naissance"),
            help_text=_("Nom technique d’un champ de type date du même formulaire."),
            max_length=100,
        )

    def form_field(self, definition: Definition) -> forms.Field:
        attributs = self.attributs(
            definition,
            invalid=_("L’âge est un nombre entier d’années (exemple : 42)."),
            min_value=_("L’âge ne peut pas être négatif."),
            max_value=_("L’âge ne peut pas dépasser %(limit_value)s ans."),
        )
        attributs["required"] = False
        attributs["help_text"] = definition.aide or _("Calculé à partir de la date de naissance.")
        return forms.IntegerField(disabled=True, min_value=0, max_value=self.MAXIMUM, **attributs)

    def calculer(
        self,
        definition: Definition,
        donnees: dict[str, Any],
        *,
        aujourd_hui: datetime.date | None = None,
    ) -> int | None:
        """The age from the dossier's data (stored JSON values); None while the birth date
        is missing, unreadable or in the future."""
        source = donnees.get(self.options(definition)["champ_source"])
        try:
            naissance = datetime.date.fromisoformat(source)
        except (TypeError, ValueError):
            return None
        age = age_au(naissance, aujourd_hui or timezone.localdate())
        return age if 0 <= age <= self.MAXIMUM else None

    def from_json(self, stored: Any) -> int:
        if isinstance(stored, bool) or not isinstance(stored, int):
            raise TypeError(stored)
        return stored

    def afficher(self, definition: Definition, valeur: int) -> str:
        return f"{valeur} an" if valeur < 2 else f"{valeur} ans"
