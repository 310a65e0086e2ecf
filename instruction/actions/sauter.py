"""Skip étapes: on entering this statut, move the dossier on at once to a later statut
of its guide, through change_status (checked like any change, its own history line and
actions: the history shows both statuts). Put it last among the statut's actions: those
after it run once the dossier has moved on.

The target is kept by its code, not its pk: copying a guide version (version_copier)
copies the actions' config as is, and the code names the same statut in the copy."""

from contextvars import ContextVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from instruction.actions import TypeAction
from instruction.models import Statut, SuiviInstruction

# Skips chained within one change (a skip landing on a statut that skips again…). The
# target must come later in the guide, so a loop cannot happen; the cap is the guard
# should that rule ever be loosened.
PROFONDEUR_MAX = 5
_profondeur: ContextVar[int] = ContextVar("instruction_sauts", default=0)


class ConfigForm(forms.Form):
    statut = forms.SlugField(
        label=_("Code du statut où aller"),
        max_length=50,
        help_text=_("Un statut d’une étape suivante du même guide, ex. « en_instruction »."),
        error_messages={"required": _("Indiquez le code du statut où aller.")},
    )
    motif = forms.CharField(label=_("Motif inscrit à l’historique"), max_length=300, required=False)


class Action(TypeAction):
    code = "sauter"
    libelle = _("Sauter des étapes")
    form_class = ConfigForm

    @classmethod
    def decrire(cls, config: dict) -> str:
        return gettext("Passe aussitôt au statut « %(statut)s »") % {
            "statut": config.get("statut", "?")
        }

    def executer(self, dossier, config, contexte) -> None:
        from instruction.services import change_status

        depuis = contexte.statut
        cible = (
            Statut.objects.select_related("etape")
            .filter(version_id=depuis.version_id, code=config.get("statut"))
            .first()
        )
        if cible is None:
            raise ValidationError(
                gettext("Le statut « %(code)s » n’existe pas dans ce guide.")
                % {"code": config.get("statut")}
            )
        if (cible.etape.ordre, cible.ordre) <= (depuis.etape.ordre, depuis.ordre):
            raise ValidationError(
                gettext("Le statut « %(cible)s » ne vient pas après « %(depuis)s » dans le guide.")
                % {"cible": cible.libelle, "depuis": depuis.libelle}
            )
        # Another action of this statut already moved the dossier: nothing to skip.
        if not SuiviInstruction.objects.filter(dossier_id=dossier.pk, statut=depuis).exists():
            return
        profondeur = _profondeur.get()
        if profondeur >= PROFONDEUR_MAX:
            raise ValidationError(
                gettext("Trop de sauts d’étapes enchaînés (%(n)d) : vérifiez le guide.")
                % {"n": PROFONDEUR_MAX}
            )
        jeton = _profondeur.set(profondeur + 1)
        try:
            change_status(
                dossier=dossier,
                statut=cible,
                by=contexte.par,
                reason=config.get("motif")
                or gettext("Étapes sautées depuis « %(statut)s »") % {"statut": depuis.libelle},
            )
        finally:
            _profondeur.reset(jeton)
