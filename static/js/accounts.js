// Sign-up and profile pages: add R&D platform rows, show enterprise figures only for enterprises.
// No inline scripts (CSP): everything hooks on classes and ids.
(function () {
  "use strict";

  // Formsets: clone the <template> row, numbering it with the next index.
  document.querySelectorAll(".js-formset").forEach(function (formset) {
    var prefix = formset.getAttribute("data-prefix");
    var total = formset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = formset.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var rows = formset.querySelector(".js-formset-rows");
    var template = formset.querySelector(".js-formset-template");
    var addButton = formset.querySelector(".js-formset-add");
    var empty = formset.querySelector(".js-formset-empty");
    if (!total || !rows || !template || !addButton) { return; }

    function refresh() {
      var count = parseInt(total.value, 10);
      addButton.disabled = max && count >= parseInt(max.value, 10);
      if (empty) { empty.classList.toggle("d-none", count > 0); }
    }

    addButton.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      refresh();
      var first = row.querySelector("select, input:not([type=hidden])");
      if (first) { first.focus(); }
    });

    formset.addEventListener("change", function (event) {
      if (event.target.classList.contains("js-formset-delete")) {
        event.target.closest(".js-formset-row").classList.toggle("opacity-50", event.target.checked);
      }
    });
    formset.querySelectorAll(".js-formset-delete:checked").forEach(function (box) {
      box.closest(".js-formset-row").classList.add("opacity-50");
    });
    refresh();
  });

  // Enterprise figures: visible only while "Enterprise" is the chosen kind.
  var section = document.getElementById("enterprise-figures");
  var kinds = document.querySelectorAll(".js-kind input[type=radio]");
  if (section && kinds.length) {
    var update = function () {
      var chosen = document.querySelector(".js-kind input[type=radio]:checked");
      section.classList.toggle("d-none", !chosen || chosen.value !== "enterprise");
    };
    kinds.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }
})();
