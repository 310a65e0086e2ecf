"""The cover's fields (F8) as a form field, shared by the Django admin and the CRM
dispositif sheet: a multiple choice of the published form's technical names."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.selectors_gestion import noms_techniques


class ChampsCouvertureField(forms.MultipleChoiceField):
    """The cover's fields (F8): technical names of the published form's fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("champs de la couverture"))
        kwargs.setdefault(
            "help_text",
            _("Les champs du formulaire publié résumés en tête du dossier, côté agents."),
        )
        super().__init__(*args, **kwargs)


def choix_couverture(dispositif) -> list[tuple[str, str]]:
    """The published form's fields, and any name already chosen that it no longer has."""
    choix = noms_techniques(dispositif) if dispositif is not None and dispositif.pk else []
    connus = {nom for nom, _libelle in choix}
    anciens = [
        (n, n) for n in (getattr(dispositif, "champs_couverture", None) or []) if n not in connus
    ]
    return choix + anciens
