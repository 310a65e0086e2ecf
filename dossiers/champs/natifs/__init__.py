"""Built-in field types, one module per family; each type registers itself on import.

| module          | codes                                                                  |
|-----------------|------------------------------------------------------------------------|
| saisie          | texte, texte_long, texte_riche, texte_formate                          |
| nombres         | entier, decimal, montant                                               |
| dates           | date, date_heure, age                                                  |
| calcul          | calcul (F4: a formula over the other fields)                           |
| coordonnees     | email, telephone                                                       |
| choix           | oui_non, case_a_cocher, choix_unique_radio, choix_unique_liste,        |
|                 | choix_multiple, civilite                                               |
| identifiants    | nir, siret, siren, rna, iban, bic                                      |
| consentement    | acceptation_cgu                                                        |
| mise_en_page    | note, piece_justificative (store nothing: see that module)             |

`communs` holds the two base classes and the French formatting, `masque` the input mask
language of `texte`.
"""

from dossiers.champs.natifs import (  # noqa: F401  (each module registers its types)
    calcul,
    choix,
    consentement,
    coordonnees,
    dates,
    identifiants,
    mise_en_page,
    nombres,
    saisie,
)
