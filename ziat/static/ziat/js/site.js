// Small behaviours of the pages, kept out of the HTML so that the Content-Security-Policy needs no inline code.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
  // Wide tables scroll inside their own box, never the page (the first column stays in view, see site.css);
  // a box that scrolls can be reached and scrolled with the keyboard.
  function wrapTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      var parent = table.parentElement;
      if (parent.matches(".table-scroll, .scroll-x, .grid-scroll") || table.closest("[data-no-scroll]")) { return; }
      var box = document.createElement("div");
      box.className = "table-scroll";
      parent.insertBefore(box, table);
      box.appendChild(table);
    });
    document.querySelectorAll(".table-scroll, .scroll-x, .grid-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var caption = box.querySelector("caption");
        var heading = caption || box.previousElementSibling;
        box.setAttribute("aria-label", (heading && heading.textContent.trim()) || document.title);
      }
    });
  }
  // A countdown to the next change of a code (the check-in QR): "0:27", then the page reloads.
  function countdowns() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var end = Date.now() + parseInt(el.dataset.countdown, 10) * 1000;
      (function tick() {
        var left = Math.max(0, Math.round((end - Date.now()) / 1000));
        el.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
        if (left > 0) { window.setTimeout(tick, 1000); }
      })();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    wrapTables();
    countdowns();
    document.querySelectorAll(".bar[data-percent]").forEach(function (bar) {
      var percent = parseFloat(String(bar.dataset.percent).replace(",", "."));
      if (!isNaN(percent)) {
        bar.style.width = Math.max(0, Math.min(100, percent)) + "%";
      }
    });
  });
})();
