/* The budget grid's live figures. While the user types, the grid is posted to the preview
   endpoint, which runs the real budget service in a transaction that is rolled back and answers
   with the figures (already formatted in the user's language), the caps panel and the errors.
   This script does no arithmetic: it only puts the server's answer on the page. */
(function () {
  "use strict";
  var form = document.getElementById("budget-grid");
  if (!form || !window.fetch) { return; }
  var status = document.getElementById("preview-status");
  var panel = document.getElementById("caps-panel");
  var timer = null;
  var latest = 0;

  function show(data) {
    Object.keys(data.figures).forEach(function (id) {
      var element = document.getElementById(id);
      if (element) { element.textContent = data.figures[id]; }
    });
    document.querySelectorAll("[data-figure]").forEach(function (element) {
      element.classList.toggle("over", data.over.indexOf(element.id) !== -1);
    });
    if (panel) { panel.innerHTML = data.panel; }
    var count = 0;
    form.querySelectorAll("[data-errors]").forEach(function (list) {
      var messages = data.errors[list.id] || [];
      count += messages.length;
      list.replaceChildren.apply(list, messages.map(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        return item;
      }));
    });
    form.querySelectorAll("input[data-amount]").forEach(function (input) {
      if (data.invalid.indexOf(input.name) !== -1) {
        input.setAttribute("aria-invalid", "true");
      } else {
        input.removeAttribute("aria-invalid");
      }
    });
    status.textContent = count ? form.dataset.msgProblems.replace("{count}", count) : form.dataset.msgUpdated;
  }

  function preview() {
    var ticket = ++latest;
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      if (ticket === latest) { show(data); }
    }).catch(function () {
      if (ticket === latest) { status.textContent = form.dataset.msgFailed; }
    });
  }

  form.addEventListener("input", function (event) {
    if (!event.target.matches("input[data-amount]")) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(preview, 350);
  });
}());
