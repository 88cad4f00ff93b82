// The search page of the report's web site (sok.html): Pagefind's search box (pagefind-ui.js,
// loaded before this) over every page, started with the words in the address (sok.html?q=…),
// which the search field at the top of every page sends. On this page that field (with its
// visible label) searches as one types; the search box's own field is hidden (site.css).
//
// Without JavaScript the page says that search needs it; opened from the disk (file://),
// where browsers do not let a page read the index files, it says that search works once the
// pages are on a web server. Everything else on the site works without this script.
(function () {
  "use strict";
  var results = document.getElementById("sokeresultat");
  var noScript = document.getElementById("sok-melding");
  var noServer = document.getElementById("sok-fil");
  var field = document.getElementById("sok");
  if (!results || !noScript || !noServer) return;
  var words = new URLSearchParams(window.location.search).get("q") || "";
  if (field) field.value = words;

  function cannotSearch() {
    noScript.hidden = true;
    noServer.hidden = false;
  }

  if (typeof PagefindUI !== "function" || typeof fetch !== "function") {
    cannotSearch();
    return;
  }
  fetch(results.getAttribute("data-bundle") + "pagefind-entry.json").then(function (answer) {
    if (!answer.ok) throw new Error("HTTP " + answer.status);
    noScript.hidden = true;
    var search = new PagefindUI({ element: "#sokeresultat", showSubResults: true,
                                  showImages: false });
    if (words) search.triggerSearch(words);
    if (!field) return;
    field.addEventListener("input", function () { search.triggerSearch(field.value); });
    field.form.addEventListener("submit", function (event) {
      event.preventDefault();
      search.triggerSearch(field.value);
      window.history.replaceState(null, "", "?q=" + encodeURIComponent(field.value));
    });
  }).catch(cannotSearch);
}());
