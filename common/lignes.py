"""One row read, locked or written by primary key with SQL built once per model and
process, for the few hot paths where the ORM's compilation of each query costs more CPU
than the round trip itself (change_status: ~1 ms to compile the SELECT of the 40-column
Dossier, ~0.1 ms to run it).

The same columns, values and instances as the ORM's: `lire` gives what `.get(pk=…)`
gives (every concrete field, each database value through the field's `from_db_value`,
as the ORM converts it: JSON arrives as text with psycopg 3), `inserer` writes what
`.save()` of a new instance writes (each field's `pre_save` — auto_now, defaults — then
`get_db_prep_save`). Signals are not sent: use them only for models without receivers.
"""

from __future__ import annotations

import functools

from django.db import DatabaseError, connections, router


@functools.cache
def _lecture(model, verrou: bool) -> tuple[str, list[str], list]:
    champs = model._meta.concrete_fields
    qn = connections["default"].ops.quote_name
    sql = "SELECT {} FROM {} WHERE {} = %s{}".format(  # noqa: S608 - names from the model
        ", ".join(qn(f.column) for f in champs),
        qn(model._meta.db_table),
        qn(model._meta.pk.column),
        " FOR UPDATE" if verrou else "",
    )
    conversions = [(i, f) for i, f in enumerate(champs) if hasattr(f, "from_db_value")]
    return sql, [f.attname for f in champs], conversions


@functools.cache
def colonnes(model, alias: str) -> str:
    """The model's concrete columns as `alias.column, …`, in the order `lignes_vers`
    expects them (for a hand-written SELECT)."""
    qn = connections["default"].ops.quote_name
    return ", ".join(f"{alias}.{qn(f.column)}" for f in model._meta.concrete_fields)


def instances(model, lignes, db: str) -> list:
    """Rows of `colonnes(model, …)` as instances, each value converted as the ORM
    converts it."""
    _sql, noms, conversions = _lecture(model, False)
    connection = connections[db]
    return [model.from_db(db, noms, convertir(ligne, conversions, connection)) for ligne in lignes]


def lire(model, pk, *, verrou: bool = False):
    """`model.objects.get(pk=pk)` (`verrou`: `select_for_update()`); DoesNotExist if
    no row."""
    db = router.db_for_write(model) if verrou else router.db_for_read(model)
    connection = connections[db]
    sql, noms, conversions = _lecture(model, verrou)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        ligne = cursor.fetchone()
    if ligne is None:
        raise model.DoesNotExist(f"{model._meta.object_name} {pk} does not exist.")
    return model.from_db(db, noms, convertir(ligne, conversions, connection))


def convertir(ligne, conversions, connection) -> list:
    ligne = list(ligne)
    for i, champ in conversions:
        if ligne[i] is not None:
            ligne[i] = champ.from_db_value(ligne[i], None, connection)
    return ligne


def rafraichir(instance, *, champs: list[str] | None = None) -> None:
    """`instance.refresh_from_db(fields=champs)` (all concrete fields without): those
    fields read afresh in one query whose text is built once; a cached relation whose
    key changed is dropped, as refresh_from_db does."""
    model = type(instance)
    frais = lire(model, instance.pk)
    noms = set(champs) if champs is not None else None
    for champ in model._meta.concrete_fields:
        if noms is not None and champ.name not in noms and champ.attname not in noms:
            continue
        valeur = getattr(frais, champ.attname)
        changee = getattr(instance, champ.attname) != valeur
        if champ.is_relation and changee and champ.is_cached(instance):
            champ.delete_cached_value(instance)
        setattr(instance, champ.attname, valeur)


def mise_a_jour(instance, champs: list[str]) -> tuple[str, list]:
    """The UPDATE `instance.save(update_fields=champs)` runs (each field's `pre_save`,
    then `get_db_prep_save`) and its parameters, to run inside a larger statement."""
    model = type(instance)
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    liste = [model._meta.get_field(nom) for nom in champs]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - names from the model
        qn(model._meta.db_table),
        ", ".join(f"{qn(f.column)} = %s" for f in liste),
        qn(model._meta.pk.column),
    )
    valeurs = [
        f.get_db_prep_save(f.pre_save(instance, False), connection=connection) for f in liste
    ]
    return sql, [*valeurs, instance.pk]


def ecrire(instance, champs: list[str]) -> None:
    """`instance.save(update_fields=champs)` (auto_now fields named in `champs` set)
    in one UPDATE; DatabaseError if the row is gone, as save() raises."""
    model = type(instance)
    sql, valeurs = mise_a_jour(instance, champs)
    with connections[router.db_for_write(model)].cursor() as cursor:
        cursor.execute(sql, valeurs)
        if cursor.rowcount == 0:
            raise DatabaseError("Save with update_fields did not affect any rows.")


@functools.cache
def _insertion(model, conflit: str | None) -> tuple[str, list]:
    champs = [
        f
        for f in model._meta.concrete_fields
        if not f.generated and f is not model._meta.auto_field
    ]
    if any(f.has_db_default() for f in champs):
        raise ValueError(f"{model.__name__}: a field with db_default needs the ORM's INSERT")
    qn = connections["default"].ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({}){} RETURNING {}".format(  # noqa: S608 - names from the model
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in champs),
        ", ".join(["%s"] * len(champs)),
        f" ON CONFLICT ({qn(model._meta.get_field(conflit).column)}) DO NOTHING" if conflit else "",
        qn(model._meta.pk.column),
    )
    return sql, champs


def insertion(instance, *, conflit: str | None = None) -> tuple[str, list]:
    """The INSERT … RETURNING pk of a new `instance` and its parameters (to run alone
    with `inserer`, or inside a larger statement). `conflit`: a unique field; a row
    already holding its value makes the INSERT do nothing (and return no row)."""
    model = type(instance)
    sql, champs = _insertion(model, conflit)
    connection = connections[router.db_for_write(model)]
    valeurs = [
        f.get_db_prep_save(f.pre_save(instance, True), connection=connection) for f in champs
    ]
    return sql, valeurs


def inserer(instance, *, conflit: str | None = None):
    """`instance.save()` of a new instance with an auto primary key, in one INSERT whose
    text is built once per model; the instance then holds its pk, as saved, and is
    returned. `conflit`: a unique field (`get_or_create`'s lookup without its read and
    savepoints): when a row already holds its value, nothing is written and None is
    returned — after waiting for a concurrent transaction inserting it, as a unique
    index makes every writer wait."""
    model = type(instance)
    db = router.db_for_write(model)
    sql, valeurs = insertion(instance, conflit=conflit)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, valeurs)
        ligne = cursor.fetchone()
    if ligne is None:
        return None
    instance.pk = ligne[0]
    instance._state.adding, instance._state.db = False, db
    return instance


# --- A queryset's SQL built once ------------------------------------------------------

_COMPILEES: dict = {}


def existe(cle, construire, **valeurs) -> bool:
    """`construire(**valeurs).exists()`, the queryset's SQL built once per `cle` and
    process: `construire` is called once with stand-in integers for `valeurs`, whose
    places among the compiled query's parameters then take the real values at every
    call. For querysets whose shape does not depend on the values (put what it depends
    on in `cle`); every value an integer (primary keys)."""
    model, sql, parametres, places = _plan(cle, construire, valeurs)
    parametres = list(parametres)
    for i, nom in places:
        parametres[i] = valeurs[nom]
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(sql, parametres)
        return cursor.fetchone() is not None


def existent(cle, construire, liste: list[dict]) -> list[bool]:
    """`existe` for each set of values of `liste`, in one round trip (one `EXISTS` of
    the same compiled query per set)."""
    if not liste:
        return []
    model, sql, parametres, places = _plan(cle, construire, liste[0])
    tous = []
    for valeurs in liste:
        propres = list(parametres)
        for i, nom in places:
            propres[i] = valeurs[nom]
        tous += propres
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([f"EXISTS ({sql})"] * len(liste)), tous)
        return list(cursor.fetchone())


def _plan(cle, construire, valeurs: dict) -> tuple:
    plan = _COMPILEES.get(cle)
    if plan is None:
        remplacants = {nom: -(10**15) - i for i, nom in enumerate(valeurs)}
        queryset = construire(**remplacants)
        db = queryset.db
        requete = queryset.query.exists()
        sql, parametres = requete.get_compiler(db).as_sql()
        noms = {v: k for k, v in remplacants.items()}
        places = [(i, noms[p]) for i, p in enumerate(parametres) if type(p) is int and p in noms]
        if {nom for _i, nom in places} != set(valeurs):
            raise ValueError(f"{cle}: a value is not a parameter of the query")
        plan = _COMPILEES[cle] = (queryset.model, sql, list(parametres), places)
    return plan


# --- Many rows in one statement -------------------------------------------------------
# The set-based path of change_status (instruction.services_statut_lot): the rows of a
# chunk of dossiers written by one statement each, its text built once per model and
# field list whatever the number of rows (one array per column, UNNEST: PostgreSQL plans
# it once, as Django's own bulk_create does on PostgreSQL).


def _type_tableau(champ, connection) -> str:
    # `varchar(300)` → `varchar[]`: no truncation by the cast (Django's UNNEST does so).
    return champ.db_type(connection).split("(")[0] + "[]"


def _colonnes_par_champ(instances, champs, connection, ajout: bool) -> list[list]:
    """One list per field: each instance's value as `save()` writes it (`pre_save`,
    then `get_db_prep_save`)."""
    return [
        [
            f.get_db_prep_save(f.pre_save(instance, ajout), connection=connection)
            for instance in instances
        ]
        for f in champs
    ]


@functools.cache
def _mise_a_jour_lot(model, noms: tuple[str, ...]) -> str:
    connection = connections["default"]
    qn = connection.ops.quote_name
    pk = model._meta.pk
    liste = [pk, *(model._meta.get_field(nom) for nom in noms)]
    table = qn(model._meta.db_table)
    return "UPDATE {t} SET {s} FROM UNNEST({u}) AS v({v}) WHERE {t}.{pk} = v.c0".format(  # noqa: S608 - names from the model
        t=table,
        s=", ".join(f"{qn(f.column)} = v.c{i}" for i, f in enumerate(liste) if i),
        u=", ".join(f"(%s)::{_type_tableau(f, connection)}" for f in liste),
        v=", ".join(f"c{i}" for i in range(len(liste))),
        pk=qn(pk.column),
    )


def mise_a_jour_lot(instances: list, champs: list[str]) -> tuple[str, list]:
    """The UPDATE `save(update_fields=champs)` of each instance runs, for all of them in
    one statement (to run alone with `ecrire_lot`, or inside a larger one)."""
    model = type(instances[0])
    connection = connections[router.db_for_write(model)]
    liste = [model._meta.get_field(nom) for nom in champs]
    valeurs = [[i.pk for i in instances], *_colonnes_par_champ(instances, liste, connection, False)]
    return _mise_a_jour_lot(model, tuple(champs)), valeurs


def ecrire_lot(instances: list, champs: list[str]) -> None:
    """`ecrire` of each instance, in one UPDATE; DatabaseError if a row is gone."""
    if not instances:
        return
    model = type(instances[0])
    sql, valeurs = mise_a_jour_lot(instances, champs)
    with connections[router.db_for_write(model)].cursor() as cursor:
        cursor.execute(sql, valeurs)
        if cursor.rowcount != len({i.pk for i in instances}):
            raise DatabaseError("Save with update_fields did not affect every row.")


@functools.cache
def _insertion_lot(model, conflit: str | None) -> tuple[str, list]:
    _sql, champs = _insertion(model, conflit)  # the same columns (and refusals) as one row's
    connection = connections["default"]
    qn = connection.ops.quote_name
    retour = qn(model._meta.pk.column)
    if conflit:
        retour += ", " + qn(model._meta.get_field(conflit).column)
    sql = "INSERT INTO {} ({}) SELECT * FROM UNNEST({}){} RETURNING {}".format(  # noqa: S608 - names from the model
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in champs),
        ", ".join(f"(%s)::{_type_tableau(f, connection)}" for f in champs),
        f" ON CONFLICT ({qn(model._meta.get_field(conflit).column)}) DO NOTHING" if conflit else "",
        retour,
    )
    return sql, champs


def insertion_lot(instances: list, *, conflit: str | None = None) -> tuple[str, list]:
    """The INSERT of new `instances` (all of one model) in one statement, RETURNING each
    row's pk (and its `conflit` value), and its parameters."""
    model = type(instances[0])
    sql, champs = _insertion_lot(model, conflit)
    connection = connections[router.db_for_write(model)]
    return sql, _colonnes_par_champ(instances, champs, connection, True)


def inserer_lot(instances: list, *, conflit: str | None = None) -> list:
    """`inserer` of each new instance in one INSERT; each inserted one then holds its
    pk, as saved. Returns those inserted: with `conflit`, an instance whose value a row
    already holds is left unsaved (no pk), as `inserer` returns None for it."""
    if not instances:
        return []
    model = type(instances[0])
    db = router.db_for_write(model)
    sql, valeurs = insertion_lot(instances, conflit=conflit)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, valeurs)
        rangs = cursor.fetchall()
    if conflit:
        attname = model._meta.get_field(conflit).attname
        # Matched on the unique value each row returns (the rows skipped return none).
        par_valeur = {getattr(i, attname): i for i in instances}
        inseres = [(par_valeur[valeur], pk) for pk, valeur in rangs]
    else:
        # Rows come back in the order of the arrays, as Django's bulk_create relies on.
        inseres = [(instance, pk) for instance, (pk,) in zip(instances, rangs, strict=True)]
    for instance, pk in inseres:
        instance.pk = pk
        instance._state.adding, instance._state.db = False, db
    return [instance for instance, _pk in inseres]
