// Projects: growing tables of a form (participants, milestones, budget years) and the live budget sum.
// No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  function totalFormsInput(prefix) {
    return document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  }

  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.getAttribute("data-formset-add");
      var template = document.getElementById(prefix + "-empty");
      var rows = document.getElementById(prefix + "-rows");
      var total = totalFormsInput(prefix);
      if (!template || !rows || !total) { return; }
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = rows.lastElementChild;
      bindRow(added);
      var first = added.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
      updateBudget();
    });
  });

  function bindRow(row) {
    row.querySelectorAll("[data-formset-remove]").forEach(function (button) {
      button.addEventListener("click", function () {
        var box = row.querySelector("input[type=checkbox][name$='-DELETE']");
        if (box) { box.checked = true; }
        row.classList.add("d-none");
        // The button had the focus and is hidden with its row: hand the focus on to the table's "add" button.
        var prefix = row.parentElement.id.replace(/-rows$/, "");
        var add = document.querySelector("[data-formset-add='" + prefix + "']");
        if (add) { add.focus(); }
        updateBudget();
      });
    });
    row.querySelectorAll(".js-budget-cell").forEach(function (input) {
      input.addEventListener("input", updateBudget);
    });
    var organisation = row.querySelector("select[name$='-organisation']");
    if (organisation) {
      var toggle = function () {
        row.querySelectorAll("input[name$='-name'], input[name$='-credit_code']").forEach(function (input) {
          input.disabled = organisation.value !== "";
        });
      };
      organisation.addEventListener("change", toggle);
      toggle();
    }
  }

  document.querySelectorAll("[data-formset-row]").forEach(bindRow);

  // Sums in ten-thousandths, so that 0.1 + 0.2 adds up exactly.
  function units(value) {
    var number = parseFloat(value);
    return isNaN(number) ? 0 : Math.round(number * 10000);
  }

  function format(unitsValue) {
    return (unitsValue / 10000).toLocaleString(document.documentElement.lang || undefined,
      { minimumFractionDigits: 4, maximumFractionDigits: 4 });
  }

  function updateBudget() {
    var output = document.getElementById("budget-sum");
    if (!output) { return; }
    var sum = 0;
    document.querySelectorAll("[data-formset-row]:not(.d-none) .js-budget-cell").forEach(function (input) {
      sum += units(input.value);
    });
    var totalInput = document.querySelector(".js-budget-total");
    var total = totalInput ? units(totalInput.value) : 0;
    output.textContent = format(sum);
    var matches = totalInput && totalInput.value !== "" && sum === total;
    output.classList.toggle("text-success", !!matches);
    output.classList.toggle("text-danger", !matches);
    var hint = document.getElementById("budget-sum-hint");
    if (hint) { hint.classList.toggle("d-none", !!matches); }
  }

  var totalInput = document.querySelector(".js-budget-total");
  if (totalInput) { totalInput.addEventListener("input", updateBudget); }
  updateBudget();
})();
