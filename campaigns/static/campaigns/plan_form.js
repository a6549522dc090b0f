// The campaign planning form: item search, pre-filling from a joint list, and the signal the
// live preview listens to ("plan-changed" on the form, debounced by htmx).
(function () {
  "use strict";

  function planChanged(form) {
    form.dispatchEvent(new CustomEvent("plan-changed", { bubbles: true }));
  }

  function updateCount(form) {
    var count = form.querySelectorAll("input[name='items']:checked").length;
    var badge = document.querySelector("[data-items-count]");
    if (badge) { badge.textContent = String(count); }
  }

  function filterItems(input) {
    var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    document.querySelectorAll("[data-item]").forEach(function (row) {
      var text = row.getAttribute("data-search").toLowerCase();
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      row.hidden = !match;
    });
    document.querySelectorAll("[data-item-group]").forEach(function (group) {
      group.hidden = !group.querySelector("[data-item]:not([hidden])");
    });
  }

  function fillFromJointList(form, select) {
    var data = JSON.parse(document.getElementById("joint-lists-data").textContent);
    var chosen = data[select.value];
    if (!chosen) { return; }
    var joint = form.querySelector("input[name='kind'][value='joint']");
    if (joint) { joint.checked = true; }
    var lead = form.querySelector("select[name='lead_department']");
    if (lead) { lead.value = String(chosen.lead); }
    form.querySelectorAll("input[name='participating_departments']").forEach(function (box) {
      box.checked = chosen.participants.indexOf(parseInt(box.value, 10)) !== -1;
    });
    var missing = 0;
    form.querySelectorAll("input[name='items']").forEach(function (box) { box.checked = false; });
    chosen.items.forEach(function (id) {
      var box = form.querySelector("input[name='items'][value='" + id + "']");
      if (box) { box.checked = true; } else { missing += 1; }
    });
    var note = document.querySelector("[data-joint-note]");
    if (note) {
      note.hidden = false;
      note.textContent = "已按联合清单带入牵头部门、参与部门和 " + (chosen.items.length - missing) +
        " 项检查事项" + (missing ? "（另有 " + missing + " 项目前不在有效清单中，未带入）" : "") + "，可再调整。";
    }
    updateCount(form);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("campaign-form");
    if (!form) { return; }
    var timer = null;
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { planChanged(form); }, 400);
    }
    form.addEventListener("change", function (event) {
      if (event.target.matches("[data-item-search]")) { return; }
      if (event.target.name === "joint_list") { fillFromJointList(form, event.target); }
      if (event.target.name === "items") { updateCount(form); }
      later();
    });
    form.addEventListener("input", function (event) {
      if (event.target.matches("[data-item-search]")) {
        filterItems(event.target);
        return;
      }
      if (event.target.matches("input[type='number'], input[type='date']")) { later(); }
    });
    // Rows added, removed or moved (checklists/rows.js renumbers them first).
    form.addEventListener("click", function (event) {
      if (event.target.closest("[data-rows-add], [data-row-remove], [data-row-up], [data-row-down]")) {
        window.setTimeout(later, 0);
      }
    });
    var search = form.querySelector("[data-item-search]");
    if (search) {
      search.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }
      });
    }
    updateCount(form);
  });
})();
