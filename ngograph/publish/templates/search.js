// The site's search: filters the prebuilt index (search-index.js, window.NGOGRAPH_INDEX = [[label, path, kind], ...]).
(function () {
  var q = new URLSearchParams(window.location.search).get("q") || "";
  var box = document.getElementById("q");
  if (box) { box.value = q; }
  var status = document.getElementById("status"), list = document.getElementById("results");
  if (!q.trim()) { status.textContent = "Type a name to search."; return; }
  var words = q.toLowerCase().split(/\s+/).filter(Boolean), found = [];
  (window.NGOGRAPH_INDEX || []).forEach(function (entry) {
    var label = entry[0].toLowerCase();
    if (words.every(function (w) { return label.indexOf(w) >= 0; })) { found.push(entry); }
  });
  status.textContent = found.length + " result" + (found.length === 1 ? "" : "s") + " for “" + q + "”" +
    (found.length > 200 ? " (the first 200 shown)" : "");
  found.slice(0, 200).forEach(function (entry) {
    var li = document.createElement("li"), a = document.createElement("a");
    a.href = entry[1] + ".html"; a.textContent = entry[0];
    li.appendChild(a); li.appendChild(document.createTextNode(" (" + entry[2] + ")"));
    list.appendChild(li);
  });
})();
