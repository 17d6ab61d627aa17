// Sends a form marked data-auto-submit as soon as the page is shown: a page whose GET only reads asks for its
// work (a document to prepare) by this POST. Without a script, the form's button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-auto-submit]");
  if (form) {
    form.submit();
  }
})();
