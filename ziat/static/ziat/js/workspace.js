// The staff menu starts folded on a narrow screen; it stays open on a wide one (and without scripts).
(function () {
  "use strict";
  function fold() {
    if (!window.matchMedia("(max-width: 48rem)").matches) {
      return;
    }
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (details) {
      details.open = false;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fold);
  } else {
    fold();
  }
})();
