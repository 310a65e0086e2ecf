// « Nouveau contact » (C5): once htmx has put the form in the modal, open the modal
// (DSFR's API) and put the focus on its first field. The model choice and the
// référentiel search then swap the form in place, inside the open modal.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (evenement) {
    if (evenement.detail.target.id !== "modal-contact-corps") return;
    const modal = document.getElementById("modal-contact");
    if (window.dsfr && !modal.open) window.dsfr(modal).modal.disclose();
    const champ = modal.querySelector("#contact-form select, #contact-form input:not([type=hidden])");
    if (champ) window.setTimeout(function () { champ.focus(); }, 100);
  });
})();
