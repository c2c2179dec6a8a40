// Narrows a table's rows as one types into a search field marked data-filters="<rows selector>":
// each row stays if its data-search text holds every word typed. The search form (a GET) works
// without this script; with it, the officer sees the matches on the page at once.
(function () {
  "use strict";
  const input = document.querySelector("input[data-filters]");
  const status = document.getElementById("jury-filter-status");
  if (!input) return;
  const rows = Array.from(document.querySelectorAll(input.dataset.filters));

  function filter() {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    rows.forEach(function (row) {
      const text = row.dataset.search || "";
      const match = words.every(function (word) { return text.includes(word); });
      row.hidden = !match;
      if (match) shown += 1;
    });
    if (status) status.textContent = words.length ? shown + " / " + rows.length : "";
  }

  input.addEventListener("input", filter);
})();
