"""The CRM dossier list's form (GET): the registered filters' fields (dossiers.liste),
the sort and the columns; and the saved views' forms. A field holding bad input is
ignored with its message beside it, the others still apply."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers import liste

# Query parameters that are not filters: paging and the saved view opened.
PAGINATION = ("apres", "avant", "page", "p", "vue", "partiel")


def contexte(agent, data, *, options: bool = True) -> liste.Contexte:
    """The options of the dependent filters follow the dispositif asked for — one the
    agent sees: a forbidden one shows none of its statuts or fields; without `options`,
    none is read (parsing only: nothing is shown)."""
    return liste.Contexte(
        agent=agent,
        dispositif_id=liste.dispositif_visible(agent, (data.get("dispositif") or "").strip()),
        options=options,
        demandes=frozenset(nom for nom in data if str(data.get(nom) or "").strip()),
    )


def _libelle_tri(tri: liste.Tri, descendant: bool) -> str:
    sens = _("décroissant") if descendant else _("croissant")
    return f"{tri.libelle} ({sens})"


class ListeForm(forms.Form):
    def __init__(self, data, *, ctx: liste.Contexte):
        super().__init__(data)
        self.ctx = ctx
        self.dependants = []
        # The fields of the scope filters (dispositif, territoire), by name.
        self.portees: dict[str, liste.Filtre] = {}
        self.refuses: set[str] = set()
        for filtre in liste.filtres():
            for nom, champ in filtre.champs(ctx).items():
                self.fields[nom] = champ
                if filtre.hors_portee_message:
                    self.portees[nom] = filtre
                if filtre.depend_du_dispositif:
                    self.dependants.append(nom)
        self.fields["tri"] = forms.ChoiceField(
            label=gettext_lazy("Trier par"),
            required=False,
            choices=[
                (f"{'-' if desc else ''}{t.nom}", _libelle_tri(t, desc))
                for t in liste.tris()
                for desc in (True, False)
            ],
        )
        colonnes = [(c.nom, c.libelle) for c in liste.colonnes()]
        colonnes += [
            (f"{liste.PREFIXE_CHAMP}{nom}", libelle) for nom, libelle in liste.champs_proposes(ctx)
        ]
        self.fields["colonnes"] = forms.MultipleChoiceField(
            label=gettext_lazy("Colonnes affichées"),
            required=False,
            choices=colonnes,
            widget=forms.CheckboxSelectMultiple,
            help_text=gettext_lazy(
                "Les champs du formulaire sont proposés une fois un dispositif choisi."
            ),
        )

    def clean(self):
        donnees = super().clean()
        for nom, message in liste.valider_champ(donnees).items():
            self.add_error(nom, message)
        self.refuses = set()
        for nom, filtre in self.portees.items():
            brut = str(self.data.get(nom) or "").strip()
            if not brut:
                continue
            # Malformed (the field's own error) or outside the scope: one message.
            if nom in self._errors or filtre.hors_portee(donnees.get(nom), self.ctx):
                self._errors.pop(nom, None)
                self.add_error(nom, filtre.hors_portee_message)
                self.refuses.add(nom)
        return donnees

    def valeurs(self) -> dict:
        """The valid fields' values (a field in error is left out: its filter does not
        apply, except a scope filter's, `liste.REFUSE`: then nothing is listed);
        unbound: nothing filtered, default sort and columns."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {**self.cleaned_data, **dict.fromkeys(self.refuses, liste.REFUSE)}

    def refus(self) -> list[str]:
        """The messages of the scope filters naming what is outside the agent's scope
        (the list, the map, an export and a lot then give nothing)."""
        if not self.is_bound:
            return []
        self.is_valid()
        return [str(self.portees[nom].hors_portee_message) for nom in sorted(self.refuses)]

    def champs_principaux(self):
        return [self[n] for n in self.fields if n not in self.dependants + ["tri", "colonnes"]]

    def champs_dependants(self):
        return [self[n] for n in self.dependants]

    def colonnes_choisies(self) -> list[str]:
        return self.valeurs().get("colonnes") or list(liste.COLONNES_DEFAUT)


def etat_a_enregistrer(form: ListeForm) -> tuple[dict[str, list[str]], list[str], str]:
    """(filters, columns, sort) of a valid list form as a saved view keeps them: the
    filled filter fields' raw values by name."""
    valeurs = form.valeurs()
    filtres = {}
    for nom in form.fields:
        if nom in ("tri", "colonnes") or nom not in valeurs:
            continue
        if valeurs[nom] in (None, "", [], False):
            continue
        filtres[nom] = [str(v) for v in form.data.getlist(nom) if str(v).strip()]
    return filtres, valeurs.get("colonnes") or [], valeurs.get("tri") or ""


def donnees_de_vue(vue, agent, demande) -> tuple[QueryDict, list[str]]:
    """The list's query parameters a saved view gives (with the paging parameters of
    `demande`), and what it names that no longer exists — a filter, a value no longer
    offered (a deleted statut, label or form field), a column, a sort — left out and
    listed for the page's notice. A dispositif or territoire is kept (its filter then
    gives nothing, with its message: liste.Filtre.hors_portee)."""
    data = QueryDict(mutable=True)
    for nom, valeurs in (vue.filtres or {}).items():
        valeurs = valeurs if isinstance(valeurs, list) else [valeurs]
        data.setlist(str(nom), [str(v) for v in valeurs])
    if vue.colonnes:
        data.setlist("colonnes", [str(c) for c in vue.colonnes])
    if vue.tri:
        data["tri"] = str(vue.tri)
    form = ListeForm(data, ctx=contexte(agent, data))
    ignores = []
    for nom in list(data):
        if nom not in form.fields:
            ignores.append(_("le filtre « %(nom)s », qui n’existe plus") % {"nom": nom})
            del data[nom]
            continue
        choix = getattr(form.fields[nom], "choices", None)
        if choix is None:
            continue
        offerts = {str(cle) for cle, _libelle in choix}
        gardees = []
        for valeur in data.getlist(nom):
            # A dispositif or territoire not offered (deleted, or outside this agent's
            # scope: a shared view) stays: the view then lists nothing, with the
            # filter's message, rather than every dossier under the view's name.
            if valeur in offerts or nom in form.portees:
                gardees.append(valeur)
            elif nom == "colonnes":
                ignores.append(_("la colonne « %(v)s », qui n’existe plus") % {"v": valeur})
            else:
                ignores.append(
                    _("la valeur « %(v)s » du filtre « %(f)s », qui n’est plus proposée")
                    % {"v": valeur, "f": form.fields[nom].label}
                )
        data.setlist(nom, gardees)
    for nom in PAGINATION:
        if nom in demande and nom != "vue":
            data[nom] = demande[nom]
    data["vue"] = str(vue.pk)
    return data, ignores


class VueForm(forms.Form):
    nom = forms.CharField(label=gettext_lazy("Nom de la vue"), max_length=100)
    partagee = forms.BooleanField(
        label=gettext_lazy("Partager cette vue avec les autres agents"), required=False
    )
