"""Demo of the followers' daily digest (C14, issue 9): the default template in CRM ›
Messages (shipped by a data migration, installed again if the database lost it), and a
change a colleague made on a dossier the instructeur follows, so that the next digest
(beat, 7:00, or `dossiers.suivis_resumer` run by hand) has something to tell.
Idempotent: the label is put once."""

from dossiers import evenements_suivis, services_routage
from dossiers.models import Etiquette, SuiviAgent


def load_resume_suivis(users: dict) -> None:
    evenements_suivis.modele_par_defaut_installer()
    suivi = (
        SuiviAgent.objects.filter(agent=users["instructeur"], dossier__supprime_le__isnull=True)
        .select_related("dossier")
        .order_by("dossier__pk")
        .first()
    )
    etiquette = Etiquette.objects.filter(libelle="Élu informé", active=True).first()
    if suivi is None or etiquette is None:
        return
    services_routage.dossier_etiqueter(
        dossier=suivi.dossier, etiquette=etiquette, by=users.get("admin")
    )
