// Small behaviours of the pages, kept out of the HTML so that the Content-Security-Policy needs no inline code.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".bar[data-percent]").forEach(function (bar) {
      var percent = parseFloat(String(bar.dataset.percent).replace(",", "."));
      if (!isNaN(percent)) {
        bar.style.width = Math.max(0, Math.min(100, percent)) + "%";
      }
    });
  });
})();
