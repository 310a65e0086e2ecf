"""Built-in field types, one module per family; each type registers itself on import.

| module          | codes                                                                  |
|-----------------|------------------------------------------------------------------------|
| saisie          | texte, texte_long, texte_riche, texte_formate                          |
| nombres         | entier, decimal, montant                                               |
| dates           | date, date_heure, age                                                  |
| calcul          | calcul (F4: a formula over the other fields)                           |
| carte           | carte (F13: points, lines, polygons drawn on a map, as GeoJSON)        |
| coordonnees     | email, telephone                                                       |
| choix           | oui_non, case_a_cocher, choix_unique_radio, choix_unique_liste,        |
|                 | choix_multiple, civilite                                               |
| identifiants    | nir, siret, siren, rna, iban, bic                                      |
| consentement    | acceptation_cgu                                                        |
| mise_en_page    | note, piece_justificative (store nothing: see that module)             |
| classement      | choix_classe (F13: choices ranked by preference)                       |
| identite        | piece_identite (F13: declares an identity document; stores nothing)    |
| tableau         | tableau (F4: labelled rows × typed columns, calcul columns, totals)    |
| bloc            | bloc_repetable (F12: sub-fields repeated min…max times, a list of dicts)|
| adresse         | adresse (BAN suggestions through common.adresses, geolocated)          |
| territoires     | commune, departement, region, epci, pays (official codes, shipped data)|
| liste_liee      | liste_liee (choices depending on another field's answer)               |
| dossier_lie     | dossier_lie (one or several of the usager's own dossiers; contextuel)  |

`communs` holds the two base classes and the French formatting, `masque` the input mask
language of `texte`.
"""

from dossiers.champs.natifs import (  # noqa: F401  (each module registers its types)
    adresse,
    bloc,
    calcul,
    carte,
    choix,
    classement,
    consentement,
    coordonnees,
    dates,
    dossier_lie,
    identifiants,
    identite,
    liste_liee,
    mise_en_page,
    nombres,
    saisie,
    tableau,
    territoires,
)
