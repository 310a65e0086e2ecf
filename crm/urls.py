from django.urls import include, path

from crm import views
from crm.dossiers import views_corrections as views_dossier_corrections
from crm.dossiers import views_instruction as views_dossier_instruction
from crm.dossiers import views_journal as views_dossier_journal
from crm.dossiers import views_justificatifs as views_dossier_justificatifs
from crm.dossiers import views_lot as views_dossier_lot
from crm.dossiers import views_messages as views_dossier_messages
from crm.dossiers import views_retour as views_dossier_retour
from crm.referentiel import views_fusions, views_individus, views_profils, views_recherche
from crm.statistiques import views as views_statistiques
from crm.tableau_de_bord import views as views_tableau

app_name = "crm"

urlpatterns = [
    path("", views_tableau.home, name="home"),
    path("connexion/", views.AgentLoginView.as_view(), name="login"),
    path("deconnexion/", views.AgentLogoutView.as_view(), name="logout"),
    # Référentiel des usagers (C6, C10, G4)
    path("usagers/", views_recherche.recherche, name="usagers"),
    path("usagers/assigner/", views_recherche.assigner, name="usagers_assigner"),
    path("usagers/individus/nouveau/", views_individus.creer, name="individu_creer"),
    path("usagers/individus/<int:pk>/", views_individus.fiche, name="individu"),
    path(
        "usagers/individus/<int:pk>/modifier/", views_individus.modifier, name="individu_modifier"
    ),
    path(
        "usagers/individus/<int:pk>/liens/ajouter/",
        views_individus.lien_ajouter,
        name="individu_lien_ajouter",
    ),
    path(
        "usagers/individus/<int:pk>/fusionner/<int:autre_pk>/",
        views_fusions.individu_fusionner,
        name="individu_fusionner",
    ),
    path("usagers/profils/nouveau/", views_profils.creer, name="profil_creer"),
    path("usagers/profils/<int:pk>/", views_profils.fiche, name="profil"),
    path("usagers/profils/<int:pk>/modifier/", views_profils.modifier, name="profil_modifier"),
    path(
        "usagers/profils/<int:pk>/fusionner/<int:autre_pk>/",
        views_fusions.profil_fusionner,
        name="profil_fusionner",
    ),
    # Dossiers (issue 7, F8): the list and the dossier's page
    path("dossiers/", include("crm.dossiers.urls")),
    # Dossier page — Justificatifs tab (issue 7, P12)
    path(
        "dossiers/<int:pk>/justificatifs/",
        views_dossier_justificatifs.dossier_justificatifs,
        name="dossier_justificatifs",
    ),
    path(
        "dossiers/<int:pk>/justificatifs/fichiers/<int:version_pk>/",
        views_dossier_justificatifs.justificatif_fichier,
        name="dossier_justificatif_fichier",
    ),
    # Dossier page — Instruction tab (issue 8): lifeline and statut changes
    path(
        "dossiers/<int:pk>/instruction/",
        views_dossier_instruction.dossier_instruction,
        name="dossier_instruction",
    ),
    # Dossier page — Journal tab (C11): every change, for agents with the right
    path(
        "dossiers/<int:pk>/journal/", views_dossier_journal.dossier_journal, name="dossier_journal"
    ),
    # Instruction tab (issue 8, I8): back to the previous statut; moving a selection (I3)
    path(
        "dossiers/<int:pk>/instruction/retour/",
        views_dossier_retour.retour,
        name="dossier_instruction_retour",
    ),
    path("dossiers/lot/", views_dossier_lot.lot, name="dossiers_lot"),
    # Correction requests to the citizen (issue 8, I10), from the Instruction tab
    path(
        "dossiers/<int:pk>/correction/",
        views_dossier_corrections.dossier_correction,
        name="dossier_correction",
    ),
    path(
        "dossiers/<int:pk>/correction/annuler/",
        views_dossier_corrections.dossier_correction_annuler,
        name="dossier_correction_annuler",
    ),
    # Builder (issue 5): dispositifs, form models, référentiel des champs
    path("formulaires/", include("crm.formulaires.urls")),
    # Guide builder (issue 8, I1 and F7): étapes, statuts, actions; import / export
    path("guides/", include("crm.guides.urls")),
    # Guide tests and dry runs (issue 8, I9)
    path("guides/essais/", include("crm.guides_essais.urls")),
    # Document templates (issue 6, éditique)
    path("documents/", include("crm.editique.urls")),
    # Messages (issue 6): mail and SMS templates, event mapping, outbox
    path("messages/", include("crm.messagerie.urls")),
    # Dossier page — conversation (issue 7, P11)
    path(
        "dossiers/<int:pk>/messages/",
        views_dossier_messages.dossier_messages,
        name="dossier_messages",
    ),
    path(
        "dossiers/<int:pk>/messages/pieces/<int:piece_pk>/",
        views_dossier_messages.message_piece_jointe,
        name="message_piece_jointe",
    ),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/compteur/", views.notifications_compteur, name="notifications_compteur"),
    # Statistics (issue 9, C13)
    path("statistiques/", views_statistiques.statistiques_page, name="statistiques"),
    # The dashboard's composition (issue 9, C1)
    path("tableau-de-bord/", views_tableau.personnaliser, name="tableau_personnaliser"),
    path("tableau-de-bord/modifier/", views_tableau.modifier, name="tableau_modifier"),
    # Issue 9 — search (C10) and map (C9)
    path("", include("crm.recherche.urls")),
    # Issue 9 — exports: the list's export page, export jobs, the JSON flow (C12, C15)
    path("", include("crm.exports.urls")),
    # Issue 9 — routage: teams, routing rules, labels, follows, trash (C14)
    path("", include("crm.routage.urls")),
    # Issue 9 — commissions: séances, agenda and decisions, meetings (I6)
    path("", include("crm.commissions.urls")),
    # Issue 9 — listes: saved views of the dossier list (C15)
    path("dossiers/vues/", include("crm.dossiers.urls_vues")),
    # Issue 9 — lots: batches (statut, field, campaign) processed by a Celery task
    path("lots/", include("crm.lots.urls")),
    # Issue 9 — contacts GRC (C5): contacts, action plans, « Mes tâches », dossier tab
    path("", include("crm.contacts.urls")),
    # Issue 9 — rights per dispositif (C7) and territories (C8)
    path("droits/", include("crm.droits.urls")),
]
