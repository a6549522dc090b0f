// Small, dependency-free behaviours. htmx and Bootstrap are loaded before this file.
(function () {
  "use strict";
  // Ask before a destructive or irreversible POST: <form data-confirm="确定...？">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
