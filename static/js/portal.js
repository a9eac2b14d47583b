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

  // A form sent back with mistakes. Every page, whatever renders its fields (crispy, Django, by hand):
  // 1. a field marked invalid only by its class gets aria-invalid and is described by the message beside it;
  // 2. the form gets one error summary (the page's own [data-error-summary], else one made from the
  //    #error-summary-template of base.html) listing each mistake as a link to its field;
  // 3. the summary takes the focus, so that it is read out first and Tab goes on from it into its links.
  var ERROR_MARKS = "[aria-invalid=true], .is-invalid, .invalid-feedback, .errorlist, .alert-danger";

  function ensureId(el, prefix) {
    if (!el.id) { ensureId.count = (ensureId.count || 0) + 1; el.id = prefix + "-" + ensureId.count; }
    return el.id;
  }
  function describeInvalidFields(form) {
    form.querySelectorAll("input.is-invalid, select.is-invalid, textarea.is-invalid").forEach(function (field) {
      field.setAttribute("aria-invalid", "true");
      if (field.getAttribute("aria-describedby")) { return; }
      var box = field.closest(".mb-3, .col, [class*=col-], td, fieldset") || field.parentElement;
      var message = box.querySelector(".invalid-feedback, .text-danger");
      if (message) { field.setAttribute("aria-describedby", ensureId(message, "field-error")); }
    });
  }
  // A field in a table row (a formset) is named with its column and its row: "Year, row 2".
  function rowLabel(field, label) {
    var row = field.closest("tbody > tr");
    var template = document.getElementById("error-summary-template");
    if (!row || !template) { return label; }
    var rows = [].filter.call(row.parentElement.children, function (tr) { return !tr.hidden && !tr.classList.contains("d-none"); });
    var format = template.content.firstElementChild.getAttribute("data-row-format") || "{label}, row {row}";
    return format.replace("{label}", label).replace("{row}", String(rows.indexOf(row) + 1));
  }
  function labelOf(field) {
    return rowLabel(field, fieldLabel(field));
  }
  function fieldLabel(field) {
    var label = field.id && document.querySelector("label[for='" + field.id + "']");
    var group = field.closest("fieldset");
    if ((field.type === "radio" || field.type === "checkbox") && group && group.querySelector("legend")) {
      label = group.querySelector("legend");
    }
    if (label) {
      var copy = label.cloneNode(true);
      copy.querySelectorAll(".asteriskField, .visually-hidden-focusable").forEach(function (el) { el.remove(); });
      return copy.textContent.replace(/\s+/g, " ").trim();
    }
    return field.getAttribute("aria-label") || field.getAttribute("placeholder") || field.name;
  }
  function messageOf(field) {
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/);
    var group = field.closest("fieldset[aria-describedby]");
    if (group) { ids = ids.concat(group.getAttribute("aria-describedby").split(/\s+/)); }
    return ids.filter(function (id, index) { return id && ids.indexOf(id) === index; })
      .map(function (id) { return document.getElementById(id); })
      .filter(function (el) {
        return el && (/_error$/.test(el.id) || el.matches(".invalid-feedback, .text-danger, .errorlist"));
      })
      .map(function (el) { return el.textContent.replace(/\s+/g, " ").trim(); })
      .join(" ");
  }
  function summarise(form) {
    var seen = {};
    var fields = [].filter.call(form.querySelectorAll("[aria-invalid=true]"), function (field) {
      var key = field.type === "radio" || field.type === "checkbox" ? "name:" + field.name : field.id;
      if (!field.id || seen[key]) { return false; }
      seen[key] = true;
      return true;
    });
    var summary = document.querySelector("[data-error-summary]");
    var template = document.getElementById("error-summary-template");
    if (!summary && fields.length === 0) {
      // Only mistakes that belong to no field (non-field errors): their own alert is the summary.
      summary = form.querySelector(".alert-danger, .errorlist.nonfield");
    } else if (!summary && template) {
      summary = template.content.firstElementChild.cloneNode(true);
      form.insertBefore(summary, form.firstElementChild);
    }
    if (!summary) { return null; }
    summary.setAttribute("tabindex", "-1");
    ensureId(summary, "error-summary");
    if (fields.length && !summary.querySelector("ul.error-summary-list")) {
      var between = summary.getAttribute("data-between") ||
        (template && template.content.firstElementChild.getAttribute("data-between")) || ": ";
      var list = document.createElement("ul");
      list.className = "error-summary-list mb-0 mt-2";
      fields.forEach(function (field) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        var message = messageOf(field);
        link.href = "#" + field.id;
        link.className = "alert-link";
        link.textContent = labelOf(field) + (message ? between + message : "");
        // Focus the field without putting a fragment in the address (see the skip link above).
        link.addEventListener("click", function (event) {
          event.preventDefault();
          field.focus();
          field.scrollIntoView({block: "center"});
        });
        item.appendChild(link);
        list.appendChild(item);
      });
      summary.appendChild(list);
    }
    return summary;
  }
  var formWithErrors = [].find.call(document.querySelectorAll("main form"), function (form) {
    return form.querySelector(ERROR_MARKS);
  });
  document.querySelectorAll("main form").forEach(describeInvalidFields);
  if (formWithErrors) {
    var summary = summarise(formWithErrors);
    if (summary) { summary.focus(); }
  } else {
    var pageSummary = document.querySelector("[data-error-summary]");
    if (pageSummary) { pageSummary.setAttribute("tabindex", "-1"); pageSummary.focus(); }
  }

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
