// Reloads a page that waits for background work (an element with data-refresh-seconds), until it is done.
(function () {
  "use strict";
  var el = document.querySelector("[data-refresh-seconds]");
  if (!el) {
    return;
  }
  var seconds = parseFloat(el.getAttribute("data-refresh-seconds")) || 2;
  window.setTimeout(function () {
    window.location.reload();
  }, seconds * 1000);
})();
