// Review pages: live weighted total on the scorecard, the print button. No inline scripts (CSP).
(function () {
  "use strict";

  var total = document.getElementById("live-total");
  var inputs = document.querySelectorAll("input.js-score");
  function recompute() {
    var sum = 0, weights = 0, filled = 0;
    inputs.forEach(function (input) {
      var weight = parseFloat(input.dataset.weight), max = parseFloat(input.dataset.max);
      weights += weight;
      if (input.value === "") { return; }
      var score = parseFloat(input.value);
      if (isNaN(score)) { return; }
      filled += 1;
      sum += Math.min(Math.max(score, 0), max) / max * weight;
    });
    if (!total) { return; }
    total.textContent = filled && weights ? (sum * 100 / weights).toFixed(2) + (filled < inputs.length ? " …" : "") : "–";
  }
  inputs.forEach(function (input) { input.addEventListener("input", recompute); });
  recompute();

  document.querySelectorAll(".js-print").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
