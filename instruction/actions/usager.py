"""Update the demandeur's individu or profil from the dossier's answers (a mapping
field → attribute among an allowed list), through the référentiel's services so that its
history (pghistory, the previous addresses) traces it. Empty answers are skipped: a
blank field never erases what the référentiel knows."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dossiers.models import Historique
from instruction.actions import TypeAction
from usagers import services as usagers

INDIVIDU, PROFIL = "individu", "profil"
ADRESSE = "adresse"  # a postal address field: its parts fill the address attributes
ATTRIBUTS = {
    INDIVIDU: {
        "email": _("adresse électronique"),
        "telephone_mobile": _("téléphone mobile"),
        "telephone_fixe": _("téléphone fixe"),
        ADRESSE: _("adresse postale"),
        "profession": _("profession"),
        "numero_allocataire": _("numéro d’allocataire CAF"),
    },
    PROFIL: {
        "email": _("adresse électronique"),
        "telephone": _("téléphone"),
        ADRESSE: _("adresse postale"),
        "site_web": _("site internet"),
    },
}
# The parts of an `adresse` field's value (dossiers.champs.natifs.adresse) → attributes.
PARTIES_ADRESSE = {
    "numero_voie": "adresse",
    "complement": "complement_adresse",
    "code_postal": "code_postal",
    "commune": "commune",
    "code_insee": "code_insee",
}


class ConfigForm(forms.Form):
    cible = forms.ChoiceField(
        label=_("Mettre à jour"),
        choices=[
            (INDIVIDU, _("l’individu demandeur")),
            (PROFIL, _("le profil demandeur (structure, foyer…)")),
        ],
        error_messages={"required": _("Choisissez l’individu ou le profil.")},
    )
    correspondances = forms.JSONField(
        label=_("Champs du dossier → attributs"),
        help_text=_(
            'Objet JSON {nom technique du champ : attribut}, ex. {"courriel": "email", '
            '"adresse_domicile": "adresse"}. Individu : email, telephone_mobile, '
            "telephone_fixe, adresse, profession, numero_allocataire. Profil : email, "
            "telephone, adresse, site_web."
        ),
        error_messages={"required": _("Indiquez au moins un champ à recopier.")},
    )

    def clean(self):
        donnees = super().clean()
        correspondances, cible = donnees.get("correspondances"), donnees.get("cible")
        if "correspondances" in self.errors or cible is None:
            return donnees
        if not isinstance(correspondances, dict) or not correspondances:
            self.add_error("correspondances", _("Indiquez un objet JSON non vide."))
            return donnees
        permis = ATTRIBUTS[cible]
        for champ, attribut in correspondances.items():
            if not isinstance(attribut, str) or attribut not in permis:
                self.add_error(
                    "correspondances",
                    _(
                        "« %(attribut)s » (pour le champ « %(champ)s ») n’est pas un attribut "
                        "modifiable : %(permis)s."
                    )
                    % {"attribut": attribut, "champ": champ, "permis": ", ".join(permis)},
                )
        if len([a for a in correspondances.values() if a == ADRESSE]) > 1:
            self.add_error("correspondances", _("Une seule adresse peut être recopiée."))
        return donnees


def _valeurs(donnees: dict, correspondances: dict) -> dict:
    """The attributes to write, from the non-empty answers."""
    valeurs = {}
    for champ, attribut in correspondances.items():
        valeur = donnees.get(champ)
        if valeur in (None, "", [], {}):
            continue
        if attribut == ADRESSE and isinstance(valeur, dict):
            parties = {
                cible: str(valeur.get(partie) or "").strip()
                for partie, cible in PARTIES_ADRESSE.items()
            }
            if parties["adresse"] or parties["commune"]:
                valeurs.update(parties)
            continue
        if isinstance(valeur, dict | list):
            raise ValidationError(
                gettext("Le champ « %(champ)s » ne contient pas un texte à recopier.")
                % {"champ": champ}
            )
        texte = str(valeur).strip()
        if texte:
            valeurs[attribut] = texte
    return valeurs


class Action(TypeAction):
    code = "usager"
    libelle = _("Mettre à jour l’individu ou le profil")
    form_class = ConfigForm

    @classmethod
    def decrire(cls, config: dict) -> str:
        cible = config.get("cible")
        noms = ATTRIBUTS.get(cible, {})
        attributs = ", ".join(
            str(noms.get(a, a)) for a in (config.get("correspondances") or {}).values()
        )
        qui = gettext("de l’individu") if cible == INDIVIDU else gettext("du profil")
        return gettext("Recopie dans la fiche %(qui)s demandeur : %(attributs)s") % {
            "qui": qui,
            "attributs": attributs,
        }

    def executer(self, dossier, config, contexte) -> None:
        cible = config.get("cible")
        fiche = dossier.demandeur_profil if cible == PROFIL else dossier.demandeur_individu
        valeurs = _valeurs(dossier.donnees or {}, config.get("correspondances") or {})
        if fiche is None or not valeurs:
            return  # no demandeur of that kind, or nothing answered: nothing to copy
        try:
            if cible == PROFIL:
                modifies = usagers.profil_modifier(profil=fiche, by=contexte.par, **valeurs)
            else:
                modifies = usagers.individu_modifier(individu=fiche, by=contexte.par, **valeurs)
        except ValidationError as erreur:
            noms = {f.name: str(f.verbose_name) for f in fiche._meta.fields}
            messages = (
                [
                    f"{noms[champ]} : {' '.join(liste)}" if champ in noms else " ".join(liste)
                    for champ, liste in erreur.message_dict.items()
                ]
                if hasattr(erreur, "error_dict")
                else erreur.messages
            )
            if hasattr(erreur, "error_dict") and not set(erreur.error_dict) & set(valeurs):
                # The record was already incomplete elsewhere (a field the dossier does
                # not bring): the agent can't fix it in a status change, so the copy is
                # skipped with a note rather than the change refused.
                Historique.objects.create(
                    dossier=dossier,
                    par=contexte.par,
                    nature=Historique.Nature.AUTRE,
                    libelle=(
                        gettext("Fiche %(fiche)s non mise à jour (fiche incomplète : %(e)s)")
                        % {"fiche": fiche, "e": " ; ".join(messages)}
                    )[:300],
                    details={"action": self.code, "statut": contexte.statut.code},
                )
                return
            raise ValidationError(
                gettext("La fiche %(fiche)s refuse ces valeurs : %(erreurs)s")
                % {"fiche": fiche, "erreurs": " ; ".join(messages)}
            ) from erreur
        if modifies:
            noms = {f.name: f.verbose_name for f in fiche._meta.fields}
            Historique.objects.create(
                dossier=dossier,
                par=contexte.par,
                nature=Historique.Nature.AUTRE,
                libelle=(
                    gettext("Fiche %(fiche)s mise à jour depuis le dossier : %(champs)s")
                    % {"fiche": fiche, "champs": ", ".join(str(noms[c]) for c in modifies)}
                )[:300],
                details={"action": self.code, "statut": contexte.statut.code, "champs": modifies},
            )
