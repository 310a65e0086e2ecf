"""An agent's edit of a dossier's data in the demo (C3): on the first filed dossier with
a tab editable for agents and a text answer, the instructeur adds a precision to that
answer through the one service, so its Historique shows the before → after line and its
Données tab offers « Modifier ». Idempotent: done once."""

import pghistory


def load_donnees_agent(users) -> None:
    from dossiers import services
    from dossiers.models import Dossier, Historique, Vue
    from dossiers.services_donnees_agent import dossier_donnees_modifier, onglets_modifiables

    agent = users.get("instructeur") or users.get("agent")
    if agent is None or Historique.objects.filter(details__has_key="donnees").exists():
        return
    for dossier in Dossier.objects.filter(statut=Dossier.Statut.DEPOSE).order_by("pk"):
        for onglet in onglets_modifiables(dossier):
            for _ligne, champ in services._champs_de(onglet):
                proprietes = services.proprietes_vue(champ, Vue.CRM)
                valeur = dossier.donnees.get(champ.nom)
                if champ.type != "texte" or not proprietes.modifiable or not valeur:
                    continue
                data = {**dossier.donnees, champ.nom: f"{valeur} (précisé au guichet)"}
                try:
                    with pghistory.context(user=agent.pk):
                        dossier_donnees_modifier(
                            dossier=dossier, onglet_pk=onglet.pk, data=data, by=agent
                        )
                except services.DepotRefuse:
                    break  # another answer of this tab no longer validates: next dossier
                return
