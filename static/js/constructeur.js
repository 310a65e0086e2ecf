// Guichet — the CRM form builder: suggest a field's technical name from its label as the
// admin types it (as the server does when the name is left empty: Django's slugify with
// "_"), until the admin edits the name. The page works without this script.
(function () {
  "use strict";

  function nomTechnique(libelle) {
    let nom = libelle
      .normalize("NFKD")
      .replace(/[^\x00-\x7f]/g, "")
      .replace(/[^\w\s-]/g, "")
      .trim()
      .toLowerCase()
      .replace(/[-\s]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 55)
      .replace(/_+$/, "");
    if (!nom) return "";
    if (!/^[a-z]/.test(nom)) nom = "champ_" + nom;
    return nom;
  }

  document.addEventListener("input", function (evenement) {
    const champ = evenement.target;
    const form = champ.closest("form[data-constructeur-ajout]");
    if (!form) return;
    const nom = form.querySelector("[data-nom-depuis]");
    if (!nom) return;
    if (champ === nom) {
      nom.dataset.modifie = nom.value ? "1" : "";
      return;
    }
    if (champ.name && champ.name.endsWith("libelle") && !nom.dataset.modifie) {
      nom.value = nomTechnique(champ.value);
    }
  });

  // After an htmx swap (or a page shown again with errors), move the focus to what the
  // answer marks (the field's panel, the saved item's button, the grid's message), so a
  // keyboard or screen-reader user follows; the element is read when it gets the focus.
  function focaliser() {
    const cible = document.querySelector("[data-focus]");
    if (!cible) return;
    cible.removeAttribute("data-focus");
    if (!cible.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(cible.tagName)) {
      cible.setAttribute("tabindex", "-1");
    }
    cible.focus();
  }
  document.addEventListener("DOMContentLoaded", focaliser);
  document.addEventListener("htmx:afterSettle", focaliser);

  // A field panel left open while its version was published (or its field deleted): the
  // server answers 409 (404) with a message retargeted into the panel (HX-Retarget). htmx
  // swaps no error answer by default: let this one in, so the concepteur reads why.
  document.addEventListener("htmx:beforeSwap", function (evenement) {
    const xhr = evenement.detail.xhr;
    if ((xhr.status === 404 || xhr.status === 409) && xhr.getResponseHeader("HX-Retarget")) {
      evenement.detail.shouldSwap = true;
      evenement.detail.isError = false;
    }
  });

  // Escape closes the open field panel, as its "Annuler" button does.
  document.addEventListener("keydown", function (evenement) {
    if (evenement.key !== "Escape") return;
    const panneau = evenement.target.closest && evenement.target.closest("[data-panneau]");
    if (!panneau) return;
    const annuler = panneau.querySelector("[data-annuler]");
    if (annuler) annuler.click();
  });
})();
