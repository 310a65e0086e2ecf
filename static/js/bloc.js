// Guichet — repeatable blocks (F12) in the wizard, without a round trip to the server.
//
// Without JavaScript the block's buttons post "ajouter:<bloc>" / "supprimer:<bloc>:<i>"
// and the server shows the step again (portal/views_wizard.py). With it, this module
// adds an element by cloning the block's <template data-bloc-modele> (rendered by the
// server with "__INDEX__" / "__NUMERO__" placeholders), removes one in place, renumbers
// names, ids and legends so the post reads as the server expects
// (<bloc>-<index>-<sous_champ>, <bloc>-TOTAL), moves the focus to the new element's
// first control (or to the element that takes the removed one's place) and announces
// the change in the block's polite live region. formules.js (`brancher`) listens to the
// "change" event dispatched here, so calculs such as nombre(enfants) update at once.
// A plain ES module: no build step, no dependency.

const ATTRIBUTS = ["id", "name", "for", "aria-describedby", "aria-labelledby", "data-calcul-erreur"];

function elementsDe(bloc) {
  return Array.from(bloc.querySelector("[data-bloc-elements]").children).filter((e) =>
    e.hasAttribute("data-element"),
  );
}

function renommer(element, ancien, nouveau) {
  if (ancien === nouveau) return;
  for (const noeud of [element, ...element.querySelectorAll("*")]) {
    for (const attribut of ATTRIBUTS) {
      const valeur = noeud.getAttribute(attribut);
      if (valeur && valeur.includes(ancien)) noeud.setAttribute(attribut, valeur.replaceAll(ancien, nouveau));
    }
  }
  element.dataset.element = nouveau;
}

function renumeroter(bloc) {
  const nom = bloc.dataset.bloc;
  const libelle = bloc.dataset.blocElement;
  const elements = elementsDe(bloc);
  elements.forEach((element, index) => {
    renommer(element, element.dataset.element, `${nom}-${index}-`);
    const titre = `${libelle} ${index + 1}`;
    const legende = element.querySelector(":scope > legend");
    if (legende) legende.textContent = titre;
    const supprimer = element.querySelector("[data-bloc-supprimer]");
    if (supprimer) {
      supprimer.value = `supprimer:${nom}:${index}`;
      const precision = supprimer.querySelector(".fr-sr-only");
      if (precision) precision.textContent = ` (${titre})`;
    }
  });
  bloc.querySelector("[data-bloc-total]").value = String(elements.length);
  const ajouter = bloc.querySelector("[data-bloc-ajouter]");
  if (ajouter) ajouter.disabled = elements.length >= parseInt(bloc.dataset.blocMaximum, 10);
  return elements;
}

function annoncer(bloc, message) {
  const region = bloc.querySelector("[data-bloc-annonce]");
  if (!region) return;
  region.textContent = "";
  // A new text node after a tick: screen readers announce it even if it repeats.
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

function signaler(bloc) {
  bloc.dispatchEvent(new Event("change", { bubbles: true }));
}

export function ajouterElement(bloc) {
  const modele = bloc.querySelector("template[data-bloc-modele]");
  const total = elementsDe(bloc).length;
  if (!modele || total >= parseInt(bloc.dataset.blocMaximum, 10)) return null;
  const html = modele.innerHTML.replaceAll("__INDEX__", String(total)).replaceAll("__NUMERO__", String(total + 1));
  bloc.querySelector("[data-bloc-elements]").insertAdjacentHTML("beforeend", html);
  const elements = renumeroter(bloc);
  const nouveau = elements[elements.length - 1];
  const premier = nouveau.querySelector("input:not([type=hidden]):not([readonly]):not([disabled]), select, textarea");
  (premier || nouveau).focus();
  annoncer(bloc, `${bloc.dataset.blocElement} ${elements.length} ajouté.`);
  signaler(bloc);
  return nouveau;
}

export function supprimerElement(bloc, element) {
  const index = elementsDe(bloc).indexOf(element);
  if (index < 0) return;
  const titre = `${bloc.dataset.blocElement} ${index + 1}`;
  element.remove();
  const elements = renumeroter(bloc);
  const suivant = elements[Math.min(index, elements.length - 1)];
  const ajouter = bloc.querySelector("[data-bloc-ajouter]");
  (suivant || ajouter || bloc).focus();
  annoncer(bloc, `${titre} supprimé.`);
  signaler(bloc);
}

document.addEventListener("click", (evenement) => {
  const bouton = evenement.target.closest("[data-bloc-ajouter], [data-bloc-supprimer]");
  const bloc = bouton ? bouton.closest("[data-bloc]") : null;
  if (!bloc || bouton.disabled) return;
  evenement.preventDefault();
  if (bouton.hasAttribute("data-bloc-ajouter")) ajouterElement(bloc);
  else supprimerElement(bloc, bouton.closest("[data-element]"));
});
