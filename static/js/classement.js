// Guichet — choix classé (F13): "Monter" / "Descendre" buttons beside each rank's
// drop-down list (dossiers/champs/natifs/classement.py). Without this script each rank is
// chosen in its list; the server refuses duplicates and gaps either way.
// A classic script, loaded by the widget's form media.
(function () {
  "use strict";

  function rangs(nom) {
    return Array.from(document.querySelectorAll(`select[data-rang][data-champ="${CSS.escape(nom)}"]`));
  }

  function echanger(nom, i, j, annonce) {
    const selects = rangs(nom);
    const [a, b] = [selects[i], selects[j]];
    [a.value, b.value] = [b.value, a.value];
    a.dispatchEvent(new Event("change", { bubbles: true }));
    const libelle = (select) => (select.value ? select.selectedOptions[0].textContent : "aucun choix");
    if (annonce) {
      annonce.textContent = `${libelle(b)} : ${b.labels[0].textContent} ; ${libelle(a)} : ${a.labels[0].textContent}.`;
    }
  }

  for (const premier of document.querySelectorAll('select[data-rang="1"][data-champ]')) {
    if (premier.disabled) continue;
    const nom = premier.dataset.champ;
    const annonce = document.querySelector(`[data-classement-annonce="${CSS.escape(nom)}"]`);
    const selects = rangs(nom);
    selects.forEach((select, i) => {
      const boutons = document.createElement("div");
      boutons.className = "fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-mt-1v";
      for (const [texte, cible] of [
        ["Monter", i - 1],
        ["Descendre", i + 1],
      ]) {
        if (cible < 0 || cible >= selects.length) continue;
        const bouton = document.createElement("button");
        bouton.type = "button";
        bouton.className = "fr-btn fr-btn--tertiary fr-btn--sm";
        bouton.textContent = texte;
        bouton.setAttribute("aria-label", `${texte} le ${select.labels[0].textContent}`);
        bouton.addEventListener("click", () => echanger(nom, i, cible, annonce));
        boutons.appendChild(bouton);
      }
      select.closest(".fr-select-group").appendChild(boutons);
    });
  }
})();
