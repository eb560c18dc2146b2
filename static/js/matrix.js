// Stance matrices: sort claims (columns) and actors (rows) by the built order — most disputed claims first,
// actors in camps — or A–Z. Each header and row carries its place in both orders (data-order, data-az).
// Without this script the matrix stays in the built order and the sort buttons stay hidden.
(() => {
  for (const control of document.querySelectorAll("[data-matrix-sort]")) {
    const table = document.getElementById(control.dataset.matrixSort);
    if (!table) continue;
    const buttons = [...control.querySelectorAll("button[data-sort]")];
    const body = table.tBodies[0];

    const sort = (key) => {
      const head = table.tHead.rows[0];
      const columns = [...head.cells].slice(1);
      const order = columns.map((th, i) => [Number(th.dataset[key]), i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
      for (const row of [head, ...body.rows]) {
        const [first, ...cells] = row.cells;
        row.replaceChildren(first, ...order.map((i) => cells[i]));
      }
      body.replaceChildren(...[...body.rows].sort((a, b) => Number(a.dataset[key]) - Number(b.dataset[key])));
      for (const button of buttons) button.setAttribute("aria-pressed", String(button.dataset.sort === key));
    };

    for (const button of buttons) button.addEventListener("click", () => sort(button.dataset.sort));
    control.hidden = false;
  }
})();
