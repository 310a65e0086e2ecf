// Guichet — the carte field (F13): a Leaflet map with Leaflet.draw beside the GeoJSON
// textarea (dossiers/champs/natifs/carte.py). The textarea stays the accessible input and
// the server validates it; the map writes what is drawn into it and redraws what is typed.
// A classic script, after leaflet/leaflet.js and leaflet/draw/leaflet.draw.js (form media).
(function () {
  "use strict";

  if (typeof window.L === "undefined") return; // Leaflet missing: the textarea suffices
  const L = window.L;

  if (L.drawLocal) {
    const d = L.drawLocal.draw.toolbar;
    d.actions = { title: "Annuler le tracé", text: "Annuler" };
    d.finish = { title: "Terminer le tracé", text: "Terminer" };
    d.undo = { title: "Supprimer le dernier point", text: "Supprimer le dernier point" };
    d.buttons.polyline = "Tracer une ligne";
    d.buttons.polygon = "Tracer un polygone";
    d.buttons.marker = "Placer un point";
    const e = L.drawLocal.edit.toolbar;
    e.actions.save = { title: "Enregistrer les modifications", text: "Enregistrer" };
    e.actions.cancel = { title: "Annuler les modifications", text: "Annuler" };
    e.actions.clearAll = { title: "Tout effacer", text: "Tout effacer" };
    e.buttons.edit = "Modifier les tracés";
    e.buttons.editDisabled = "Aucun tracé à modifier";
    e.buttons.remove = "Supprimer des tracés";
    e.buttons.removeDisabled = "Aucun tracé à supprimer";
    const h = L.drawLocal.draw.handlers;
    h.marker.tooltip.start = "Cliquez sur la carte pour placer le point.";
    h.polyline.tooltip = {
      start: "Cliquez pour commencer la ligne.",
      cont: "Cliquez pour continuer la ligne.",
      end: "Cliquez sur le dernier point pour terminer.",
    };
    h.polygon.tooltip = {
      start: "Cliquez pour commencer le polygone.",
      cont: "Cliquez pour continuer le polygone.",
      end: "Cliquez sur le premier point pour fermer le polygone.",
    };
  }

  function brancherCarte(conteneur) {
    const zone = document.getElementById(conteneur.dataset.carte);
    if (!zone) return;
    let reglages;
    try {
      reglages = JSON.parse(conteneur.dataset.reglages);
    } catch {
      return;
    }
    const annonce = document.getElementById(`${conteneur.dataset.carte}-carte-annonce`);
    const annoncer = (texte) => {
      if (annonce) annonce.textContent = texte;
    };
    conteneur.hidden = false;
    const carte = L.map(conteneur, { center: reglages.centre, zoom: reglages.zoom });
    if (reglages.tuiles) {
      L.tileLayer(reglages.tuiles, { attribution: reglages.attribution, maxZoom: 19 }).addTo(carte);
    }
    const traces = new L.FeatureGroup().addTo(carte);
    const permis = new Set(reglages.geometries);
    carte.addControl(
      new L.Control.Draw({
        draw: {
          marker: permis.has("Point") ? {} : false,
          polyline: permis.has("LineString") ? {} : false,
          polygon: permis.has("Polygon") ? { allowIntersection: false } : false,
          rectangle: false,
          circle: false,
          circlemarker: false,
        },
        edit: { featureGroup: traces },
      }),
    );

    function lireZone() {
      traces.clearLayers();
      const texte = zone.value.trim();
      if (!texte) return;
      try {
        L.geoJSON(JSON.parse(texte)).eachLayer((couche) => traces.addLayer(couche));
        if (traces.getLayers().length) carte.fitBounds(traces.getBounds(), { maxZoom: 17 });
      } catch {
        // Not GeoJSON yet: the server will say what is wrong, next to the field.
      }
    }

    function ecrireZone() {
      const collection = traces.toGeoJSON();
      zone.value = collection.features.length ? JSON.stringify(collection) : "";
      zone.dispatchEvent(new Event("input", { bubbles: true }));
    }

    carte.on(L.Draw.Event.CREATED, (evenement) => {
      if (traces.getLayers().length >= reglages.max) {
        annoncer(`Vous avez déjà tracé ${reglages.max} élément(s), le maximum pour ce champ.`);
        return;
      }
      traces.addLayer(evenement.layer);
      ecrireZone();
      annoncer("Tracé ajouté ; le champ texte est mis à jour.");
    });
    carte.on(L.Draw.Event.EDITED, ecrireZone);
    carte.on(L.Draw.Event.DELETED, () => {
      ecrireZone();
      annoncer("Tracé supprimé ; le champ texte est mis à jour.");
    });
    zone.addEventListener("change", lireZone);
    lireZone();
  }

  for (const conteneur of document.querySelectorAll("[data-carte]")) brancherCarte(conteneur);
})();
