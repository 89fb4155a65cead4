// A table marked data-sortable sorts by a column when its header's button is pressed (a button: the
// keyboard reaches it and Enter or Space presses it). Without the script the table stays as the server
// ordered it, and its aria-sort says by which column. A column whose header is marked data-numeric sorts
// by its cells' data-value, most first; another by its text (the collation of "ja"); pressing again
// reverses.
(() => {
  const collator = new Intl.Collator("ja", { numeric: true });
  for (const table of document.querySelectorAll("table[data-sortable]")) {
    const headers = [...table.tHead.rows[0].cells];
    const body = table.tBodies[0];
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    table.after(status);
    const sort = (column) => {
      const header = headers[column];
      const numeric = header.hasAttribute("data-numeric");
      const was = header.getAttribute("aria-sort");
      const first = numeric ? "descending" : "ascending";
      const order = was === first ? (first === "ascending" ? "descending" : "ascending") : first;
      const sign = order === "ascending" ? 1 : -1;
      const key = (row) => {
        const cell = row.cells[column];
        return numeric ? Number(cell.dataset.value) : cell.textContent.trim();
      };
      const rows = [...body.rows].map((row, position) => ({ row, position, key: key(row) }));
      rows.sort((a, b) => {
        const by = numeric ? a.key - b.key : collator.compare(a.key, b.key);
        return sign * by || a.position - b.position;
      });
      body.append(...rows.map((entry) => entry.row));
      for (const other of headers) other.removeAttribute("aria-sort");
      header.setAttribute("aria-sort", order);
      const name = header.textContent.trim();
      status.textContent = numeric
        ? `「${name}」の${order === "descending" ? "多い" : "少ない"}順に並べ替えました`
        : `「${name}」の${order === "ascending" ? "昇順" : "降順"}に並べ替えました`;
    };
    headers.forEach((header, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.append(...header.childNodes);
      header.append(button);
      button.addEventListener("click", () => sort(column));
    });
    const hint = document.createElement("span");
    hint.className = "sort-hint";
    hint.textContent = "（列の見出しを押すと並べ替えます）";
    table.caption.append(hint);
  }
})();
