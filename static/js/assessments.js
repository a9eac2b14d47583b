// Assessment pages: print, the live total on the expert scorecard, unsaved-changes guard on the
// self-assessment, and a hint when a declared figure differs from what the portal recorded.
(function () {
  "use strict";

  document.querySelectorAll(".js-print").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Expert scorecard: Σ score / maximum × weight, scaled so that full marks make 100 (as the server does).
  var scorecard = document.querySelector(".js-scorecard");
  var totalOut = document.querySelector(".js-score-total");
  if (scorecard && totalOut) {
    var inputs = scorecard.querySelectorAll(".js-score");
    var recompute = function () {
      var weights = 0, sum = 0, complete = true;
      inputs.forEach(function (input) {
        var weight = parseFloat(input.dataset.weight), max = parseFloat(input.dataset.max);
        var value = parseFloat(input.value);
        weights += weight;
        if (isNaN(value) || value < 0 || value > max) { complete = false; return; }
        sum += value / max * weight;
      });
      totalOut.textContent = weights && complete ? (sum * 100 / weights).toFixed(2) : "—";
    };
    inputs.forEach(function (input) { input.addEventListener("input", recompute); });
    recompute();
  }

  // Self-assessment: warn before leaving with unsaved changes; mark figures that differ from the portal's.
  var selfForm = document.querySelector(".js-self-assessment");
  if (selfForm) {
    var dirty = false;
    selfForm.addEventListener("input", function () { dirty = true; });
    selfForm.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
    document.querySelectorAll(".recorded-figure").forEach(function (hint) {
      var input = document.getElementById(hint.dataset.for);
      if (!input) { return; }
      var check = function () {
        var differs = input.value !== "" && parseFloat(input.value) !== parseFloat(hint.dataset.recorded);
        hint.classList.toggle("text-warning-emphasis", differs);
        hint.classList.toggle("fw-semibold", differs);
      };
      input.addEventListener("input", check);
      check();
    });
  }
})();
