// Guichet — field types that get better with JavaScript (progressive enhancement):
//
//   [data-adresse="/api/adresses/"]     an address: its "numéro et voie" input becomes a
//                                       combobox of Base Adresse Nationale suggestions;
//                                       picking one fills the other parts and the hidden
//                                       code INSEE / lon / lat / id BAN; typing by hand
//                                       empties the hidden ones.
//   input[data-territoire="/api/…/"]    a commune or an EPCI: a combobox of suggestions;
//                                       picking one writes "Nantes (44000)" and its code in
//                                       the hidden input[data-territoire-code] beside it.
//   select[data-depend-de="parent"]     a linked list: only the options whose data-parent
//                                       is the parent field's current answer are offered
//                                       (in a block's element, a sibling named so first).
//
// Without JavaScript every one of them still works (the server resolves what is typed
// and checks the linked list). The combobox follows the WAI-ARIA 1.2 pattern "combobox
// with list autocomplete": arrows move through the suggestions, Enter picks, Escape
// closes; the number of suggestions is announced. A plain ES module, no dependency.

const DELAI = 200; // ms of quiet typing before asking the server
let compteur = 0;

const STYLE = `
.guichet-combobox { position: relative; }
.guichet-listbox { position: absolute; z-index: 1000; left: 0; right: 0; margin: 0 !important;
  padding: 0 !important; list-style: none !important; max-height: 20rem; overflow-y: auto;
  background: var(--background-default-grey, #fff); border: 1px solid var(--border-plain-grey, #3a3a3a);
  box-shadow: 0 6px 18px rgba(0, 0, 18, .16); }
.guichet-listbox[hidden] { display: none; }
.guichet-listbox > li { padding: .5rem .75rem !important; margin: 0 !important; cursor: pointer; }
.guichet-listbox > li[aria-selected="true"] { background: var(--background-action-high-blue-france, #000091);
  color: var(--text-inverted-blue-france, #fff); }
.guichet-listbox > li:hover:not([aria-selected="true"]) { background: var(--background-default-grey-hover, #f6f6f6); }
`;

function installerStyle() {
  if (document.getElementById("guichet-champs-style")) return;
  const style = document.createElement("style");
  style.id = "guichet-champs-style";
  style.textContent = STYLE;
  document.head.append(style);
}

/**
 * Turns a text input into a combobox. `chercher(texte, signal)` resolves to
 * [{libelle, …}] (or {resultats, message}); `choisir(resultat)` is called on a pick.
 */
export function combobox(input, { chercher, choisir, minimum = 3 }) {
  installerStyle();
  const id = `guichet-listbox-${++compteur}`;
  const groupe = input.closest(".fr-input-group") || input.parentElement;
  groupe.classList.add("guichet-combobox");
  const liste = document.createElement("ul");
  liste.id = id;
  liste.className = "guichet-listbox";
  liste.setAttribute("role", "listbox");
  const label = input.labels && input.labels[0];
  if (label) {
    if (!label.id) label.id = `${id}-label`;
    liste.setAttribute("aria-labelledby", label.id);
  }
  liste.hidden = true;
  const statut = document.createElement("p");
  statut.className = "fr-sr-only";
  statut.setAttribute("role", "status");
  input.after(liste, statut);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", id);
  input.setAttribute("autocomplete", "off");

  let resultats = [];
  let actif = -1;
  let minuteur = null;
  let requete = null;

  const fermer = () => {
    liste.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    actif = -1;
  };

  const activer = (index) => {
    const options = liste.children;
    if (!options.length) return;
    actif = (index + options.length) % options.length;
    for (const [i, option] of Array.from(options).entries()) {
      option.setAttribute("aria-selected", i === actif ? "true" : "false");
    }
    input.setAttribute("aria-activedescendant", options[actif].id);
    options[actif].scrollIntoView({ block: "nearest" });
  };

  const prendre = (index) => {
    const resultat = resultats[index];
    if (!resultat) return;
    fermer();
    choisir(resultat);
    statut.textContent = `${resultat.libelle || resultat.label} sélectionné.`;
  };

  const afficher = (reponse) => {
    resultats = Array.isArray(reponse) ? reponse : reponse.resultats || [];
    liste.replaceChildren(
      ...resultats.map((resultat, i) => {
        const option = document.createElement("li");
        option.id = `${id}-${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = resultat.libelle || resultat.label;
        option.addEventListener("mousedown", (e) => e.preventDefault()); // keep the focus
        option.addEventListener("click", () => prendre(i));
        return option;
      }),
    );
    actif = -1;
    input.removeAttribute("aria-activedescendant");
    if (resultats.length) {
      liste.hidden = false;
      input.setAttribute("aria-expanded", "true");
      statut.textContent =
        resultats.length === 1
          ? "1 suggestion : utilisez les flèches pour la sélectionner."
          : `${resultats.length} suggestions : utilisez les flèches pour les parcourir.`;
    } else {
      fermer();
      statut.textContent = (!Array.isArray(reponse) && reponse.message) || "";
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(minuteur);
    const texte = input.value.trim();
    if (texte.length < minimum) {
      fermer();
      return;
    }
    minuteur = setTimeout(async () => {
      if (requete) requete.abort();
      requete = new AbortController();
      try {
        const reponse = await chercher(texte, requete.signal);
        if (input.value.trim() === texte) afficher(reponse); // else a later one is coming
      } catch (erreur) {
        if (erreur.name !== "AbortError") fermer(); // the server is down: type by hand
      }
    }, DELAI);
  });

  input.addEventListener("keydown", (e) => {
    const ouverte = !liste.hidden && liste.children.length > 0;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (ouverte) activer(actif + 1);
      else if (resultats.length) afficher(resultats);
    } else if (e.key === "ArrowUp") {
      if (!ouverte) return;
      e.preventDefault();
      activer(actif - 1);
    } else if (e.key === "Enter") {
      if (ouverte && actif >= 0) {
        e.preventDefault(); // pick, do not submit the form
        prendre(actif);
      }
    } else if (e.key === "Escape") {
      if (ouverte) {
        e.preventDefault();
        fermer();
      }
    }
  });
  input.addEventListener("blur", () => setTimeout(fermer, 150));
  return { fermer };
}

async function lireJson(url, signal) {
  const reponse = await fetch(url, { signal, headers: { Accept: "application/json" } });
  if (!reponse.ok) throw new Error(`HTTP ${reponse.status}`);
  return reponse.json();
}

function signaler(el) {
  el.dispatchEvent(new Event("change", { bubbles: true })); // live conditions re-evaluate
}

// --- adresse ---------------------------------------------------------------------------

function brancherAdresse(bloc) {
  const partie = (cle) => bloc.querySelector(`[data-adresse-partie="${cle}"]`);
  const voie = partie("numero_voie");
  if (!voie || voie.getAttribute("role") === "combobox") return;
  const caches = Array.from(bloc.querySelectorAll("[data-adresse-cache]"));
  // Typing any visible part by hand: the address no longer is the BAN's one.
  for (const cle of ["numero_voie", "code_postal", "commune"]) {
    const el = partie(cle);
    if (el) el.addEventListener("input", () => caches.forEach((c) => (c.value = "")));
  }
  combobox(voie, {
    minimum: 3,
    chercher: (texte, signal) => lireJson(`${bloc.dataset.adresse}?q=${encodeURIComponent(texte)}`, signal),
    choisir: (adresse) => {
      const valeurs = {
        numero_voie: adresse.numero_voie,
        code_postal: adresse.code_postal,
        commune: adresse.commune,
        code_insee: adresse.code_insee,
        lon: String(adresse.lon),
        lat: String(adresse.lat),
        ban_id: adresse.ban_id,
      };
      for (const [cle, valeur] of Object.entries(valeurs)) {
        const el = partie(cle);
        if (el) el.value = valeur ?? "";
      }
      signaler(voie);
    },
  });
}

// --- commune, EPCI -----------------------------------------------------------------------

function brancherTerritoire(input) {
  if (input.getAttribute("role") === "combobox") return;
  const code = input.parentElement.querySelector(`input[data-territoire-code][name="${CSS.escape(input.name)}__code"]`);
  input.addEventListener("input", () => {
    if (code) code.value = "";
  });
  combobox(input, {
    minimum: 2,
    chercher: (texte, signal) => {
      const params = new URLSearchParams({ q: texte });
      if (input.dataset.filtreDepartement) params.set("departement", input.dataset.filtreDepartement);
      if (input.dataset.filtreRegion) params.set("region", input.dataset.filtreRegion);
      return lireJson(`${input.dataset.territoire}?${params}`, signal);
    },
    choisir: (resultat) => {
      input.value = resultat.libelle;
      if (code) code.value = resultat.code;
      signaler(input);
    },
  });
}

// --- linked lists ------------------------------------------------------------------------

function valeurParent(form, nom) {
  const el = form.elements.namedItem(nom);
  if (!el) return "";
  if (el instanceof RadioNodeList) return el.value;
  if (el.type === "checkbox") return el.checked ? "oui" : "non";
  return el.value;
}

function brancherListeLiee(select) {
  const form = select.form;
  // In a repeatable block's element (F12), a sibling sub-field named like the parent
  // ("enfants-0-ecole") is the parent, as on the server; else the top-level field.
  // Read each time: removing an element renumbers the names of those after it.
  const nomParent = () => {
    const element = select.closest("[data-element]");
    const voisin = element ? `${element.dataset.element}${select.dataset.dependDe}` : null;
    return voisin && form.elements.namedItem(voisin) ? voisin : select.dataset.dependDe;
  };
  // No parent in this page (an earlier step): every group stays, the server checks.
  if (!form || select.dataset.lieeBranchee || !form.elements.namedItem(nomParent())) return;
  select.dataset.lieeBranchee = "1";
  const vide = select.querySelector('option[value=""]');
  const toutes = Array.from(select.querySelectorAll("option[data-parent]"), (o) => ({
    value: o.value,
    texte: o.textContent,
    parent: o.dataset.parent,
  }));
  const actualiser = () => {
    const parent = valeurParent(form, nomParent());
    const avant = select.value;
    const options = toutes.filter((o) => o.parent === parent);
    const elements = options.map((o) => {
      const option = document.createElement("option");
      option.value = o.value;
      option.textContent = o.texte;
      option.dataset.parent = o.parent;
      option.selected = o.value === avant;
      return option;
    });
    select.replaceChildren(...(vide ? [vide] : []), ...elements);
    if (!options.some((o) => o.value === avant)) select.value = "";
    select.disabled = !parent;
    if (select.value !== avant) signaler(select);
  };
  form.addEventListener("change", (e) => {
    if (e.target.name === nomParent()) actualiser();
  });
  actualiser();
}

/** Enhances every field of `racine` (the document by default); safe to call again. */
export function brancherChamps(racine = document) {
  racine.querySelectorAll("[data-adresse]").forEach(brancherAdresse);
  racine.querySelectorAll("input[data-territoire]").forEach(brancherTerritoire);
  racine.querySelectorAll("select[data-depend-de]").forEach(brancherListeLiee);
}

brancherChamps();
// An element added to a repeatable block (static/js/bloc.js signals a "change" on the
// block): its fields are enhanced too.
document.addEventListener("change", (e) => {
  if (e.target instanceof Element && e.target.hasAttribute("data-bloc")) brancherChamps(e.target);
});
