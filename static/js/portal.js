// Small behaviours shared by every page. No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  document.querySelectorAll(".js-autosubmit").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
