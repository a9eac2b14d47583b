// Alliance application pages: add and remove formset rows, warn before leaving unsaved changes.
// No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  function totalFormsInput(container) {
    var prefix = container.getAttribute("data-formset");
    return container.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
  }

  function addRow(container) {
    var template = container.querySelector("template[data-formset-empty]");
    var body = container.querySelector("[data-formset-body]");
    var total = totalFormsInput(container);
    if (!template || !body || !total) { return; }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    body.appendChild(row);
    total.value = String(index + 1);
    bindRemove(row);
    var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
    if (first) { first.focus(); }
  }

  function bindRemove(scope) {
    scope.querySelectorAll("[data-formset-remove]").forEach(function (button) {
      button.addEventListener("click", function () {
        var row = button.closest("[data-formset-row]");
        if (!row) { return; }
        // Rows stay in the form (the formset counts them); a ticked DELETE box makes the server skip them.
        var del = row.querySelector('input[type=checkbox][name$="-DELETE"]');
        if (del) { del.checked = true; }
        row.hidden = true;
        // The button had the focus and is hidden with its row: hand the focus on to the table's "add" button,
        // or a keyboard user is sent back to the top of the page.
        var add = button.closest("[data-formset]").querySelector("[data-formset-add]");
        if (add) { add.focus(); }
        markDirty();
      });
    });
  }

  document.querySelectorAll("[data-formset]").forEach(function (container) {
    var add = container.querySelector("[data-formset-add]");
    if (add) {
      add.addEventListener("click", function () { addRow(container); markDirty(); });
    }
    bindRemove(container);
  });

  // Warn before leaving a step with changes that were not saved.
  var dirty = false;
  function markDirty() { dirty = true; }
  document.querySelectorAll("form.js-track-changes").forEach(function (form) {
    form.addEventListener("input", markDirty);
    form.addEventListener("change", markDirty);
    form.addEventListener("submit", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
