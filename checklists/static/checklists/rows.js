// Dynamic rows of a Django formset: add, remove and move rows in the browser.
//
// Markup (checklists/includes/rows.html):
//   <div data-rows="PREFIX"> management form, <div data-rows-list> rows </div>,
//   <template data-rows-template> one row with __prefix__ </template>, <button data-rows-add>
// Each row is [data-row] with buttons [data-row-remove], [data-row-up], [data-row-down].
// After every change the rows are renumbered PREFIX-0-…, PREFIX-1-… in page order, so the
// server reads them in the order the user sees; TOTAL_FORMS follows the number of rows.
(function () {
  "use strict";

  function renumber(container) {
    var prefix = container.getAttribute("data-rows");
    var pattern = new RegExp(prefix + "-(\\d+|__prefix__)-", "g");
    var rows = container.querySelectorAll("[data-rows-list] > [data-row]");
    rows.forEach(function (row, index) {
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) {
            el.setAttribute(attr, value.replace(pattern, prefix + "-" + index + "-"));
          }
        });
      });
      var number = row.querySelector("[data-row-number]");
      if (number) {
        number.textContent = String(index + 1);
      }
      var up = row.querySelector("[data-row-up]");
      var down = row.querySelector("[data-row-down]");
      if (up) { up.disabled = index === 0; }
      if (down) { down.disabled = index === rows.length - 1; }
    });
    var total = container.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    if (total) {
      total.value = String(rows.length);
    }
    var empty = container.querySelector("[data-rows-empty]");
    if (empty) {
      empty.hidden = rows.length > 0;
    }
  }

  function addRow(container) {
    var template = container.querySelector("template[data-rows-template]");
    var list = container.querySelector("[data-rows-list]");
    var fragment = template.content.cloneNode(true);
    list.appendChild(fragment);
    renumber(container);
    var rows = list.querySelectorAll(":scope > [data-row]");
    var added = rows[rows.length - 1];
    var first = added && added.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-rows-add], [data-row-remove], [data-row-up], [data-row-down]");
    if (!button) {
      return;
    }
    var container = button.closest("[data-rows]");
    if (!container) {
      return;
    }
    event.preventDefault();
    var row = button.closest("[data-row]");
    if (button.hasAttribute("data-rows-add")) {
      addRow(container);
      return;
    }
    if (button.hasAttribute("data-row-remove")) {
      row.remove();
    } else if (button.hasAttribute("data-row-up") && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
    } else if (button.hasAttribute("data-row-down") && row.nextElementSibling) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
    }
    renumber(container);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-rows]").forEach(renumber);
  });
})();
