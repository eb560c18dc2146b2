// Search forms (form[data-search]) → results from the site's Pagefind index as you type.
// Without this script each form still works: it opens the search page, which offers the lists.
// Pagefind's bundle is loaded only when a reader starts to search, from a path relative to the page
// (data-bundle), so search works under any base path and in the preview; a large site's shards
// (listed in shards.json) are merged into it.
(() => {
  let engine = null;

  const load = (bundle) => {
    if (!engine) {
      const base = new URL(bundle, document.baseURI);
      const shards = fetch(new URL("shards.json", base)).then((r) => (r.ok ? r.json() : [])).catch(() => []);
      engine = import(new URL("pagefind.js", base).href)
        .then(async (pagefind) => {
          await pagefind.options({ excerptLength: 24 });
          // a large site's index comes in shards (pagefind/1/, …), searched together as one
          await Promise.all((await shards).map((shard) => pagefind.mergeIndex(new URL(shard, base).pathname)));
          pagefind.init();
          return pagefind;
        })
        .catch((error) => {
          engine = null; // the next keystroke tries again (the preview may still be indexing)
          throw error;
        });
    }
    return engine;
  };

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
  // A counted message is a CLDR plural table ({"one": …, "other": …}) or one string for every number.
  const plural = (json, n) => {
    const forms = JSON.parse(json);
    if (typeof forms === "string") return forms;
    return forms[new Intl.PluralRules(document.documentElement.lang).select(n)] ?? forms.other;
  };

  // Pagefind's excerpt is escaped page text with <mark> around the words found: it is split on the marks and
  // unescaped by a textarea (which parses no tags), so no page text ever becomes HTML.
  const decoder = document.createElement("textarea");
  const unescape = (text) => {
    decoder.innerHTML = text;
    return decoder.value;
  };
  const excerpt = (html) => {
    const p = document.createElement("p");
    p.className = "search-excerpt";
    let marked = false;
    for (const part of html.split(/(<mark>|<\/mark>)/)) {
      if (part === "<mark>" || part === "</mark>") {
        marked = part === "<mark>";
        continue;
      }
      const text = document.createTextNode(unescape(part));
      if (marked) {
        const mark = document.createElement("mark");
        mark.append(text);
        p.append(mark);
      } else {
        p.append(text);
      }
    }
    return p;
  };

  const item = (data) => {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = data.url;
    if (data.meta.kind) {
      const kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = data.meta.kind;
      link.append(kind, " ");
    }
    const title = document.createElement("span");
    title.className = "search-title";
    title.textContent = data.meta.title || data.url;
    link.append(title);
    if (data.meta.verdict) { // a claim's own verdict, from its own page (data-pagefind-meta), never another's
      const badge = document.createElement("span");
      badge.className = data.meta.verdict_colour ? "verdict verdict-small" : "verdict verdict-small verdict-none";
      if (data.meta.verdict_colour) badge.style.setProperty("--verdict", data.meta.verdict_colour);
      badge.textContent = data.meta.verdict;
      link.append(" ", badge);
    }
    li.append(link, excerpt(data.excerpt || ""));
    return li;
  };

  const enhance = (form) => {
    const input = form.querySelector("input[type=search]");
    const status = form.querySelector(".search-status");
    const list = form.querySelector(".search-results");
    const panel = form.querySelector(".search-panel");
    const all = form.querySelector(".search-all");
    const more = form.querySelector(".search-more");
    const onPage = form.dataset.search === "page";
    const step = onPage ? 20 : 6;
    const t = form.dataset;
    let results = [];
    let shown = 0;
    let asked = 0;
    let retries = 0;

    const show = (open) => {
      if (panel) panel.hidden = !open;
    };

    const append = async (count) => {
      const batch = results.slice(shown, shown + count);
      const token = asked;
      const data = await Promise.all(batch.map((result) => result.data()));
      if (token !== asked) return;
      list.append(...data.map(item));
      shown += batch.length;
      if (more) more.hidden = shown >= results.length;
    };

    const run = async () => {
      const query = input.value.trim();
      const token = ++asked;
      if (!query) {
        results = [];
        list.replaceChildren();
        status.textContent = "";
        if (more) more.hidden = true;
        show(false);
        return;
      }
      status.textContent = t.tLoading;
      let pagefind;
      try {
        pagefind = await load(t.bundle);
      } catch {
        if (token !== asked) return;
        status.textContent = t.tError;
        if (retries++ < 5) setTimeout(() => token === asked && run(), 1000); // the preview may still be indexing
        return;
      }
      retries = 0;
      const found = await pagefind.debouncedSearch(query, {}, 200);
      if (found === null || token !== asked) return; // a newer query is on its way
      results = found.results;
      shown = 0;
      list.replaceChildren();
      await append(step);
      if (token !== asked) return;
      status.textContent = results.length ? fill(plural(t.tResults, results.length), { n: results.length.toLocaleString(document.documentElement.lang), q: query }) : fill(t.tNone, { q: query });
      if (all) {
        all.hidden = results.length <= step;
        all.querySelector("a").href = `${form.action}?q=${encodeURIComponent(query)}`;
      }
      show(true);
      if (onPage) history.replaceState(null, "", `?q=${encodeURIComponent(query)}`);
    };

    const links = () => [...list.querySelectorAll("a")];
    input.addEventListener("input", run);
    input.addEventListener("focus", () => load(t.bundle).catch(() => {}), { once: true });
    form.addEventListener("keydown", (event) => {
      const at = links().indexOf(document.activeElement);
      if (event.key === "ArrowUp" && at < 0) return;
      if (event.key === "Escape" && panel && !panel.hidden) {
        show(false);
        input.focus();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        const next = at + (event.key === "ArrowDown" ? 1 : -1);
        if (next >= 0 && next < links().length) links()[next].focus();
        else if (next < 0) input.focus();
        else return;
        event.preventDefault();
      }
    });
    if (panel) {
      document.addEventListener("click", (event) => {
        if (!form.contains(event.target)) show(false);
      });
      input.addEventListener("focus", () => show(list.children.length > 0));
    }
    let adding = false; // a second click before the first batch came would show it twice and skip the next
    if (more) more.addEventListener("click", async () => {
      if (adding) return;
      adding = true;
      try {
        await append(step);
      } finally {
        adding = false;
      }
    });
    if (onPage) {
      for (const note of document.querySelectorAll(".search-nojs")) note.hidden = true;
      const query = new URLSearchParams(location.search).get("q");
      if (query) {
        input.value = query;
        run();
      }
    }
  };

  document.querySelectorAll("form[data-search]").forEach(enhance);
})();
