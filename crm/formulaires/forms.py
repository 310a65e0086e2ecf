"""Forms of the CRM builder. They parse input (a guided condition into its JSON, a list
of choices typed one per line); the rules stay in dossiers.services."""

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from dossiers import champs as types_de_champ
from dossiers.couverture import ChampsCouvertureField, choix_couverture
from dossiers.formules import nature_du_type
from dossiers.models import (
    ChampReferentiel,
    Dispositif,
    LienDispositif,
    Ligne,
    ListeReferentiel,
    PieceAFournir,
    ValeurListe,
    Vue,
)


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateHeureInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


# Dispositifs --------------------------------------------------------------------------


class DispositifForm(forms.ModelForm):
    """A dispositif's sheet (rich text is cleaned by the model): catalogue content, its
    illustration, start buttons, contacts, the page shown after a deposit. `blocs` lists
    the fields by section, as the template shows them."""

    retirer_illustration = forms.BooleanField(
        label=_("Retirer l’illustration actuelle"), required=False
    )
    champs_couverture = ChampsCouvertureField()

    blocs = [
        (
            _("Présentation"),
            ["titre", "slug", "code", "resume", "mots_cles", "thematiques", "types_profil"],
        ),
        (_("Illustration"), ["illustration", "retirer_illustration", "illustration_alt"]),
        (_("Fiche"), ["mode_operatoire", "eligibilite", "aide"]),
        (
            _("Boutons de démarrage"),
            ["depot_avec_compte", "depot_sans_compte", "depot_pour_autrui"],
        ),
        (
            _("Contacts"),
            ["contact_service", "contact_email", "contact_telephone", "contact_horaires"],
        ),
        (_("Après le dépôt"), ["page_confirmation"]),
        (_("Dossier côté agents"), ["champs_couverture"]),
        (
            _("Brouillons, suivi et modifications"),
            [
                "brouillon_duree",
                "brouillons_max",
                "suivi_verification",
                "modifications_seuil",
                "modifications_statut",
            ],
        ),
        (_("Publication"), ["publie_du", "publie_au", "actif", "ordre"]),
    ]

    class Meta:
        model = Dispositif
        fields = [
            "titre",
            "slug",
            "code",
            "resume",
            "mode_operatoire",
            "eligibilite",
            "illustration",
            "illustration_alt",
            "depot_avec_compte",
            "depot_sans_compte",
            "depot_pour_autrui",
            "contact_service",
            "contact_email",
            "contact_telephone",
            "contact_horaires",
            "aide",
            "thematiques",
            "types_profil",
            "page_confirmation",
            "champs_couverture",
            "brouillon_duree",
            "brouillons_max",
            "suivi_verification",
            "modifications_seuil",
            "modifications_statut",
            "mots_cles",
            "publie_du",
            "publie_au",
            "actif",
            "ordre",
        ]
        widgets = {
            "resume": forms.Textarea(attrs={"rows": 3}),
            "mode_operatoire": forms.Textarea(attrs={"rows": 5}),
            "eligibilite": forms.Textarea(attrs={"rows": 5}),
            "aide": forms.Textarea(attrs={"rows": 3}),
            "page_confirmation": forms.Textarea(attrs={"rows": 4}),
            "thematiques": forms.CheckboxSelectMultiple,
            "types_profil": forms.CheckboxSelectMultiple,
            "publie_du": DateHeureInput,
            "publie_au": DateHeureInput,
            "illustration": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        help_texts = {
            "slug": _("Dans l’adresse de la fiche : lettres minuscules, chiffres et tirets."),
            "mode_operatoire": _("Texte enrichi (HTML simple : paragraphes, listes, liens)."),
            "eligibilite": _("Texte enrichi (HTML simple : paragraphes, listes, liens)."),
            "depot_avec_compte": _("Bouton « Faire ma demande » : l’usager se connecte."),
            "depot_sans_compte": _(
                "Bouton « Faire ma demande sans compte » : l’usager donne une adresse "
                "électronique pour suivre sa demande."
            ),
            "depot_pour_autrui": _(
                "Bouton « Faire une demande pour un proche » : pour quelqu’un d’autre."
            ),
            "page_confirmation": _(
                "Affichée à l’usager juste après le dépôt (texte enrichi) : délais, suite de "
                "la démarche. Laissée vide : un message générique."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.instance.pk and self.instance.illustration):
            del self.fields["retirer_illustration"]
        self.fields["champs_couverture"].choices = choix_couverture(self.instance)
        if not self.fields["champs_couverture"].choices:
            del self.fields["champs_couverture"]  # no published form yet
        # Drafts, tracking and change detection (F14, F10): left out of a post, they keep
        # their current value (the model's default for a new dispositif).
        for nom in self.REGLAGES_AVEC_DEFAUT:
            self.fields[nom].required = False

    REGLAGES_AVEC_DEFAUT = (
        "brouillon_duree",
        "brouillons_max",
        "suivi_verification",
        "modifications_seuil",
    )

    def blocs_de_champs(self):
        """[(legend, [bound fields])], the fields the form has, in the template's order."""
        return [(titre, [self[n] for n in noms if n in self.fields]) for titre, noms in self.blocs]

    def clean(self):
        data = super().clean()
        for nom in self.REGLAGES_AVEC_DEFAUT:  # emptied: the current value stays
            if data.get(nom) in (None, "") and nom not in self.errors:
                data[nom] = getattr(self.instance, nom)
        du, au = data.get("publie_du"), data.get("publie_au")
        if du and au and au <= du:
            self.add_error("publie_au", _("La fin de publication doit suivre son début."))
        return data

    def save(self, commit=True):
        if self.cleaned_data.get("retirer_illustration") and not self.files.get(
            self.add_prefix("illustration")
        ):
            self.instance.illustration = None
        return super().save(commit)


PieceFormSet = inlineformset_factory(
    Dispositif,
    PieceAFournir,
    fields=["libelle", "precision", "obligatoire", "modele", "ordre"],
    extra=1,
    can_delete=True,
)

LienFormSet = inlineformset_factory(
    Dispositif,
    LienDispositif,
    fields=["libelle", "url", "ordre"],
    labels={"url": _("Adresse (https://…)")},
    help_texts={"libelle": _("Exemple : Questions fréquentes, Conditions d’utilisation.")},
    formfield_callback=lambda field, **kwargs: (
        field.formfield(assume_scheme="https", **kwargs)
        if field.name == "url"
        else field.formfield(**kwargs)
    ),
    extra=1,
    can_delete=True,
)


class RechercheDispositifsForm(forms.Form):
    q = forms.CharField(label=_("Titre ou code"), required=False, max_length=100)
    filtre = forms.ChoiceField(
        label=_("Afficher"),
        required=False,
        choices=[
            ("", _("Tous les dispositifs")),
            ("actifs", _("Les dispositifs actifs")),
            ("brouillon", _("Ceux qui ont un brouillon")),
        ],
    )


# Conditions ---------------------------------------------------------------------------

OPERATEURS = [
    ("=", _("est égal à")),
    ("≠", _("est différent de")),
    ("<", _("est inférieur à")),
    ("≤", _("est inférieur ou égal à")),
    (">", _("est supérieur à")),
    ("≥", _("est supérieur ou égal à")),
    ("rempli", _("est rempli")),
    ("vide", _("est vide")),
    ("contient", _("contient")),
    ("parmi", _("est l’une des valeurs (séparées par des virgules)")),
]
VRAI = {"oui", "true", "vrai", "1"}
FAUX = {"non", "false", "faux", "0"}


class ConditionMixin:
    """The guided condition "show when <field> <operator> <value>" and, for the complex
    ones, the raw JSON of dossiers/formules/conditions.py. `condition` in cleaned_data is
    the JSON (or None); the service validates it against the model's fields."""

    def ajouter_condition(self, noms: dict[str, str], initiale: Any) -> None:
        self.noms = noms
        self.fields["si_champ"] = forms.ChoiceField(
            label=_("Afficher seulement si le champ"),
            required=False,
            choices=[("", _("— toujours afficher —"))] + [(n, n) for n in sorted(noms)],
        )
        self.fields["si_op"] = forms.ChoiceField(
            label=_("Opérateur"), required=False, choices=OPERATEURS
        )
        self.fields["si_valeur"] = forms.CharField(
            label=_("Valeur"),
            required=False,
            max_length=500,
            help_text=_("Pour un oui/non : oui ou non ; pour un choix : sa clé."),
        )
        self.fields["condition"] = forms.CharField(
            label=_("Ou condition avancée (JSON)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
            help_text=_(
                'Remplace la condition guidée. Exemple : {"tous": [{"champ": "age", "op": "≥", '
                '"valeur": 18}, {"profil": "association"}]}'
            ),
        )
        if not self.is_bound and initiale:
            simple = (
                isinstance(initiale, dict)
                and set(initiale) <= {"champ", "op", "valeur"}
                and initiale.get("champ") in noms
                and initiale.get("op") in dict(OPERATEURS)
                and not isinstance(initiale.get("valeur"), dict)
            )
            if simple:
                valeur = initiale.get("valeur", "")
                if isinstance(valeur, bool):
                    valeur = "oui" if valeur else "non"
                elif isinstance(valeur, list):
                    valeur = ", ".join(str(v) for v in valeur)
                self.initial.update(
                    si_champ=initiale["champ"], si_op=initiale["op"], si_valeur=valeur
                )
            else:
                self.initial["condition"] = json.dumps(initiale, ensure_ascii=False)

    def clean_condition(self):
        texte = self.cleaned_data.get("condition", "").strip()
        if not texte:
            return None
        try:
            return json.loads(texte)
        except json.JSONDecodeError as erreur:
            raise ValidationError(
                _("La condition n’est pas un JSON valide (ligne %(l)s, colonne %(c)s).")
                % {"l": erreur.lineno, "c": erreur.colno}
            ) from None

    def condition_json(self) -> Any:
        """The condition to store: the raw JSON if given, else the guided one."""
        data = self.cleaned_data
        if data.get("condition") is not None:
            return data["condition"]
        nom = data.get("si_champ")
        if not nom:
            return None
        op = data.get("si_op") or "="
        condition: dict[str, Any] = {"champ": nom, "op": op}
        if op in ("vide", "rempli"):
            return condition
        texte = (data.get("si_valeur") or "").strip()
        nature = nature_du_type(self.noms.get(nom, ""))
        if op == "parmi":
            condition["valeur"] = [v.strip() for v in texte.split(",") if v.strip()]
        elif nature == "booleen" and texte.lower() in VRAI | FAUX:
            condition["valeur"] = texte.lower() in VRAI
        elif nature == "nombre":
            condition["valeur"] = texte.replace(" ", "").replace(",", ".")
        else:
            condition["valeur"] = texte
        return condition


# Onglets, lignes ----------------------------------------------------------------------


class OngletForm(ConditionMixin, forms.Form):
    titre = forms.CharField(label=_("Titre de l’onglet"), max_length=200)
    aide = forms.CharField(
        label=_("Aide contextuelle"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Affichée à côté de l’étape, dans le portail."),
    )

    def __init__(self, *args, noms=None, condition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ajouter_condition(noms or {}, condition)


class OngletAjoutForm(forms.Form):
    titre = forms.CharField(label=_("Titre du nouvel onglet"), max_length=200)


class LigneForm(ConditionMixin, forms.Form):
    colonnes = forms.TypedChoiceField(
        label=_("Colonnes"), choices=Ligne._meta.get_field("colonnes").choices, coerce=int
    )
    titre_section = forms.CharField(
        label=_("Titre de section"),
        required=False,
        max_length=200,
        help_text=_("Ouvre une section titrée dans l’étape."),
    )

    def __init__(self, *args, noms=None, condition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ajouter_condition(noms or {}, condition)


class LigneAjoutForm(forms.Form):
    colonnes = forms.TypedChoiceField(
        label=_("Colonnes"), choices=Ligne._meta.get_field("colonnes").choices, coerce=int
    )
    titre_section = forms.CharField(label=_("Titre de section"), required=False, max_length=200)


# Champs -------------------------------------------------------------------------------


def choix_des_types() -> list:
    """The registry's types grouped by category, for a <select> with <optgroup>s."""
    groupes: dict[str, list] = {}
    for code, type_champ in sorted(types_de_champ.types().items(), key=lambda t: t[1].libelle):
        groupes.setdefault(str(type_champ.categorie), []).append((code, type_champ.libelle))
    return [("", _("— choisir —"))] + sorted(groupes.items())


class ChampAjoutForm(forms.Form):
    type = forms.ChoiceField(label=_("Type de champ"), choices=())
    libelle = forms.CharField(label=_("Libellé"), max_length=255)
    nom = forms.CharField(
        label=_("Nom technique"),
        required=False,
        max_length=63,
        help_text=_("Laissé vide : tiré du libellé (« Nombre d’enfants » → nombre_denfants)."),
    )

    def __init__(self, *args, sous_champ: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = choix_des_types()
        self.fields["nom"].widget.attrs["data-nom-depuis"] = "libelle"
        if sous_champ:
            self.fields["type"].choices = [
                (groupe, [c for c in codes if c[0] != "bloc_repetable"])
                if isinstance(codes, list)
                else (groupe, codes)
                for groupe, codes in self.fields["type"].choices
            ]


def utilise_choix(code: str) -> bool:
    """Types whose choices the admin types (radio, list, multiple), not fixed ones."""
    try:
        type_champ = types_de_champ.get(code)
    except KeyError:
        return False
    return nature_du_type(code) in ("choix", "choix_multiple") and not getattr(
        type_champ, "CHOIX", ()
    )


class ChampForm(ConditionMixin, forms.Form):
    libelle = forms.CharField(label=_("Libellé"), max_length=255)
    nom = forms.CharField(
        label=_("Nom technique"),
        max_length=63,
        help_text=_("La clé de la valeur dans les données du dossier (exemple : nb_enfants)."),
    )
    aide = forms.CharField(
        label=_("Aide"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    prefill = forms.CharField(
        label=_("Pré-remplissage"),
        required=False,
        max_length=100,
        help_text=_("Donnée de l’usager : « individu.email », « profil.siret »…"),
    )

    def __init__(self, *args, champ, noms, **kwargs):
        self.champ = champ
        super().__init__(*args, **kwargs)
        self.ajouter_condition(noms, champ.condition)
        if utilise_choix(champ.type):
            self.fields["choix"] = forms.CharField(
                label=_("Choix proposés"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
                help_text=_("Un choix par ligne : « clé | libellé » (exemple : cdi | En CDI)."),
            )
            self.fields["liste"] = forms.ModelChoiceField(
                label=_("Ou une liste du référentiel"),
                queryset=ListeReferentiel.objects.all(),
                required=False,
                empty_label=_("— aucune : les choix ci-dessus —"),
            )
            if not self.is_bound:
                self.initial["choix"] = "\n".join(f"{k} | {v}" for k, v in champ.choix)
                self.initial["liste"] = champ.liste_id

    def clean_choix(self):
        choix, cles = [], set()
        for numero, ligne in enumerate(self.cleaned_data["choix"].splitlines(), start=1):
            if not ligne.strip():
                continue
            cle, separateur, libelle = ligne.partition("|")
            cle, libelle = cle.strip(), libelle.strip() if separateur else cle.strip()
            if not cle:
                raise ValidationError(_("Ligne %(n)s : la clé manque.") % {"n": numero})
            if cle in cles:
                raise ValidationError(
                    _("Ligne %(n)s : la clé « %(cle)s » est déjà utilisée.")
                    % {"n": numero, "cle": cle}
                )
            cles.add(cle)
            choix.append([cle, libelle])
        return choix


class ProprietesForm(forms.Form):
    """3 views × visible / editable / required for one field."""

    def __init__(self, *args, champ, **kwargs):
        super().__init__(*args, **kwargs)
        actuelles = {p.vue: p for p in champ.proprietes.all()}
        self.lignes = []
        for vue, libelle in Vue.choices:
            p = actuelles.get(vue)
            noms = []
            for attribut, texte, defaut in (
                ("visible", _("visible"), True),
                ("modifiable", _("modifiable"), True),
                ("obligatoire", _("obligatoire"), False),
            ):
                nom = f"{vue}_{attribut}"
                self.fields[nom] = forms.BooleanField(
                    label=f"{libelle} : {texte}",
                    required=False,
                    initial=getattr(p, attribut) if p else defaut,
                )
                noms.append(nom)
            self.lignes.append((libelle, [self[n] for n in noms]))

    def valeurs(self) -> dict[str, dict[str, bool]]:
        return {
            vue: {
                attribut: self.cleaned_data[f"{vue}_{attribut}"]
                for attribut in ("visible", "modifiable", "obligatoire")
            }
            for vue in Vue.values
        }


ATTRIBUTS_VUE = (
    ("visible", _("visible"), True),
    ("modifiable", _("modifiable"), True),
    ("obligatoire", _("obligatoire"), False),
)


class GrilleVueForm(forms.Form):
    """One view's column of the whole-model grid (F6): visible / editable / required for
    every field of the model. Rendered with the prefix of its view; its checkboxes sit in
    the shared table and join their form through the `form` attribute."""

    def __init__(self, *args, vue: str, champs, **kwargs):
        super().__init__(*args, prefix=vue, **kwargs)
        self.vue = vue
        libelle_vue = Vue(vue).label
        self.cases: dict[int, list] = {}
        for champ, proprietes in champs:
            noms = []
            for attribut, texte, _defaut in ATTRIBUTS_VUE:
                nom = f"c{champ.pk}_{attribut}"
                self.fields[nom] = forms.BooleanField(
                    label=_("%(champ)s (%(nom)s), vue %(vue)s : %(attribut)s")
                    % {
                        "champ": champ.libelle,
                        "nom": champ.nom,
                        "vue": libelle_vue,
                        "attribut": texte,
                    },
                    required=False,
                    initial=getattr(proprietes, attribut),
                )
                noms.append(nom)
            self.cases[champ.pk] = [self[n] for n in noms]

    def valeurs(self) -> dict[int, dict[str, bool]]:
        return {
            pk: {
                attribut: self.cleaned_data[f"c{pk}_{attribut}"] for attribut, *_r in ATTRIBUTS_VUE
            }
            for pk in self.cases
        }

    def erreurs_du_service(self, error: ValidationError) -> None:
        """The service's refusals keyed by field pk, shown on that field's "required" box."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for cle, erreurs in error.error_dict.items():
            nom = f"c{cle}_obligatoire"
            self.add_error(nom if nom in self.fields else None, erreurs)


class VueCopierForm(forms.Form):
    source = forms.ChoiceField(label=_("Copier la vue"), choices=Vue.choices)
    cible = forms.ChoiceField(label=_("vers la vue"), choices=Vue.choices, initial=Vue.CRM)


class PublierForm(forms.Form):
    note = forms.CharField(
        label=_("Note de version"),
        required=False,
        max_length=255,
        help_text=_("Ce qui change, pour les autres administrateurs."),
    )


class ImportForm(forms.Form):
    fichier = forms.FileField(label=_("Fichier JSON exporté par Guichet"))

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError(_("Le fichier dépasse 2 Mo."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ValidationError(_("Ce fichier n’est pas un JSON valide.")) from None


# Référentiel des champs ---------------------------------------------------------------


class ChampReferentielForm(forms.ModelForm):
    class Meta:
        model = ChampReferentiel
        fields = ["nom", "libelle", "type", "aide", "categorie", "liste"]
        widgets = {"aide": forms.Textarea(attrs={"rows": 2}), "type": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].widget.choices = choix_des_types()

    def clean_type(self):
        code = self.cleaned_data["type"]
        if code not in types_de_champ.types():
            raise ValidationError(_("Ce type de champ n’existe pas."))
        return code


class ListeReferentielForm(forms.ModelForm):
    class Meta:
        model = ListeReferentiel
        fields = ["code", "libelle"]


ValeurFormSet = inlineformset_factory(
    ListeReferentiel,
    ValeurListe,
    fields=["cle", "libelle", "ordre", "active"],
    extra=3,
    can_delete=True,
)
