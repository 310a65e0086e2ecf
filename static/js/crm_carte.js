// Guichet — the CRM map of dossiers (C9), crm/recherche/views_carte.py. The server groups
// the dossiers of the visible box (never sends them all): this script asks it again
// when the map moves, draws the groups and points as focusable markers, and rewrites the
// table below the map, the map's text alternative (also what is shown without JS).
(function () {
  "use strict";

  if (typeof window.L === "undefined") return; // Leaflet missing: the table suffices
  const L = window.L;
  const conteneur = document.getElementById("carte-dossiers");
  const tableau = document.getElementById("carte-tableau");
  let reglages, contours;
  try {
    reglages = JSON.parse(document.getElementById("carte-reglages").textContent);
    contours = JSON.parse(document.getElementById("carte-contours").textContent);
  } catch {
    return;
  }
  conteneur.hidden = false;
  const carte = L.map(conteneur, { keyboard: true, center: reglages.centre, zoom: reglages.zoom });
  if (reglages.tuiles) {
    L.tileLayer(reglages.tuiles, { attribution: reglages.attribution, maxZoom: 19 }).addTo(carte);
  }
  // Territory outlines: outline only (the dossiers stay readable), each labelled with its
  // territoire at its centre, toggled by the checkbox above the map; the table below the
  // map is their legend and text alternative.
  if (contours && contours.features && contours.features.length) {
    const couche = L.geoJSON(contours, {
      interactive: false,
      style: (f) => ({ color: (f.properties && f.properties.couleur) || "#000091", weight: 3, fill: false, dashArray: "6 4" }),
      onEachFeature: (f, c) => {
        if (f.properties && f.properties.nom) {
          c.bindTooltip(String(f.properties.nom), { permanent: true, direction: "center", className: "guichet-carte-contour" });
        }
      },
    }).addTo(carte);
    const bascule = document.getElementById("carte-contours-bascule");
    const caseContours = document.getElementById("carte-contours-afficher");
    if (bascule && caseContours) {
      bascule.hidden = false;
      caseContours.addEventListener("change", () => {
        if (caseContours.checked) couche.addTo(carte);
        else couche.remove();
      });
    }
  }
  const reperes = L.layerGroup().addTo(carte);
  let enCours = null;

  function element(nom, attributs, texte) {
    const e = document.createElement(nom);
    for (const [cle, valeur] of Object.entries(attributs || {})) e.setAttribute(cle, valeur);
    if (texte !== undefined) e.textContent = texte;
    return e;
  }

  function table(legende, entetes, lignes) {
    const conteneurTable = element("div", { class: "fr-table fr-table--no-caption" });
    const t = element("table");
    t.append(element("caption", {}, legende));
    const tete = element("tr");
    for (const entete of entetes) tete.append(element("th", { scope: "col" }, entete));
    const thead = element("thead");
    thead.append(tete);
    t.append(thead);
    const corps = element("tbody");
    for (const cellules of lignes) {
      const tr = element("tr");
      for (const cellule of cellules) {
        const td = element("td");
        td.append(cellule);
        tr.append(td);
      }
      corps.append(tr);
    }
    t.append(corps);
    conteneurTable.append(t);
    return conteneurTable;
  }

  // A marker is a focusable button (role="button"); Leaflet opens popups on Enter but
  // fires no click: Enter and Space act as the click does.
  function activer(repere, action) {
    repere.on("click", action);
    repere.on("keydown", (e) => {
      const touche = e.originalEvent.key;
      if (touche === "Enter" || touche === " ") {
        e.originalEvent.preventDefault();
        action();
      }
    });
  }

  function lien(url, texte) {
    return element("a", { href: url }, texte);
  }

  function afficher(donnees) {
    reperes.clearLayers();
    const lignes = [];
    for (const g of donnees.groupes) {
      const texte = g.nombre > 1 ? `${g.nombre} dossiers` : "1 dossier";
      const repere = L.marker([g.lat, g.lon], {
        title: `${texte} — zoomer`,
        alt: texte,
        keyboard: true,
        icon: L.divIcon({
          className: "guichet-carte-groupe",
          html: `<span>${g.nombre}</span>`,
          iconSize: [40, 40],
        }),
      });
      activer(repere, () => carte.setView([g.lat, g.lon], Math.min(carte.getZoom() + 2, 19)));
      reperes.addLayer(repere);
      const bouton = element("button", { type: "button", class: "fr-btn fr-btn--sm fr-btn--tertiary" }, `Zoomer sur ces ${texte}`);
      bouton.addEventListener("click", () => carte.setView([g.lat, g.lon], Math.min(carte.getZoom() + 2, 19)));
      lignes.push([`${g.lat.toFixed(4)}, ${g.lon.toFixed(4)}`, String(g.nombre), bouton]);
    }
    const lignesPoints = [];
    for (const p of donnees.points) {
      const repere = L.marker([p.lat, p.lon], {
        title: `${p.reference} — ${p.statut}`,
        alt: `${p.reference} — ${p.statut}`,
        keyboard: true,
        icon: L.divIcon({
          className: "guichet-carte-point",
          html: `<span style="background:${p.couleur}"></span>`,
          iconSize: [22, 22],
        }),
      });
      activer(repere, () => {
        window.location.href = p.url;
      });
      reperes.addLayer(repere);
      lignesPoints.push([lien(p.url, p.reference), p.statut, `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`]);
    }
    tableau.replaceChildren();
    tableau.append(
      element(
        "p",
        { class: "fr-text--sm", id: "carte-total" },
        donnees.total > 1
          ? `${donnees.total} dossiers dans la zone affichée`
          : `${donnees.total} dossier dans la zone affichée`,
      ),
    );
    if (lignesPoints.length) {
      tableau.append(table("Dossiers de la zone affichée", ["Référence", "État", "Position"], lignesPoints));
    } else if (lignes.length) {
      tableau.append(
        table("Groupes de dossiers de la zone affichée", ["Secteur (centre)", "Dossiers", "Détail"], lignes),
      );
    } else {
      tableau.append(element("p", {}, "Aucun dossier situé dans cette zone."));
    }
  }

  function charger() {
    if (enCours) enCours.abort();
    enCours = new AbortController();
    const parametres = new URLSearchParams(reglages.filtres);
    parametres.set("bbox", carte.getBounds().toBBoxString());
    parametres.set("zoom", String(carte.getZoom()));
    fetch(`${reglages.donnees}?${parametres}`, {
      signal: enCours.signal,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then((reponse) => (reponse.ok ? reponse.json() : null))
      .then((donnees) => {
        if (donnees) {
          afficher(donnees);
          conteneur.dataset.charge = "oui"; // tests wait for it
        }
      })
      .catch(() => {}); // aborted by a newer move, or offline: the table stays as it was
  }

  carte.on("moveend", charger);
  charger();
})();
