// Guichet — conditions (F5) and calculs (F4) evaluated live in the page.
//
// The same semantics as dossiers/formules/ on the server, which stays authoritative:
// valeurs.py (empty, comparisons, decimals), conditions.py (the condition JSON) and
// calculs.py (the formula tree, parsed by the server and handed over as JSON). Keep the
// two in step: tests/dossiers/formules/test_accord_navigateur.py checks they agree.
// A plain ES module: no build step, no dependency, no eval/Function.
//
// Exports:
//   evaluerCondition(condition, data, profil) → boolean
//   evaluerCalcul(astJson, data, {aujourdhui: "AAAA-MM-JJ"}?) → canonical decimal text
//       ("1234.5", "-0.25", "0"); throws ErreurCalcul (French message) otherwise
//   arrondir(texteDecimal, n) → text with exactly n decimals, rounded half up
//   formaterNombre(texteDecimal) → French display ("1 234,50")
//   lireDonnees(form) → the form's values as the dossier's data
//   lireAdresse({numero_voie, …}) → an address's parts as the server stores them
//   brancher(form) → live conditions and calculs on a form (see its comment)

// --- exact decimals: value = c × 10^e, c a BigInt ---------------------------------------

const PRECISION_DIVISION = 28;
const NOMBRE_STOCKE = /^-?[0-9]+(?:\.[0-9]+)?$/;
const NOMBRE_JS = /^(-?)([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
const DATE_ISO = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T[\s\S]*)?$/;

class Dec {
  constructor(c, e) {
    this.c = c;
    this.e = e;
  }
}

const ZERO = new Dec(0n, 0);
const UN = new Dec(1n, 0);
const puissance10 = (n) => 10n ** BigInt(n);
const absolu = (n) => (n < 0n ? -n : n);
const chiffres = (n) => (n === 0n ? 1 : absolu(n).toString().length);

function decLire(texte) {
  const m = NOMBRE_JS.exec(texte);
  if (!m) throw new Error(`nombre illisible: ${texte}`);
  const fraction = m[3] || "";
  let c = BigInt(m[2] + fraction);
  if (m[1] === "-") c = -c;
  return new Dec(c, (m[4] ? parseInt(m[4], 10) : 0) - fraction.length);
}

// String(number) is the shortest text that reads back as the same double, as Python's
// repr(float) is: both sides get the same decimal.
const decDeNombre = (n) => decLire(String(n));

function aligner(a, b) {
  const e = Math.min(a.e, b.e);
  return [a.c * puissance10(a.e - e), b.c * puissance10(b.e - e), e];
}

const decAjouter = (a, b) => {
  const [x, y, e] = aligner(a, b);
  return new Dec(x + y, e);
};
const decSoustraire = (a, b) => {
  const [x, y, e] = aligner(a, b);
  return new Dec(x - y, e);
};
const decMultiplier = (a, b) => new Dec(a.c * b.c, a.e + b.e);
const decOppose = (a) => new Dec(-a.c, a.e);
const decAbsolu = (a) => new Dec(absolu(a.c), a.e);
function decComparer(a, b) {
  const [x, y] = aligner(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// Correctly rounded to 28 significant digits, half to even (Python's default context).
function decDiviser(a, b) {
  if (a.c === 0n) return ZERO;
  const negatif = a.c < 0n !== b.c < 0n;
  const A = absolu(a.c);
  const B = absolu(b.c);
  const k = Math.max(0, PRECISION_DIVISION + chiffres(B) - chiffres(A) + 1);
  const N = A * puissance10(k);
  let q = N / B;
  const reste = N % B;
  let e = a.e - b.e - k;
  const enTrop = chiffres(q) - PRECISION_DIVISION; // always > 0 given k
  if (enTrop > 0) {
    const p = puissance10(enTrop);
    const tombe = q % p;
    q /= p;
    e += enTrop;
    const moitie = p / 2n;
    if (tombe > moitie || (tombe === moitie && (reste > 0n || q % 2n === 1n))) q += 1n;
  }
  return new Dec(negatif ? -q : q, e);
}

// Half up: a tie goes away from zero, like Python's ROUND_HALF_UP.
function decArrondir(a, n) {
  if (a.e >= -n) return new Dec(a.c * puissance10(a.e + n), -n);
  const p = puissance10(-n - a.e);
  let q = absolu(a.c) / p;
  if (2n * (absolu(a.c) % p) >= p) q += 1n;
  return new Dec(a.c < 0n ? -q : q, -n);
}

function decTexteFixe(a, n) {
  // a.e === -n
  const negatif = a.c < 0n;
  let corps = absolu(a.c).toString();
  if (n > 0) {
    corps = corps.padStart(n + 1, "0");
    corps = `${corps.slice(0, -n)}.${corps.slice(-n)}`;
  }
  return negatif && a.c !== 0n ? `-${corps}` : corps;
}

function decTexte(a) {
  let { c, e } = a;
  if (c === 0n) return "0";
  while (c % 10n === 0n) {
    c /= 10n;
    e += 1;
  }
  if (e >= 0) return (c * puissance10(e)).toString();
  return decTexteFixe(new Dec(c, e), -e);
}

// --- values: the rules of dossiers/formules/valeurs.py ----------------------------------

const VIDE = "vide";
const BOOLEEN = "booleen";
const NOMBRE = "nombre";
const TEXTE = "texte";
const LISTE = "liste";
const AUTRE = "autre";

const aCle = (objet, cle) => Object.prototype.hasOwnProperty.call(objet, cle);
const estObjet = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Dec);

function nature(v) {
  if (v === null || v === undefined) return [VIDE, null];
  if (typeof v === "boolean") return [BOOLEEN, v];
  if (v instanceof Dec) return [NOMBRE, v];
  if (typeof v === "number") return Number.isFinite(v) ? [NOMBRE, decDeNombre(v)] : [AUTRE, v];
  if (typeof v === "string") {
    if (v === "") return [VIDE, null];
    if (NOMBRE_STOCKE.test(v)) return [NOMBRE, decLire(v)];
    return [TEXTE, v];
  }
  if (Array.isArray(v)) return v.length ? [LISTE, v] : [VIDE, null];
  if (typeof v === "object") return Object.keys(v).length ? [AUTRE, v] : [VIDE, null];
  return [AUTRE, v];
}

const estVide = (v) => nature(v)[0] === VIDE;

function vrai(v) {
  const [genre, normal] = nature(v);
  if (genre === VIDE) return false;
  if (genre === BOOLEEN) return normal;
  if (genre === NOMBRE) return normal.c !== 0n;
  return true;
}

// Python compares str by code point; JavaScript by UTF-16 unit: fix up surrogates.
function comparerTextes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function egal(a, b) {
  const [ga, na] = nature(a);
  const [gb, nb] = nature(b);
  if (ga !== gb) return false;
  if (ga === VIDE) return true;
  if (ga === NOMBRE) return decComparer(na, nb) === 0;
  if (ga === TEXTE || ga === BOOLEEN) return na === nb;
  if (ga === LISTE) return na.length === nb.length && na.every((x, i) => egal(x, nb[i]));
  return false;
}

function ordre(a, b) {
  const [ga, na] = nature(a);
  const [gb, nb] = nature(b);
  if (ga !== gb) return null;
  if (ga === NOMBRE) return decComparer(na, nb);
  if (ga === TEXTE) return comparerTextes(na, nb);
  return null;
}

const COMPARAISONS = ["=", "≠", "<", "≤", ">", "≥"];
const ALIAS = { "==": "=", "!=": "≠", "<>": "≠", "<=": "≤", ">=": "≥" };
const canonique = (op) => (typeof op === "string" && aCle(ALIAS, op) ? ALIAS[op] : op);

function comparer(a, op, b) {
  if (op === "=") return egal(a, b);
  if (op === "≠") return !egal(a, b);
  const o = ordre(a, b);
  if (o === null) return false;
  return { "<": o < 0, "≤": o <= 0, ">": o > 0, "≥": o >= 0 }[op];
}

function contient(a, b) {
  const [genre, normal] = nature(a);
  if (genre === LISTE) return normal.some((x) => egal(x, b));
  if (typeof a === "string" && a !== "" && typeof b === "string") return a.includes(b);
  return false;
}

function parmi(a, liste) {
  const [genre, normal] = nature(a);
  if (genre === LISTE) return normal.some((x) => liste.some((y) => egal(x, y)));
  return liste.some((y) => egal(a, y));
}

function resoudre(data, nom) {
  const parties = nom.split(".");
  let v = estObjet(data) && aCle(data, parties[0]) ? data[parties[0]] : null;
  for (const partie of parties.slice(1)) {
    if (estObjet(v)) v = aCle(v, partie) ? v[partie] : null;
    else if (Array.isArray(v)) v = v.map((x) => (estObjet(x) && aCle(x, partie) ? x[partie] : null));
    else v = null;
  }
  return v === undefined ? null : v;
}

// --- conditions: the rules of dossiers/formules/conditions.py ---------------------------

// "nombre(enfants)": the element count of a repeatable block (F12); 0 if not a list.
const NOMBRE_DE = /^nombre\(([a-z][a-z0-9_]*)\)$/;

function lireChamp(data, nom) {
  const compte = NOMBRE_DE.exec(nom);
  if (compte) {
    const elements = estObjet(data) && aCle(data, compte[1]) ? data[compte[1]] : null;
    return Array.isArray(elements) ? elements.length : 0;
  }
  return resoudre(data, nom);
}

const OPERATEURS = [...COMPARAISONS, "vide", "rempli", "contient", "parmi", "premier"];
const CLES = ["tous", "un_parmi", "non", "profil", "champ"];
const PROFONDEUR_CONDITION = 50;

class Malformee extends Error {}

function cleDe(condition) {
  if (estObjet(condition)) {
    for (const cle of CLES) if (aCle(condition, cle)) return cle;
  }
  throw new Malformee();
}

function evaluerNoeud(condition, data, profil, profondeur) {
  if (profondeur > PROFONDEUR_CONDITION) throw new Malformee();
  const cle = cleDe(condition);
  const contenu = condition[cle];
  if (cle === "tous" || cle === "un_parmi") {
    if (!Array.isArray(contenu)) throw new Malformee();
    const test = (c) => evaluerNoeud(c, data, profil, profondeur + 1);
    return cle === "tous" ? contenu.every(test) : contenu.some(test);
  }
  if (cle === "non") return !evaluerNoeud(contenu, data, profil, profondeur + 1);
  if (cle === "profil") {
    if (typeof contenu === "string") return profil === contenu;
    if (Array.isArray(contenu) && contenu.every((c) => typeof c === "string")) {
      return contenu.includes(profil);
    }
    throw new Malformee();
  }
  const op = canonique(aCle(condition, "op") ? condition.op : null);
  if (typeof contenu !== "string" || !OPERATEURS.includes(op)) throw new Malformee();
  const valeur = lireChamp(data, contenu);
  if (op === "vide") return estVide(valeur);
  if (op === "rempli") return !estVide(valeur);
  if (!aCle(condition, "valeur")) throw new Malformee();
  const attendu = condition.valeur;
  // The first choice of a choix classé (or the value itself).
  if (op === "premier") return egal(Array.isArray(valeur) && valeur.length ? valeur[0] : valeur, attendu);
  if (op === "contient") return contient(valeur, attendu);
  if (op === "parmi") {
    if (!Array.isArray(attendu)) throw new Malformee();
    return parmi(valeur, attendu);
  }
  return comparer(valeur, op, attendu);
}

/** True when the element is shown. Never throws: a malformed condition is true. */
export function evaluerCondition(condition, data, profil = null) {
  if (condition === null || condition === undefined) return true;
  if (estObjet(condition) && Object.keys(condition).length === 0) return true;
  try {
    return evaluerNoeud(condition, estObjet(data) ? data : {}, profil ?? null, 0);
  } catch (erreur) {
    if (erreur instanceof Malformee) return true;
    throw erreur;
  }
}

// --- calculs: the rules of dossiers/formules/calculs.py ---------------------------------

// resoudre_tableau: resoudre, plus a tableau's column (F4): on {row: {col: v}},
// "budget.montant" is the list of the column's cells, "budget.recettes.montant" one cell.
function resoudreTableau(data, nom) {
  const parties = nom.split(".");
  let v = estObjet(data) && aCle(data, parties[0]) ? data[parties[0]] : null;
  for (const partie of parties.slice(1)) {
    if (estObjet(v)) {
      const rangees = Object.values(v);
      if (aCle(v, partie)) v = v[partie];
      else if (rangees.length && rangees.every(estObjet)) {
        v = rangees.map((rangee) => (aCle(rangee, partie) ? rangee[partie] : null));
      } else v = null;
    } else if (Array.isArray(v)) v = v.map((x) => (estObjet(x) && aCle(x, partie) ? x[partie] : null));
    else v = null;
  }
  return v === undefined ? null : v;
}

export class ErreurCalcul extends Error {
  constructor(message) {
    super(message);
    this.name = "ErreurCalcul";
  }
}

const DIVISION_PAR_ZERO = "Le calcul divise par zéro : vérifiez les valeurs saisies.";
const MOYENNE_DE_RIEN = "La moyenne ne porte sur aucune valeur : complétez au moins un élément.";
const DECIMALES_MAX = 10;
const ARITES = {
  si: [3, 3],
  min: [1, null],
  max: [1, null],
  somme: [1, null],
  nb: [1, null],
  arrondi: [1, 2],
  abs: [1, 1],
  age: [1, 1],
  contient: [2, 2],
  // Repeatable blocks (F12): see nombreElements() and moyenne().
  nombre: [1, 1],
  moyenne: [1, null],
};
const OPERATEURS_BINAIRES = ["+", "-", "*", "/", ...COMPARAISONS, "et", "ou"];
const INVALIDE = "La formule enregistrée est invalide.";

function dateDuJour() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function lireDate(texte) {
  const m = typeof texte === "string" ? DATE_ISO.exec(texte) : null;
  if (!m) return null;
  const [annee, mois, jour] = [m[1], m[2], m[3]].map((x) => parseInt(x, 10));
  if (annee < 1 || mois < 1 || mois > 12 || jour < 1) return null;
  const bissextile = annee % 4 === 0 && (annee % 100 !== 0 || annee % 400 === 0);
  const jours = [31, bissextile ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mois - 1];
  return jour > jours ? null : [annee, mois, jour];
}

class Calcul {
  constructor(data, aujourdhui) {
    this.data = data;
    this.aujourdhui = aujourdhui;
  }

  nombre(valeur, noeud) {
    const [genre, normal] = nature(valeur);
    if (genre === VIDE) return ZERO;
    if (genre === BOOLEEN) return normal ? UN : ZERO;
    if (genre === NOMBRE) return normal;
    if (noeud.type === "champ") {
      if (genre === LISTE) {
        throw new ErreurCalcul(
          `Le champ « ${noeud.nom} » contient plusieurs valeurs : utilisez somme(${noeud.nom}) ou nb(${noeud.nom}).`,
        );
      }
      throw new ErreurCalcul(`Le champ « ${noeud.nom} » ne contient pas un nombre.`);
    }
    if (noeud.type === "texte") throw new ErreurCalcul(`Le texte « ${noeud.valeur} » n’est pas un nombre.`);
    throw new ErreurCalcul("Le calcul utilise une valeur qui n’est pas un nombre.");
  }

  valeur(noeud) {
    if (!estObjet(noeud)) throw new ErreurCalcul(INVALIDE);
    switch (noeud.type) {
      case "nombre":
        if (typeof noeud.valeur !== "string" || !NOMBRE_STOCKE.test(noeud.valeur)) {
          throw new ErreurCalcul(INVALIDE);
        }
        return decLire(noeud.valeur);
      case "texte":
        if (typeof noeud.valeur !== "string") throw new ErreurCalcul(INVALIDE);
        return noeud.valeur;
      case "champ":
        if (typeof noeud.nom !== "string") throw new ErreurCalcul(INVALIDE);
        return resoudreTableau(this.data, noeud.nom);
      case "unaire": {
        const terme = this.valeur(noeud.terme);
        if (noeud.op === "non") return !vrai(terme);
        if (noeud.op === "-") return decOppose(this.nombre(terme, noeud.terme));
        throw new ErreurCalcul(INVALIDE);
      }
      case "binaire":
        return this.binaire(noeud);
      case "fonction":
        return this.fonction(noeud);
      default:
        throw new ErreurCalcul(INVALIDE);
    }
  }

  binaire(noeud) {
    const op = canonique(noeud.op);
    if (!OPERATEURS_BINAIRES.includes(op)) throw new ErreurCalcul(INVALIDE);
    if (op === "et") return vrai(this.valeur(noeud.gauche)) && vrai(this.valeur(noeud.droite));
    if (op === "ou") return vrai(this.valeur(noeud.gauche)) || vrai(this.valeur(noeud.droite));
    const gauche = this.valeur(noeud.gauche);
    const droite = this.valeur(noeud.droite);
    if (COMPARAISONS.includes(op)) return comparer(gauche, op, droite);
    const a = this.nombre(gauche, noeud.gauche);
    const b = this.nombre(droite, noeud.droite);
    if (op === "+") return decAjouter(a, b);
    if (op === "-") return decSoustraire(a, b);
    if (op === "*") return decMultiplier(a, b);
    if (b.c === 0n) throw new ErreurCalcul(DIVISION_PAR_ZERO);
    return decDiviser(a, b);
  }

  aplatis(args) {
    const sortie = [];
    for (const arg of args) {
      const v = this.valeur(arg);
      if (Array.isArray(v)) for (const element of v) sortie.push([element, arg]);
      else sortie.push([v, arg]);
    }
    return sortie;
  }

  fonction(noeud) {
    const { nom, args } = noeud;
    if (!aCle(ARITES, nom) || !Array.isArray(args)) throw new ErreurCalcul(INVALIDE);
    const [minimum, maximum] = ARITES[nom];
    if (args.length < minimum || (maximum !== null && args.length > maximum)) {
      throw new ErreurCalcul(INVALIDE);
    }
    if (nom === "si") return this.valeur(vrai(this.valeur(args[0])) ? args[1] : args[2]);
    if (nom === "contient") return contient(this.valeur(args[0]), this.valeur(args[1]));
    if (nom === "nb") {
      return new Dec(BigInt(this.aplatis(args).filter(([v]) => !estVide(v)).length), 0);
    }
    if (nom === "somme" || nom === "min" || nom === "max") {
      const nombres = this.aplatis(args).map(([v, arg]) => this.nombre(v, arg));
      if (!nombres.length) return ZERO;
      if (nom === "somme") return nombres.reduce(decAjouter, ZERO);
      const signe = nom === "min" ? -1 : 1;
      return nombres.reduce((m, n) => (decComparer(n, m) === signe ? n : m));
    }
    if (nom === "nombre") return this.nombreElements(args[0]);
    if (nom === "moyenne") return this.moyenne(args);
    if (nom === "abs") return decAbsolu(this.nombre(this.valeur(args[0]), args[0]));
    if (nom === "arrondi") {
      const x = this.nombre(this.valeur(args[0]), args[0]);
      const n = args.length > 1 ? this.nombre(this.valeur(args[1]), args[1]) : ZERO;
      if (
        decComparer(n, ZERO) < 0 ||
        decComparer(n, new Dec(BigInt(DECIMALES_MAX), 0)) > 0 ||
        decComparer(n, decArrondir(n, 0)) !== 0
      ) {
        throw new ErreurCalcul(
          `Le nombre de décimales d’arrondi() doit être un entier de 0 à ${DECIMALES_MAX}.`,
        );
      }
      return decArrondir(x, Number(decArrondir(n, 0).c));
    }
    return this.age(this.valeur(args[0]), args[0]);
  }

  // nombre(bloc): how many elements a repeatable block holds.
  nombreElements(noeud) {
    const valeur = this.valeur(noeud);
    if (Array.isArray(valeur)) return new Dec(BigInt(valeur.length), 0);
    if (estVide(valeur)) return ZERO;
    throw new ErreurCalcul("nombre() compte les éléments d’un bloc répétable : nombre(enfants).");
  }

  // moyenne(…): the mean of the non-empty values; none is an error.
  moyenne(args) {
    const nombres = this.aplatis(args)
      .filter(([v]) => !estVide(v))
      .map(([v, arg]) => this.nombre(v, arg));
    if (!nombres.length) throw new ErreurCalcul(MOYENNE_DE_RIEN);
    return decDiviser(nombres.reduce(decAjouter, ZERO), new Dec(BigInt(nombres.length), 0));
  }

  age(valeur, noeud) {
    if (estVide(valeur)) return ZERO;
    const date = lireDate(valeur);
    if (!date) {
      if (noeud.type === "champ") {
        throw new ErreurCalcul(`Le champ « ${noeud.nom} » ne contient pas une date valide.`);
      }
      throw new ErreurCalcul("age() attend une date au format AAAA-MM-JJ.");
    }
    const [annee, mois, jour] = date;
    const [a, m, j] = lireDate(this.aujourdhui || dateDuJour());
    const pasEncore = m < mois || (m === mois && j < jour);
    return new Dec(BigInt(a - annee - (pasEncore ? 1 : 0)), 0);
  }
}

/** The value of a formula (its JSON tree from the server) on the data, as canonical
 * decimal text; throws ErreurCalcul with the server's French message otherwise. */
export function evaluerCalcul(astJson, data, options = {}) {
  const calcul = new Calcul(estObjet(data) ? data : {}, options.aujourdhui || null);
  return decTexte(calcul.nombre(calcul.valeur(astJson), astJson));
}

/** "2.345" → "2.35" with n = 2: half up, exactly n decimals. */
export function arrondir(texte, n) {
  return decTexteFixe(decArrondir(decLire(texte), n), n);
}

/** "-1234.5" → "-1 234,5" (non-breaking spaces), for display only. */
export function formaterNombre(texte) {
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(texte);
  if (!m) return texte;
  const entier = m[2].replace(/\B(?=([0-9]{3})+(?![0-9]))/g, "\u00a0");
  return `${m[1]}${entier}${m[3] ? `,${m[3]}` : ""}`;
}

// --- an address: the rules of dossiers/champs/natifs/adresse.py (`parties`, `ligne`) ----

// Python's str.split() whitespace (str.isspace), so parts collapse as on the server.
const ESPACES = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const SUITE_ESPACES = new RegExp(`[${ESPACES}]+`, "g");
const BORDS_ESPACES = new RegExp(`^[${ESPACES}]+|[${ESPACES}]+$`, "g");
const PARTIES_VISIBLES = ["numero_voie", "complement", "code_postal", "commune"];
const CODE_INSEE = /^[0-9][0-9AB][0-9]{3}$/;
const BAN_ID = /^[\p{L}\p{N}_:-]{1,64}$/u; // Python's [\w:-] on a str
// What Python's float() reads (underscores between digits included).
const CHIFFRES = "[0-9](?:_?[0-9])*";
const FLOTTANT = new RegExp(`^[+-]?(?:${CHIFFRES}(?:\\.(?:${CHIFFRES})?)?|\\.${CHIFFRES})(?:[eE][+-]?${CHIFFRES})?$`);

const reduireEspaces = (texte) => texte.replace(SUITE_ESPACES, " ").replace(BORDS_ESPACES, "");

function coordonnee(valeur, borne) {
  if (typeof valeur !== "string") return null;
  const texte = valeur.replace(BORDS_ESPACES, "");
  if (!FLOTTANT.test(texte)) return null;
  const n = Number(texte.replaceAll("_", ""));
  return Number.isFinite(n) && -borne <= n && n <= borne ? n : null;
}

/** An address's parts ({numero_voie, …, ban_id: texts}) as the server stores them:
 * spaces collapsed, the hidden parts kept only when all read, its one-line label; null
 * when no visible part is filled. The server geocodes a valid address typed by hand
 * (code INSEE, coordinates): the page knows them only from a picked suggestion. */
export function lireAdresse(saisies) {
  const valeur = {};
  for (const cle of PARTIES_VISIBLES) {
    valeur[cle] = typeof saisies[cle] === "string" ? reduireEspaces(saisies[cle]) : "";
  }
  if (!PARTIES_VISIBLES.some((cle) => valeur[cle])) return null;
  const lon = coordonnee(saisies.lon, 180);
  const lat = coordonnee(saisies.lat, 90);
  const insee = saisies.code_insee;
  const ban = saisies.ban_id;
  const geolocalisee =
    lon !== null &&
    lat !== null &&
    typeof insee === "string" &&
    CODE_INSEE.test(insee) &&
    typeof ban === "string" &&
    (ban === "" || BAN_ID.test(ban));
  Object.assign(
    valeur,
    geolocalisee ? { code_insee: insee, lon, lat, ban_id: ban } : { code_insee: "", lon: null, lat: null, ban_id: "" },
  );
  const ville = `${valeur.code_postal} ${valeur.commune}`.replace(BORDS_ESPACES, "");
  const label = [valeur.numero_voie, valeur.complement, ville].filter((p) => p).join(", ");
  return { label, ...valeur };
}

// --- the page ----------------------------------------------------------------------------

const IGNORES = new Set(["submit", "button", "reset", "image", "fieldset"]);

function estNumerique(el) {
  return (
    el.type === "number" ||
    el.inputMode === "decimal" ||
    el.inputMode === "numeric" ||
    el.hasAttribute("data-nombre")
  );
}

/** The form's values keyed by technical name (data-champ, else name), as stored. */
export function lireDonnees(form) {
  return lireDonneesDu(form);
}

function lireDonneesDu(form) {
  const data = {};
  const cases = {};
  const adresses = {};
  const champs = Array.from(form.elements).filter((el) => {
    const partie = el.dataset.adressePartie;
    if (partie && el.name.endsWith(`_${partie}`)) {
      // An address's part, named "<champ>_<partie>": read below as one stored dict.
      const nom = el.name.slice(0, -partie.length - 1);
      (adresses[nom] ||= {})[partie] = el.value;
      return false;
    }
    return (el.dataset.champ || el.name) && !IGNORES.has(el.type);
  });
  for (const [nom, saisies] of Object.entries(adresses)) data[nom] = lireAdresse(saisies);
  for (const el of champs) {
    if (el.type === "checkbox") {
      const nom = el.dataset.champ || el.name;
      cases[nom] = (cases[nom] || 0) + 1;
    }
  }
  for (const el of champs) {
    const nom = el.dataset.champ || el.name;
    if (el.type === "checkbox") {
      if (cases[nom] > 1 || el.hasAttribute("data-multiple")) {
        if (!Array.isArray(data[nom])) data[nom] = [];
        if (el.checked) data[nom].push(el.value);
      } else {
        data[nom] = el.checked;
      }
    } else if (el.type === "radio") {
      if (!aCle(data, nom)) data[nom] = null;
      // A yes/no field's radios (data-booleen) are stored True/False, not "oui"/"non".
      if (el.checked) data[nom] = el.hasAttribute("data-booleen") ? el.value === "oui" : el.value;
    } else if (el.hasAttribute("data-rang")) {
      // choix classé: one select per rank, in rank order; the ranked keys as a list.
      if (!Array.isArray(data[nom])) data[nom] = [];
      if (el.value) data[nom].push(el.value);
    } else if (el.tagName === "SELECT" && el.multiple) {
      data[nom] = Array.from(el.selectedOptions, (o) => o.value);
    } else {
      let valeur = el.value;
      if (estNumerique(el)) {
        // Typed the French way, as the server reads it: "1 234,50 €" is 1234.50.
        const nettoye = valeur.replace(/[\s\u00a0\u202f]/g, "").replace(/€$/, "").replace(",", ".");
        if (NOMBRE_STOCKE.test(nettoye)) valeur = nettoye;
      }
      data[nom] = valeur;
    }
  }
  // A tableau's cells (F4) are named "budget.recettes.montant": nest them as stored,
  // data.budget.recettes.montant (technical names never contain a dot).
  for (const nom of Object.keys(data)) {
    if (nom.includes(".")) {
      const valeur = data[nom];
      delete data[nom];
      poser(data, nom, valeur);
    }
  }
  return data;
}

function poser(data, nom, valeur) {
  const parties = nom.split(".");
  let cible = data;
  for (const partie of parties.slice(0, -1)) {
    if (!estObjet(cible[partie])) cible[partie] = {};
    cible = cible[partie];
  }
  cible[parties[parties.length - 1]] = valeur;
}

function lireJson(el, attribut, cache) {
  const texte = el.getAttribute(attribut);
  const connu = cache.get(el);
  if (connu && connu.texte === texte) return connu.valeur;
  let valeur;
  try {
    valeur = JSON.parse(texte);
  } catch {
    valeur = undefined;
  }
  cache.set(el, { texte, valeur });
  return valeur;
}

function ecrire(el, texte, affichage) {
  if ("value" in el && /^(INPUT|OUTPUT|TEXTAREA)$/.test(el.tagName)) el.value = texte;
  else el.textContent = affichage;
}

// Repeatable blocks (F12): a container [data-bloc="enfants"] holds elements
// [data-element="enfants-0-"] whose controls are named with that prefix. In `data`, the
// prefixed values become the block's list of elements (what the server stores), so
// nombre(enfants) and somme(enfants.montant) read them; calculs and conditions inside an
// element also read that element's sub-fields by their own names.
function regrouperBlocs(form, data) {
  const elements = new Map();
  for (const bloc of form.querySelectorAll("[data-bloc]")) {
    const nom = bloc.dataset.bloc;
    const liste = [];
    for (const element of bloc.querySelectorAll("[data-element]")) {
      const prefixe = element.dataset.element;
      const valeurs = {};
      for (const cle of Object.keys(data)) {
        if (cle.startsWith(prefixe)) {
          valeurs[cle.slice(prefixe.length)] = data[cle];
          delete data[cle];
        }
      }
      liste.push(valeurs);
      elements.set(element, { prefixe, valeurs });
    }
    delete data[`${nom}-TOTAL`];
    data[nom] = liste;
  }
  return elements;
}

function elementDe(el, elements) {
  const element = el.closest("[data-element]");
  return element ? elements.get(element) || null : null;
}

/**
 * Live conditions and calculs on a form. Attributes read (the wizard renders them from
 * the server's definitions, and the server re-checks everything on submit):
 *
 *   <form data-profil="association">     the dossier's profile type code (optional)
 *   data-condition='{"champ": …}'         on any element inside the form (onglet, section,
 *                                         field wrapper): `hidden` is set while false.
 *   data-calcul='{"type": "binaire", …}'  ast_en_json(analyser(formule)) on an <input
 *                                         readonly> / <output> (its value is written, and
 *                                         read back by other formulas under its name) or
 *                                         any element (its text, French display).
 *   data-decimales="2"                    with data-calcul: round half up to 2 decimals.
 *   data-calcul-erreur="id"               on an element that shows the error of the
 *                                         calcul element with that id (hidden otherwise).
 *   data-champ="nom"                      on a control whose name is not the technical name.
 *   data-nombre                           on a text control holding a number typed the
 *                                         French way ("1 234,50" is read as "1234.50");
 *                                         type=number and inputmode decimal/numeric too.
 *   data-multiple                         on a lone checkbox of a multiple choice.
 *   data-donnees='{…}'                    on the form: the stored answers of the other
 *                                         steps, read under this step's own values.
 *   data-booleen                          on the radios of a yes/no field: "oui" is read
 *                                         as true, "non" as false, as the server stores.
 *   data-bloc="nom", data-element="nom-0-" a repeatable block and its elements (see
 *                                         regrouperBlocs).
 *   data-adresse-partie="code_postal"     on the inputs of an address "<nom>_<partie>":
 *                                         read together as data[nom] (see lireAdresse),
 *                                         so "adresse.code_postal" is live.
 *
 * Values: a lone checkbox is a boolean, several checkboxes of one name (or data-multiple)
 * a list of checked values, radios the checked value (null if none), select[multiple] a
 * list. Every control counts, hidden or not (as on the server, which evaluates with
 * everything posted, then drops what the conditions hide). The form should carry
 * `novalidate`: a hidden required field must not block the submit button.
 *
 * Re-evaluates on input and change events; returns {actualiser, detacher}.
 */
export function brancher(form) {
  const cache = new WeakMap();
  // The dossier's answers on the other steps (data-donnees, JSON), which formulas and
  // conditions of this step may read; what this step's controls hold comes on top.
  const lireDonnees = (f) => ({ ...(lireJson(f, "data-donnees", cache) || {}), ...lireDonneesDu(f) });
  const actualiser = () => {
    const profil = form.dataset.profil || null;
    const calculs = Array.from(form.querySelectorAll("[data-calcul]"));
    // Calculs may read one another: a few passes settle any order of declaration.
    for (let passe = 0; passe <= calculs.length; passe++) {
      let change = false;
      const data = lireDonnees(form);
      const elements = regrouperBlocs(form, data);
      for (const el of calculs) {
        const portee = elementDe(el, elements);
        const avant = "value" in el && /^(INPUT|OUTPUT|TEXTAREA)$/.test(el.tagName) ? el.value : el.textContent;
        let texte = "";
        let message = "";
        try {
          const ast = lireJson(el, "data-calcul", cache);
          if (ast === undefined) throw new ErreurCalcul(INVALIDE);
          texte = evaluerCalcul(ast, portee ? { ...data, ...portee.valeurs } : data);
          const decimales = el.getAttribute("data-decimales");
          if (decimales !== null && /^[0-9]+$/.test(decimales)) texte = arrondir(texte, parseInt(decimales, 10));
        } catch (erreur) {
          if (!(erreur instanceof ErreurCalcul)) throw erreur;
          message = erreur.message;
        }
        ecrire(el, texte, message ? "" : formaterNombre(texte));
        if (message) el.setAttribute("aria-invalid", "true");
        else el.removeAttribute("aria-invalid");
        if (typeof el.setCustomValidity === "function") el.setCustomValidity(message);
        if (el.id) {
          for (const cible of form.querySelectorAll(`[data-calcul-erreur="${CSS.escape(el.id)}"]`)) {
            cible.textContent = message;
            cible.hidden = !message;
          }
        }
        const nom = el.dataset.champ || el.name;
        if (nom && !message && portee && nom.startsWith(portee.prefixe)) {
          portee.valeurs[nom.slice(portee.prefixe.length)] = texte;
        } else if (nom && !message) poser(data, nom, texte);
        const apres = "value" in el && /^(INPUT|OUTPUT|TEXTAREA)$/.test(el.tagName) ? el.value : el.textContent;
        if (apres !== avant) change = true;
      }
      if (!change) break;
    }
    const data = lireDonnees(form);
    const elements = regrouperBlocs(form, data);
    for (const el of form.querySelectorAll("[data-condition]")) {
      const portee = elementDe(el, elements);
      const donnees = portee ? { ...data, ...portee.valeurs } : data;
      el.hidden = !evaluerCondition(lireJson(el, "data-condition", cache) ?? null, donnees, profil);
    }
  };
  form.addEventListener("input", actualiser);
  form.addEventListener("change", actualiser);
  actualiser();
  return {
    actualiser,
    detacher() {
      form.removeEventListener("input", actualiser);
      form.removeEventListener("change", actualiser);
    },
  };
}
