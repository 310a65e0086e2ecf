"""Show, hide, make read-only or editable again one tab (onglet) of the dossier's form
in one view (internet: the citizen's pages; crm: the agent's Données tab; partenaire),
for this dossier only: the override is kept on its SuiviInstruction and read by the
pages through dossiers.suivi.onglets_vue. Tabs are named by title, which stays the same
across the form's versions."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dossiers.models import Onglet, Vue
from instruction.actions import TypeAction
from instruction.models import SuiviInstruction

EFFETS = {
    "masquer": {"visible": False},
    "afficher": {"visible": True},
    "lecture_seule": {"modifiable": False},
    "modifiable": {"modifiable": True},
}


class ConfigForm(forms.Form):
    onglet = forms.CharField(label=_("Titre de l’onglet"), max_length=200)
    vue = forms.ChoiceField(label=_("Vue"), choices=Vue.choices)
    effet = forms.ChoiceField(
        label=_("Effet"),
        choices=[
            ("masquer", _("Masquer")),
            ("afficher", _("Afficher")),
            ("lecture_seule", _("Lecture seule")),
            ("modifiable", _("Modifiable")),
        ],
    )


def onglet_regler(*, suivi: SuiviInstruction, onglet: str, vue: str, effet: str) -> None:
    """Write one override on the dossier's state (locked by change_status)."""
    regles = dict(suivi.onglets or {})
    par_vue = dict(regles.get(vue) or {})
    par_vue[onglet] = {**(par_vue.get(onglet) or {}), **EFFETS[effet]}
    regles[vue] = par_vue
    suivi.onglets = regles
    suivi.save(update_fields=["onglets"])


class Action(TypeAction):
    code = "onglet"
    libelle = _("Afficher, masquer ou verrouiller un onglet (par vue)")
    form_class = ConfigForm

    def executer(self, dossier, config, contexte) -> None:
        titre = config.get("onglet", "")
        if not Onglet.objects.filter(modele_id=dossier.modele_id, titre=titre).exists():
            raise ValidationError(
                _("Le formulaire de ce dossier n’a pas d’onglet « %(titre)s ».") % {"titre": titre}
            )
        if config.get("effet") not in EFFETS or config.get("vue") not in Vue.values:
            raise ValidationError(_("Le réglage de l’onglet est incomplet."))
        suivi = SuiviInstruction.objects.get(dossier_id=dossier.pk)
        onglet_regler(suivi=suivi, onglet=titre, vue=config["vue"], effet=config["effet"])

    def decrire(self, config) -> str:
        effet = {
            "masquer": _("Masque"),
            "afficher": _("Affiche"),
            "lecture_seule": _("Verrouille"),
            "modifiable": _("Rend modifiable"),
        }.get(config.get("effet"), _("Règle"))
        vue = dict(Vue.choices).get(config.get("vue"), "?")
        return _("%(effet)s l’onglet « %(onglet)s » dans la vue « %(vue)s »") % {
            "effet": effet,
            "onglet": config.get("onglet") or "?",
            "vue": vue,
        }
