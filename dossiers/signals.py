"""Signals dossiers sends so that apps above it react without an upward import
(docs/architecture.md): `dossier_depose` is sent by `services.dossier_deposer` inside its
transaction, once the dossier is filed (its reference issued); a receiver that raises
rolls the deposit back. The instruction guide puts the dossier in its initial statut."""

from django.dispatch import Signal

# kwargs: dossier, user
dossier_depose = Signal()
