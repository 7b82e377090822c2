// gosmock inspector. The page works without it; this file asks before a
// destructive form is sent, polls /_mock/ui/timeline for the entries after
// the newest one shown and prepends them, and keeps the world clock display
// current.
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      if (!window.confirm(f.dataset.confirm)) { ev.preventDefault(); }
    });
  });
  var table = document.getElementById("timeline");
  if (!table) { return; }
  var rows = document.getElementById("rows");
  var live = document.getElementById("live");
  var clock = document.getElementById("clock");
  var busy = false;

  function poll() {
    if (busy || (live && !live.checked)) { return; }
    busy = true;
    // A long poll: answered at once when an entry is recorded, else after
    // a few seconds, so the clock display stays current too.
    var q = "wait=3&after=" + encodeURIComponent(table.dataset.last || "0");
    if (table.dataset.party) { q += "&party=" + encodeURIComponent(table.dataset.party); }
    fetch("/_mock/ui/timeline?" + q, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        var last = r.headers.get("X-Last-Seq");
        var now = r.headers.get("X-Clock");
        return r.text().then(function (html) { return { html: html, last: last, now: now }; });
      })
      .then(function (res) {
        if (res.html.trim() !== "") {
          var tpl = document.createElement("template");
          tpl.innerHTML = res.html;
          var fresh = Array.prototype.slice.call(tpl.content.querySelectorAll("tr"));
          fresh.forEach(function (tr) { tr.classList.add("new"); });
          for (var i = fresh.length - 1; i >= 0; i--) { rows.insertBefore(fresh[i], rows.firstChild); }
          while (rows.children.length > 500) { rows.removeChild(rows.lastChild); }
          var empty = document.getElementById("empty");
          if (empty) { empty.remove(); }
        }
        if (res.last) { table.dataset.last = res.last; }
        if (res.now && clock) { clock.textContent = res.now.replace("T", " ").replace("Z", ""); }
      })
      .then(function () { busy = false; setTimeout(poll, 50); },
        function () { busy = false; setTimeout(poll, 2000); }); // the sandbox may be restarting
  }
  if (live) { live.addEventListener("change", function () { if (live.checked) { poll(); } }); }
  poll();
})();
