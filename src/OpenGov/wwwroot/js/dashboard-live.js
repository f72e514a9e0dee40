// Keeps an open dashboard page current: polls the dashboard's stamp (/dashboards/ORG/SLUG/stamp, a few bytes) and,
// when a source table has been reloaded, fetches the page again and swaps in the new cards and 最終更新, then says so
// in the page's status region. Without script the page is the same, only static.
(function () {
  "use strict";
  var root = document.querySelector(".og-dash[data-stamp-url]");
  if (!root || !window.fetch || !window.DOMParser) {
    return;
  }
  var url = root.getAttribute("data-stamp-url");
  var stamp = root.getAttribute("data-stamp");
  var seconds = Math.max(1, parseInt(root.getAttribute("data-poll-seconds") || "60", 10));
  var status = document.querySelector(".og-live");
  var busy = false;

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    [".og-cards", ".og-dash-meta"].forEach(function (selector) {
      var fresh = doc.querySelector(selector);
      var old = root.querySelector(selector);
      if (fresh && old) {
        old.replaceWith(document.importNode(fresh, true));
      }
    });
    if (status) {
      status.textContent = root.getAttribute("data-updated-text") + " " + new Date().toLocaleTimeString();
    }
  }

  function tick() {
    if (busy || document.hidden) {
      return;
    }
    busy = true;
    fetch(url, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body || !body.stamp || body.stamp === stamp) {
          return null;
        }
        return fetch(location.href, { cache: "no-store" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) {
            if (html) {
              stamp = body.stamp;
              root.setAttribute("data-stamp", stamp);
              swap(html);
            }
          });
      })
      .catch(function () { /* offline or server busy: try again at the next tick */ })
      .then(function () { busy = false; });
  }

  setInterval(tick, seconds * 1000);
  document.addEventListener("visibilitychange", tick);
})();
