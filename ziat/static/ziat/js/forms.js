// Forms: a form is sent once (its buttons wait while it goes), an upload shows how far it has gone, and an IIN
// shows the date of birth and the sex it encodes as it is typed (the server derives and checks them anyway).
(function () {
  "use strict";

  // --- One submission at a time -------------------------------------------------------------------------------
  function busy(form, on) {
    if (on) {
      form.setAttribute("aria-busy", "true");
    } else {
      form.removeAttribute("aria-busy");
    }
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) {
      if (on) {
        b.setAttribute("aria-disabled", "true");
      } else {
        b.removeAttribute("aria-disabled");
      }
    });
  }

  function hasFiles(form) {
    return Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length > 0;
    });
  }

  function showResponse(xhr, form) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/html") === 0) {
      if (xhr.responseURL && xhr.responseURL.split("#")[0] !== form.action.split("#")[0]) {
        window.location.assign(xhr.responseURL);  // sent and redirected: show the next page by its address
        return;
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
      return;
    }
    var link = document.createElement("a");
    link.href = URL.createObjectURL(xhr.response instanceof Blob ? xhr.response : new Blob([xhr.response]));
    link.download = "";
    document.body.appendChild(link);
    link.click();
    busy(form, false);
  }

  function upload(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    var bar = form.querySelector("progress.upload-progress");
    if (!bar) {
      bar = document.createElement("progress");
      bar.className = "upload-progress";
      bar.max = 100;
      bar.setAttribute("aria-label", form.dataset.progressLabel || "%");
      form.appendChild(bar);
    }
    bar.value = 0;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.responseType = "text";
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        bar.value = Math.round((100 * event.loaded) / event.total);
      }
    });
    xhr.addEventListener("load", function () {
      bar.value = 100;
      showResponse(xhr, form);
    });
    xhr.addEventListener("error", function () {
      bar.remove();
      busy(form, false);
    });
    xhr.send(data);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") {
      return;
    }
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault();  // already being sent: a second click sends nothing
      return;
    }
    if (event.defaultPrevented) {
      return;
    }
    busy(form, true);
    if (form.enctype === "multipart/form-data" && hasFiles(form) && window.FormData && window.XMLHttpRequest) {
      event.preventDefault();
      upload(form, event.submitter);
      return;
    }
    // A form whose answer is a download leaves the page in place: after a while it may be sent again.
    window.setTimeout(function () {
      busy(form, false);
    }, 5000);
  });
  // Back to a page kept by the browser: its forms may be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[aria-busy=true]").forEach(function (form) {
      busy(form, false);
    });
  });

  // --- The IIN fills the date of birth and the sex --------------------------------------------------------------
  var W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  var W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
  var CENTURY = { 1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000 };

  function checkDigit(digits, weights) {
    var sum = 0;
    for (var i = 0; i < 11; i++) {
      sum += digits[i] * weights[i];
    }
    return sum % 11;
  }

  function parseIIN(value) {
    if (!/^[0-9]{12}$/.test(value)) {
      return null;
    }
    var d = value.split("").map(Number);
    var century = CENTURY[d[6]];
    if (!century) {
      return null;
    }
    var year = century + Number(value.slice(0, 2));
    var month = Number(value.slice(2, 4));
    var day = Number(value.slice(4, 6));
    var date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      return null;
    }
    var check = checkDigit(d, W1);
    if (check === 10) {
      check = checkDigit(d, W2);
    }
    if (check === 10 || check !== d[11]) {
      return null;
    }
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return { iso: year + "-" + pad(month) + "-" + pad(day), sex: d[6] % 2 ? "m" : "f" };
  }

  function fill(iinInput) {
    var form = iinInput.form;
    if (!form) {
      return;
    }
    var parsed = parseIIN(iinInput.value.trim());
    form.querySelectorAll("[data-iin-derived=birth_date]").forEach(function (input) {
      if (parsed && (!input.value || input.dataset.filled === "iin")) {
        input.value = parsed.iso;
        input.dataset.filled = "iin";
      }
    });
    form.querySelectorAll("[data-iin-derived=sex]").forEach(function (input) {
      if (parsed && input.type === "radio") {
        var chosen = form.querySelector("[data-iin-derived=sex]:checked");
        if (!chosen || chosen.dataset.filled === "iin") {
          input.checked = input.value === parsed.sex;
          input.dataset.filled = input.checked ? "iin" : "";
        }
      }
    });
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input[data-iin]")) {
      fill(event.target);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-iin]").forEach(fill);
  });
})();
