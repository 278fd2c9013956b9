"use strict";
(function () {
  // The value a cell sorts by: its data-value, as a number when it is one; empty sorts last.
  function key(cell) {
    var v = cell ? cell.getAttribute("data-value") : null;
    if (v === null || v === "") return null;
    var n = Number(v);
    return isNaN(n) ? v : n;
  }
  function sortTable(table, column, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[column]), y = key(b.cells[column]);
      if (x === null && y === null) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      var c = (typeof x === "number" && typeof y === "number")
        ? x - y : String(x).localeCompare(String(y));
      return descending ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (i === column) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
  }
  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        sortTable(table, i, th.getAttribute("aria-sort") !== "descending");
      });
    });
  });
  // A link such as index.html#sort=rating,desc opens the first table sorted.
  var wanted = /^#sort=([A-Za-z0-9_.-]+)(?:,(asc|desc))?$/.exec(location.hash);
  if (wanted && tables.length) {
    var heads = tables[0].tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) {
      if (heads[i].getAttribute("data-key") === wanted[1]) {
        sortTable(tables[0], i, wanted[2] !== "asc");
      }
    }
  }
})();
