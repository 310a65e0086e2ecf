"""Admin of the rights per dispositif (C7) and of the territories (C8). The CRM has its
own screens for them (`crm/droits/`); the admin is the complete fallback."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dossiers.models import (
    DroitDispositif,
    ProfilMetier,
    Secteur,
    Territoire,
    TypeTerritoire,
)
from dossiers.services_territoires import (
    dossiers_concernes,
    empreinte_territoires,
    sectoriser_dossiers,
    suivre_secteurs,
)


class DroitDispositifInline(admin.TabularInline):
    model = DroitDispositif
    extra = 0
    autocomplete_fields = ["dispositif"]
    fields = ["dispositif", "voir", "instruire", "configurer", "exporter", "supprimer"]


@admin.register(ProfilMetier)
class ProfilMetierAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "tous_dispositifs", "voir", "instruire"]
    list_filter = ["tous_dispositifs", "voir", "instruire", "exporter", "supprimer"]
    search_fields = ["libelle", "code", "description", "agents__email"]
    prepopulated_fields = {"code": ["libelle"]}
    filter_horizontal = ["agents"]
    inlines = [DroitDispositifInline]
    fieldsets = [
        (None, {"fields": ["libelle", "code", "description", "agents"]}),
        (
            _("Tous les dispositifs"),
            {
                "fields": [
                    "tous_dispositifs",
                    ("voir", "instruire", "configurer", "exporter", "supprimer"),
                ]
            },
        ),
        (_("Tableau de bord par défaut"), {"fields": ["tableau_de_bord"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        champ = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "tableau_de_bord":
            from common.extensions import tous_les_dashlets

            # The codes registered now (the modules add theirs at start-up).
            champ.help_text = _(
                'Liste ordonnée de codes de blocs, par exemple ["bannettes", "favoris"]. '
                "Blocs possibles : %(codes)s."
            ) % {"codes": ", ".join(f"{d.code} ({d.libelle})" for d in tous_les_dashlets())}
        return champ


@admin.register(DroitDispositif)
class DroitDispositifAdmin(admin.ModelAdmin):
    list_display = ["profil_metier", "dispositif", "voir", "instruire", "configurer"]
    list_filter = ["profil_metier", "voir", "instruire", "configurer", "exporter", "supprimer"]
    search_fields = ["profil_metier__libelle", "dispositif__titre"]
    autocomplete_fields = ["dispositif"]
    list_select_related = ["profil_metier", "dispositif"]


@admin.register(TypeTerritoire)
class TypeTerritoireAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "ordre"]
    search_fields = ["libelle", "code"]
    prepopulated_fields = {"code": ["libelle"]}


class SecteurForm(forms.ModelForm):
    class Meta:
        model = Secteur
        fields = ["nature", "libelle", "code_insee", "code_postal", "polygone"]
        widgets = {"polygone": forms.Textarea(attrs={"rows": 3, "cols": 60})}


class SecteurInline(admin.TabularInline):
    model = Secteur
    form = SecteurForm
    extra = 0


@admin.action(description=_("Sectoriser les dossiers déposés de ces territoires"))
def resectoriser(modeladmin, request, queryset):
    # The dossiers these territoires' secteurs may hold (codes, polygons' boxes) and those
    # in them now: the ones outside any territoire that now fall inside are among them.
    empreinte = empreinte_territoires(list(queryset.values_list("pk", flat=True)))
    n = sectoriser_dossiers(dossiers_concernes(empreinte))
    modeladmin.message_user(
        request,
        ngettext(
            "%(n)s dossier a changé de territoire.", "%(n)s dossiers ont changé de territoire.", n
        )
        % {"n": n},
        messages.SUCCESS,
    )


class SuiviSecteursAdmin(admin.ModelAdmin):
    """Saving or deleting here queues the re-sectorisation of the dossiers the change may
    move (services_territoires.suivre_secteurs), as the CRM screen does. The state before
    is read in save_model, the state after once the inlines are saved (save_related)."""

    def territoires_de(self, obj) -> set[int]:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        suivi = suivre_secteurs(self.territoires_de(obj) if change else ())
        suivi.__enter__()
        super().save_model(request, obj, form, change)
        request._suivi_secteurs = (suivi, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        suivi, obj = request._suivi_secteurs
        for pk in self.territoires_de(obj):
            suivi.ajouter(pk)
        suivi.__exit__(None, None, None)

    def delete_model(self, request, obj):
        with suivre_secteurs(self.territoires_de(obj)):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        ids = set().union(*(self.territoires_de(obj) for obj in queryset))
        with suivre_secteurs(ids):
            super().delete_queryset(request, queryset)


@admin.register(Territoire)
class TerritoireAdmin(SuiviSecteursAdmin):
    list_display = ["nom", "code", "type", "parent"]
    list_filter = ["type", "parent"]
    search_fields = ["nom", "code", "secteurs__code_insee", "secteurs__code_postal"]
    prepopulated_fields = {"code": ["nom"]}
    autocomplete_fields = ["parent"]
    filter_horizontal = ["agents"]
    list_select_related = ["type", "parent"]
    inlines = [SecteurInline]
    actions = [resectoriser]

    def territoires_de(self, obj) -> set[int]:
        return {obj.pk} - {None}


@admin.register(Secteur)
class SecteurAdmin(SuiviSecteursAdmin):
    form = SecteurForm
    list_display = ["__str__", "territoire", "nature", "code_insee", "code_postal"]
    list_filter = ["nature", "territoire"]
    search_fields = ["libelle", "code_insee", "code_postal", "territoire__nom"]
    autocomplete_fields = ["territoire"]
    list_select_related = ["territoire"]

    def territoires_de(self, obj) -> set[int]:
        # The secteur may move to another territoire: the one it leaves counts too.
        avant = Secteur.objects.filter(pk=obj.pk).values_list("territoire_id", flat=True)
        return {*avant, obj.territoire_id} - {None}
