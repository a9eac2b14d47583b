// Small behaviours shared by every page. No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  document.querySelectorAll(".js-autosubmit").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // The skip link moves the focus to the content without putting "#main" in the address: forms post to
  // their page's address, and a fragment carried into the answer would move the focus past its messages.
  document.querySelectorAll(".skip-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      target.focus();
      target.scrollIntoView();
    });
  });

  // A form sent back with mistakes: its summary takes the focus, so that it is read out first and Tab
  // goes on from it into the form, where each field names its own error (aria-describedby).
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }

  // A table wider than its box scrolls inside its own region: make that region reachable by keyboard (so
  // that the arrow keys scroll it) and name it after its table's caption or its section's heading.
  function regionLabel(region) {
    var table = region.querySelector("table");
    if (table && table.getAttribute("aria-label")) { return table.getAttribute("aria-label"); }
    var caption = table && table.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    var section = region.closest("section, .card");
    var heading = section && section.querySelector("h1, h2, h3, h4, h5, h6, .card-header");
    return heading ? heading.textContent.trim() : "";
  }
  function markScrollableRegions() {
    document.querySelectorAll(".table-responsive").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
        var label = region.getAttribute("aria-label") || regionLabel(region);
        if (label) { region.setAttribute("role", "region"); region.setAttribute("aria-label", label); }
      } else if (region.getAttribute("tabindex") === "0") {
        region.removeAttribute("tabindex");
      }
    });
  }
  markScrollableRegions();
  var resizeTimer;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(markScrollableRegions, 150);
  });
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
