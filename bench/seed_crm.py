"""Seeding for the CRM benchmark (issue 9): the agents' side on top of a database already
seeded by `bench.instruction.semer(alias, n)` (dossiers, eight dispositifs with their
published guides, the dossiers' place in them).

Added, in SQL only (INSERT … SELECT, one UPDATE of the dossiers; no per-row ORM):

- 300 agents (accounts flagged agent) in a group holding « instruire les dossiers »;
- four profils métier: « Direction » and « Instruction » over every dispositif, two
  « pôles » with rights on some dispositifs (DroitDispositif rows), and who holds them:
  one agent in ten directs, four in ten instruct everything, four in ten belong to a
  pôle, and one agent in five is assigned to a territoire;
- a territoire tree around Belleville-sur-Loire (INSEE 18026, postal code 18240): the
  commune (secteur: INSEE 18026) with four quartiers (polygon secteurs, its quarters),
  and « Communes voisines (18240) » with Boulleret, Léré and Sury-près-Léré (postal
  code 18240 narrowed by INSEE code);
- every filed or closed dossier sectorised: half in Belleville (in the quartier its
  point falls in, the commune itself without a point), the rest over the three other
  communes, whose points are moved around their own town and whose address names
  their INSEE code; most assigned to an agent (60 %) and routed to one of six teams
  (70 %); labels on one in ten (a second on one in fifty); one in a hundred followed
  by an agent;
- the dashboard's counters rebuilt from the dossiers (the triggers that keep them are off
  during the seeding).

The dossiers' non-unique indexes are dropped during their UPDATE and rebuilt after
(as the COPY seeding does), the journal and foreign-key triggers are off
(`session_replication_role = replica`), then VACUUM ANALYZE. A comment on the agents'
follow table marks a finished seeding (`deja_seme`).
"""

from django.db import connections

MARQUE = "guichet bench crm: {n}"
AGENTS = 300
EQUIPES = 6
DOMAINE = "bench.crm.fr"
# The measured agents (bench/crm.py): one who sees everything, one restricted to a pôle's
# dispositifs and to one commune.
AGENT_TOUT = f"agent.crm.1@{DOMAINE}"
AGENT_RESTREINT = f"agent.crm.8@{DOMAINE}"

# Belleville-sur-Loire's centre, as bench/seed_dossiers.py places the dossiers.
CENTRE = (47.5028, 2.8508)
# code, name, INSEE, centre (lat, lon) the dossiers' points are moved around.
VOISINES = [
    ("bench-boulleret", "Boulleret", "18032", (47.4244, 2.8722)),
    ("bench-lere", "Léré", "18125", (47.4686, 2.8697)),
    ("bench-sury", "Sury-près-Léré", "18257", (47.4850, 2.8783)),
]
LABELS = [
    ("Pièce à relancer", "orange-terre-battue"),
    ("Dossier sensible", "pink-tuile"),
    ("Élu informé", "purple-glycine"),
    ("Visite sur place", "green-emeraude"),
    ("Attente trésorerie", "yellow-moutarde"),
    ("Réclamation", "brown-cafe-creme"),
]


def deja_seme(alias: str, n: int) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT obj_description('dossiers_suiviagent'::regclass, 'pg_class')")
        return cursor.fetchone()[0] == MARQUE.format(n=n)


def _polygone(sud, ouest, nord, est) -> str:
    import json

    anneau = [[ouest, sud], [est, sud], [est, nord], [ouest, nord], [ouest, sud]]
    return json.dumps({"type": "Polygon", "coordinates": [anneau]})


def _un(cursor, sql: str, parametres=()) -> int:
    cursor.execute(sql, parametres)
    return cursor.fetchone()[0]


def reinitialiser(cursor) -> None:
    """An earlier CRM seeding removed (the instruction seeding's rows stay). Foreign keys
    have no ON DELETE in the database (Django cascades in Python): the link rows first.
    The dossiers' territoire, team and agent are all rewritten by `_dossiers`."""
    agents = "SELECT id FROM accounts_user WHERE email LIKE %(domaine)s"
    profils = "SELECT id FROM dossiers_profilmetier WHERE code LIKE 'bench-%%'"
    equipes = "SELECT id FROM dossiers_equipe WHERE code LIKE 'bench-%%'"
    territoires = "SELECT id FROM dossiers_territoire WHERE code LIKE 'bench-%%'"
    for sql in (
        f"DELETE FROM dossiers_suiviagent WHERE agent_id IN ({agents})",
        f"DELETE FROM accounts_user_groups WHERE user_id IN ({agents})",
        f"DELETE FROM accounts_connexion WHERE user_id IN ({agents})",
        f"DELETE FROM accounts_tableaudebord WHERE user_id IN ({agents})",
        "DELETE FROM dossiers_dossier_etiquettes WHERE etiquette_id IN "
        "(SELECT id FROM dossiers_etiquette WHERE libelle = ANY(%(labels)s))",
        "DELETE FROM dossiers_etiquette WHERE libelle = ANY(%(labels)s)",
        f"DELETE FROM dossiers_droitdispositif WHERE profil_metier_id IN ({profils})",
        f"DELETE FROM dossiers_profilmetier_agents WHERE profilmetier_id IN ({profils})",
        "DELETE FROM dossiers_profilmetier WHERE code LIKE 'bench-%%'",
        f"DELETE FROM dossiers_equipe_agents WHERE equipe_id IN ({equipes})",
        f"DELETE FROM dossiers_equipe_dispositifs WHERE equipe_id IN ({equipes})",
        "DELETE FROM dossiers_equipe WHERE code LIKE 'bench-%%'",
        f"DELETE FROM dossiers_territoire_agents WHERE territoire_id IN ({territoires})",
        f"DELETE FROM dossiers_secteur WHERE territoire_id IN ({territoires})",
        # Children before parents (PROTECT): the tree is two levels deep.
        "DELETE FROM dossiers_territoire WHERE code LIKE 'bench-%%' AND parent_id IS NOT NULL",
        "DELETE FROM dossiers_territoire WHERE code LIKE 'bench-%%'",
        f"DELETE FROM accounts_user WHERE id IN ({agents})",
    ):
        cursor.execute(sql, {"domaine": f"%@{DOMAINE}", "labels": [x for x, _c in LABELS]})
    cursor.execute("COMMENT ON TABLE dossiers_suiviagent IS NULL")


def _agents(cursor, lignes: dict) -> list[int]:
    cursor.execute(
        """INSERT INTO accounts_user (email, first_name, last_name, is_agent, password,
                                      is_superuser, is_staff, is_active, date_joined)
           SELECT 'agent.crm.' || i || '@' || %s, 'Agent', 'CRM ' || i, true, '!',
                  false, false, true, now() - interval '400 days'
             FROM generate_series(1, %s) i
           RETURNING id""",
        [DOMAINE, AGENTS],
    )
    ids = sorted(r[0] for r in cursor.fetchall())
    lignes["accounts_user"] = len(ids)
    cursor.execute(
        "INSERT INTO auth_group (name) VALUES ('Agents CRM (bench)') "
        "ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id"
    )
    groupe = cursor.fetchone()[0]
    cursor.execute(
        """INSERT INTO auth_group_permissions (group_id, permission_id)
           SELECT %s, p.id FROM auth_permission p JOIN django_content_type c
               ON c.id = p.content_type_id
            WHERE c.app_label = 'dossiers' AND p.codename = 'instruire_dossiers'
           ON CONFLICT DO NOTHING""",
        [groupe],
    )
    cursor.execute(
        "INSERT INTO accounts_user_groups (user_id, group_id) SELECT unnest(%s::bigint[]), %s",
        [ids, groupe],
    )
    lignes["accounts_user_groups"] = cursor.rowcount
    return ids


def _profils(cursor, lignes: dict, agents: list[int], dispositifs: list[int]) -> None:
    def profil(code, libelle, tous, droits):
        colonnes = ("voir", "instruire", "configurer", "exporter", "supprimer")
        return _un(
            cursor,
            f"""INSERT INTO dossiers_profilmetier (created_at, updated_at, libelle, code,
                    description, tableau_de_bord, tous_dispositifs, {", ".join(colonnes)})
                VALUES (now(), now(), %s, %s, '', '[]', %s, {", ".join(["%s"] * 5)})
                RETURNING id""",
            [libelle, code, tous, *(c in droits for c in colonnes)],
        )

    tout = {"voir", "instruire", "configurer", "exporter", "supprimer"}
    instruction = {"voir", "instruire", "exporter"}
    direction = profil("bench-direction", "Direction (bench)", True, tout)
    instruit = profil("bench-instruction", "Instruction (bench)", True, instruction)
    # Two pôles sharing the eight dispositifs: rights listed dispositif by dispositif.
    moitie = len(dispositifs) // 2
    poles = [
        (profil("bench-pole-a", "Pôle A (bench)", False, set()), dispositifs[:moitie]),
        (profil("bench-pole-b", "Pôle B (bench)", False, set()), dispositifs[moitie:]),
    ]
    n = 0
    for pole, ids in poles:
        for dispositif in ids:
            cursor.execute(
                """INSERT INTO dossiers_droitdispositif (profil_metier_id, dispositif_id,
                       voir, instruire, configurer, exporter, supprimer)
                   VALUES (%s, %s, true, true, false, true, false)""",
                [pole, dispositif],
            )
            n += 1
    lignes["dossiers_profilmetier"] = 4
    lignes["dossiers_droitdispositif"] = n
    # Who holds what, by the agent's rank (agent.crm.<rank>): rank 1 instructs
    # everything, rank 8 belongs to pôle A (see AGENT_TOUT, AGENT_RESTREINT).
    tenue = []
    for rang, agent in enumerate(agents, start=1):
        reste = rang % 10
        if reste == 0:
            tenue.append((direction, agent))
        elif reste <= 4:
            tenue.append((instruit, agent))
        else:
            tenue.append((poles[reste % 2][0], agent))
    cursor.executemany(
        "INSERT INTO dossiers_profilmetier_agents (profilmetier_id, user_id) VALUES (%s, %s)",
        tenue,
    )
    lignes["dossiers_profilmetier_agents"] = len(tenue)


def _territoires(cursor, lignes: dict, agents: list[int]) -> dict:
    types = {}
    for ordre, (code, libelle) in enumerate(
        (("commune", "Commune"), ("quartier", "Quartier"), ("secteur", "Secteur"))
    ):
        types[code] = _un(
            cursor,
            """INSERT INTO dossiers_typeterritoire (code, libelle, ordre) VALUES (%s, %s, %s)
               ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING id""",
            [code, libelle, ordre],
        )

    def territoire(code, nom, type_, parent=None):
        return _un(
            cursor,
            """INSERT INTO dossiers_territoire (created_at, updated_at, nom, code, type_id,
                                               parent_id)
               VALUES (now(), now(), %s, %s, %s, %s) RETURNING id""",
            [nom, code, types[type_], parent],
        )

    def secteur(territoire_id, nature, libelle="", insee="", postal="", polygone=None):
        cursor.execute(
            """INSERT INTO dossiers_secteur (territoire_id, nature, libelle, code_insee,
                                            code_postal, polygone)
               VALUES (%s, %s, %s, %s, %s, %s::jsonb)""",
            [territoire_id, nature, libelle, insee, postal, polygone],
        )

    belleville = territoire("bench-belleville", "Belleville-sur-Loire", "commune")
    secteur(belleville, "commune", insee="18026")
    lat, lon = CENTRE
    quartiers = []
    for i, (nom, sud, ouest) in enumerate(
        (
            ("Nord-Ouest", lat, lon - 0.06),
            ("Nord-Est", lat, lon),
            ("Sud-Ouest", lat - 0.04, lon - 0.06),
            ("Sud-Est", lat - 0.04, lon),
        )
    ):
        q = territoire(f"bench-quartier-{i}", f"Quartier {nom}", "quartier", belleville)
        secteur(
            q, "polygone", libelle=nom, polygone=_polygone(sud, ouest, sud + 0.04, ouest + 0.06)
        )
        quartiers.append(q)
    voisines = territoire("bench-voisines", "Communes voisines (18240)", "secteur")
    communes = []
    for code, nom, insee, _centre in VOISINES:
        t = territoire(code, nom, "commune", voisines)
        secteur(t, "code_postal", libelle=nom, insee=insee, postal="18240")
        communes.append(t)
    lignes["dossiers_territoire"] = 3 + len(quartiers) + len(communes)
    lignes["dossiers_secteur"] = 1 + len(quartiers) + len(communes)
    # One agent in five assigned to a territoire: a commune, a quartier, the neighbours.
    choix = [communes[0], quartiers[1], voisines, belleville, communes[2]]
    affectes = [
        (choix[(rang // 5) % len(choix)], agent)
        for rang, agent in enumerate(agents, start=1)
        if rang % 5 == 3
    ]
    cursor.executemany(
        "INSERT INTO dossiers_territoire_agents (territoire_id, user_id) VALUES (%s, %s)",
        affectes,
    )
    lignes["dossiers_territoire_agents"] = len(affectes)
    return {"belleville": belleville, "quartiers": quartiers, "communes": communes}


def _equipes(cursor, lignes: dict, agents: list[int], dispositifs: list[int]) -> list[int]:
    equipes = []
    for e in range(EQUIPES):
        equipes.append(
            _un(
                cursor,
                """INSERT INTO dossiers_equipe (created_at, updated_at, nom, code, description,
                                               active)
                   VALUES (now(), now(), %s, %s, '', true) RETURNING id""",
                [f"Équipe {e + 1} (bench)", f"bench-equipe-{e + 1}"],
            )
        )
    cursor.executemany(
        "INSERT INTO dossiers_equipe_agents (equipe_id, user_id) VALUES (%s, %s)",
        [(equipes[i % EQUIPES], agent) for i, agent in enumerate(agents)],
    )
    cursor.executemany(
        "INSERT INTO dossiers_equipe_dispositifs (equipe_id, dispositif_id) VALUES (%s, %s)",
        [(equipes[i % EQUIPES], d) for i, d in enumerate(dispositifs)],
    )
    lignes["dossiers_equipe"] = EQUIPES
    lignes["dossiers_equipe_agents"] = len(agents)
    return equipes


def _dossiers(cursor, lignes: dict, agents, equipes, territoires) -> None:
    """Every filed or closed dossier: territoire, commune, agent and team, by a hash of its
    id (the same every seeding)."""
    from bench import seed_dossiers

    lat, lon = CENTRE
    q = territoires["quartiers"]
    communes = territoires["communes"]
    # h in [0, 1000): < 500 Belleville, then the three neighbours in thirds.
    voisines_sql = " ".join(
        f"WHEN h >= {500 + i * 167} AND h < {500 + (i + 1) * 167 if i < 2 else 1000} THEN {i}"
        for i in range(len(VOISINES))
    )
    centres = ", ".join(
        f"({i}, {t}, '{insee}', '{nom}', {c[0]}, {c[1]})"
        for i, ((_code, nom, insee, c), t) in enumerate(zip(VOISINES, communes, strict=True))
    )
    cursor.execute(
        f"""CREATE TEMPORARY TABLE bench_place ON COMMIT DROP AS
            SELECT d.id, h, a,
                   CASE WHEN h < 500 THEN NULL ELSE (CASE {voisines_sql} END) END AS voisine
              FROM (SELECT id, abs(hashtext(id::text)) % 1000 AS h,
                           abs(hashtext('agent' || id::text)) % 1000 AS a
                      FROM dossiers_dossier WHERE statut <> 'brouillon') d"""  # noqa: S608
    )
    index = seed_dossiers.index_retirer(cursor, "dossiers_dossier")
    # Quartier by the point's quarter around the centre; neighbours: the point moved
    # around their town (same offset from Belleville's centre, halved), their INSEE code.
    cursor.execute(
        f"""WITH voisines (i, territoire, insee, nom, lat, lon) AS (VALUES {centres})
            UPDATE dossiers_dossier d SET
              territoire_id = CASE
                WHEN p.voisine IS NOT NULL THEN v.territoire
                WHEN d.latitude IS NULL THEN %(belleville)s
                WHEN d.latitude >= %(lat)s AND d.longitude < %(lon)s THEN %(q0)s
                WHEN d.latitude >= %(lat)s THEN %(q1)s
                WHEN d.longitude < %(lon)s THEN %(q2)s
                ELSE %(q3)s END,
              donnees = CASE
                WHEN p.voisine IS NULL OR d.latitude IS NULL THEN d.donnees
                ELSE jsonb_set(d.donnees, '{{adresse}}', d.donnees -> 'adresse' || jsonb_build_object(
                       'code_insee', v.insee, 'commune', v.nom,
                       'lat', round((v.lat + (d.latitude - %(lat)s) / 2)::numeric, 6),
                       'lon', round((v.lon + (d.longitude - %(lon)s) / 2)::numeric, 6)))
                END,
              agent_id = CASE WHEN p.a < 600
                              THEN (%(agents)s::bigint[])[1 + p.a %% %(n_agents)s] END,
              equipe_id = CASE WHEN p.h %% 10 < 7
                               THEN (%(equipes)s::bigint[])[1 + p.a %% %(n_equipes)s] END
              FROM bench_place p LEFT JOIN voisines v ON v.i = p.voisine
             WHERE d.id = p.id""",  # noqa: S608 (constants of this module)
        {
            "belleville": territoires["belleville"],
            "lat": lat,
            "lon": lon,
            "q0": q[0],
            "q1": q[1],
            "q2": q[2],
            "q3": q[3],
            "agents": agents,
            "n_agents": len(agents),
            "equipes": equipes,
            "n_equipes": len(equipes),
        },
    )
    lignes["dossiers_dossier"] = cursor.rowcount
    for definition in index:
        cursor.execute(definition)


def _etiquettes_et_suivis(cursor, lignes: dict, agents: list[int]) -> None:
    ids = []
    for libelle, couleur in LABELS:
        ids.append(
            _un(
                cursor,
                """INSERT INTO dossiers_etiquette (created_at, updated_at, libelle, couleur,
                                                  description, active)
                   VALUES (now(), now(), %s, %s, '', true) RETURNING id""",
                [libelle, couleur],
            )
        )
    cursor.execute(
        """INSERT INTO dossiers_dossier_etiquettes (dossier_id, etiquette_id)
           SELECT id, (%(ids)s::bigint[])[1 + h %% %(n)s] FROM bench_place WHERE h %% 10 = 1
           UNION ALL
           SELECT id, (%(ids)s::bigint[])[1 + (h + 1) %% %(n)s] FROM bench_place
            WHERE h %% 50 = 11""",
        {"ids": ids, "n": len(ids)},
    )
    lignes["dossiers_etiquette"] = len(ids)
    lignes["dossiers_dossier_etiquettes"] = cursor.rowcount
    cursor.execute(
        """INSERT INTO dossiers_suiviagent (agent_id, dossier_id, depuis)
           SELECT (%(agents)s::bigint[])[1 + a %% %(n)s], id, now() - interval '3 days'
             FROM bench_place WHERE (a * 7 + h) %% 100 = 0""",
        {"agents": agents, "n": len(agents)},
    )
    lignes["dossiers_suiviagent"] = cursor.rowcount


def semer(alias: str, n: int) -> dict[str, int]:
    """The CRM's agents, rights, territoires, teams, labels and follows over the dossiers
    of a database seeded by `bench.instruction.semer(alias, n)`; rows written per table."""
    from django.db import transaction

    from dossiers import services_compteurs as compteurs_depots
    from instruction import services_compteurs as compteurs_bannettes

    lignes: dict[str, int] = {}
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL session_replication_role = replica")
        reinitialiser(cursor)
        cursor.execute("SELECT id FROM dossiers_dispositif ORDER BY ordre, id")
        dispositifs = [r[0] for r in cursor.fetchall()]
        agents = _agents(cursor, lignes)
        _profils(cursor, lignes, agents, dispositifs)
        territoires = _territoires(cursor, lignes, agents)
        equipes = _equipes(cursor, lignes, agents, dispositifs)
        _dossiers(cursor, lignes, agents, equipes, territoires)
        _etiquettes_et_suivis(cursor, lignes, agents)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        # The dashboard's counters, which the triggers did not follow in replica mode
        # (nor during the COPY seeding underneath): rebuilt from the dossiers.
        cursor.execute(
            f"LOCK TABLE instruction_compteurbannette, {compteurs_depots.TABLES} IN EXCLUSIVE MODE"
        )
        cursor.execute(compteurs_bannettes.SQL_RECOMPTER)
        cursor.execute(compteurs_depots.SQL_RECOMPTER)
        lignes["instruction_compteurbannette"] = _un(
            cursor, "SELECT count(*) FROM instruction_compteurbannette"
        )
        cursor.execute("COMMENT ON TABLE dossiers_suiviagent IS %s", [MARQUE.format(n=n)])
    with connections[alias].cursor() as cursor:
        for table in (
            "accounts_user",
            "dossiers_dossier",
            "dossiers_dossier_etiquettes",
            "dossiers_suiviagent",
            "dossiers_territoire",
            "dossiers_profilmetier_agents",
            "instruction_compteurbannette",
            "dossiers_compteurdepots",
            "dossiers_compteurcarte",
        ):
            # Constant table names (VACUUM takes no bound parameter).
            cursor.execute(f"VACUUM ANALYZE {table}")
    return lignes
