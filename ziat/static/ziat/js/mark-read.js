// Marks the messages a page showed as new as read, once it is shown: the page's own form (data-mark-read) is
// sent in the background, so reading the page (a GET) changes nothing by itself. Without a script, the form's
// button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-mark-read]");
  if (!form || !window.fetch) {
    return;
  }
  window.fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    credentials: "same-origin",
    redirect: "manual",
  }).then(function () {
    form.hidden = true;
  });
})();
