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
})();
