// A selection on an article page of the preview → a small panel that saves it as an annotation (never in a build).
// The server writes the front matter; the preview's rebuild then reloads the page with the new mark.
function previewPanel(settings) {
  "use strict";
  const t = settings.t;  // the panel_* strings of the site's language, without the prefix
  const say = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
  const body = document.querySelector(".article .body") || document.querySelector("article .body");
  if (!body) return;
  // Text a reader does not read as the article: numbers after passages, notes beside them, this panel.
  const SKIP = "sup.ann-ref, .notes, .passage-notes, [data-pagefind-ignore], script, style, #preview-panel";
  const BLOCKS = new Set("P LI H1 H2 H3 H4 H5 H6 BLOCKQUOTE PRE TD TH DT DD DIV TABLE TR UL OL HR BR".split(" "));
  const fold = (s) => s.normalize("NFC").replace(/[\u201c-\u201f\u00ab\u00bb]/g, '"').replace(/[\u2018-\u201b]/g, "'")
    .replace(/[\u2010-\u2015]/g, "-").replace(/\u2026/g, "...").replace(/\s+/g, " ");
  const plain = (s) => s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  // The article's text as the server matches quotes in it; where `range` starts and ends in it.
  function readText(range) {
    let raw = "", start = -1, end = -1;
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        if (range && range.intersectsNode(node)) {
          const a = node === range.startContainer ? range.startOffset : 0;
          const b = node === range.endContainer ? range.endOffset : node.data.length;
          if (start < 0) start = raw.length + a;
          end = raw.length + b;
        }
        raw += node.data;
      } else if (node.nodeType === Node.ELEMENT_NODE && !node.matches(SKIP)) {
        const block = BLOCKS.has(node.tagName);
        if (block) raw += " ";
        node.childNodes.forEach(walk);
        if (block) raw += " ";
      }
    };
    walk(body);
    return {raw, start, end};
  }

  // Which of the quote's places in the text is nearest to `at` (a place in raw text): 1, 2, …; and how many.
  function occurrenceOf(quote, raw, at) {
    const text = fold(raw), needle = fold(quote).trim(), hits = [];
    if (!needle) return {occurrence: null, count: 0};
    for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) hits.push(i);
    const estimate = fold(raw.slice(0, at)).length;
    let best = 0;
    hits.forEach((h, n) => { if (Math.abs(h - estimate) < Math.abs(hits[best] - estimate)) best = n; });
    return {occurrence: hits.length > 1 ? best + 1 : null, count: hits.length};
  }

  // -- the panel -----------------------------------------------------------------
  const style = document.createElement("style");
  style.textContent = `
#preview-panel{position:absolute;z-index:2147483646;width:min(26rem,calc(100vw - 2rem));background:#fff;color:#1a1a1a;
  border:2px solid #1f4e79;border-radius:.5rem;padding:.8rem 1rem;box-shadow:0 .4rem 1.6rem rgba(0,0,0,.25);
  font:15px/1.4 system-ui,sans-serif;text-align:left}
#preview-panel h2{font-size:1rem;margin:0 0 .5rem}
#preview-panel label,#preview-panel legend{display:block;font-weight:600;margin:.5rem 0 .2rem;font-size:.9rem}
#preview-panel input,#preview-panel textarea,#preview-panel select{width:100%;box-sizing:border-box;font:inherit;
  padding:.3rem .4rem;border:1px solid #777;border-radius:.25rem}
#preview-panel fieldset{border:0;padding:0;margin:0}
#preview-panel [role=listbox]{list-style:none;margin:0;padding:0;border:1px solid #777;border-top:0;
  max-height:12rem;overflow:auto}
#preview-panel [role=option]{padding:.25rem .4rem;cursor:pointer}
#preview-panel [role=option][aria-selected=true]{background:#1f4e79;color:#fff}
#preview-panel .pp-detail{opacity:.75;font-size:.85em;margin-left:.4em}
#preview-panel .pp-chips{list-style:none;margin:0 0 .3rem;padding:0;display:flex;flex-wrap:wrap;gap:.3rem}
#preview-panel .pp-chips li{background:#e8eef5;border-radius:1rem;padding:.1rem .2rem .1rem .6rem}
#preview-panel .pp-chips button{border:0;background:none;cursor:pointer;font:inherit;padding:0 .3rem}
#preview-panel .pp-chosen{margin:.2rem 0 0;font-size:.85rem;color:#1f4e79}
#preview-panel .pp-error{color:#8b0000;white-space:pre-wrap;font-size:.85rem}
#preview-panel .pp-buttons{display:flex;gap:.5rem;margin-top:.7rem}
#preview-panel .pp-buttons button{font:inherit;padding:.3rem .8rem;cursor:pointer}
.article .body mark[data-ann]{cursor:pointer}
#preview-annotate{position:fixed;left:1rem;bottom:1rem;z-index:2147483645;font:14px/1.4 system-ui,sans-serif;
  padding:.35rem .8rem;background:#1f4e79;color:#fff;border:0;border-radius:.3rem;cursor:pointer;opacity:.85}
#preview-annotate:focus,#preview-annotate:hover{opacity:1;outline:3px solid #f0b400}`;
  document.head.appendChild(style);

  const panel = document.createElement("form");
  panel.id = "preview-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "pp-title");
  panel.innerHTML = `
<h2 id="pp-title"></h2>
<label for="pp-quote" id="pp-quote-label"></label>
<textarea id="pp-quote" rows="2"></textarea>
<label for="pp-claim" id="pp-claim-label"></label>
<input id="pp-claim" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="pp-claim-list"
  autocomplete="off">
<ul id="pp-claim-list" role="listbox" hidden></ul>
<p class="pp-chosen" id="pp-claim-chosen" aria-live="polite"></p>
<fieldset><legend id="pp-asserts-legend"></legend>
<ul class="pp-chips" id="pp-asserts-chips" aria-labelledby="pp-asserts-legend"></ul>
<input id="pp-asserts" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="pp-asserts-list"
  autocomplete="off">
<ul id="pp-asserts-list" role="listbox" hidden></ul></fieldset>
<fieldset><legend id="pp-denies-legend"></legend>
<ul class="pp-chips" id="pp-denies-chips" aria-labelledby="pp-denies-legend"></ul>
<input id="pp-denies" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="pp-denies-list"
  autocomplete="off">
<ul id="pp-denies-list" role="listbox" hidden></ul></fieldset>
<label for="pp-kind" id="pp-kind-label"></label>
<select id="pp-kind"></select>
<p class="pp-error" id="pp-error" role="alert"></p>
<div class="pp-buttons"><button type="submit" id="pp-save"></button>
<button type="button" id="pp-remove" hidden></button>
<button type="button" id="pp-cancel"></button></div>`;
  const $ = (id) => panel.querySelector("#" + id);
  // The panel's words, in the site's language (the theme's strings), set as text: never read as HTML.
  for (const [id, key] of [["pp-quote-label", "passage"], ["pp-claim-label", "claim"], ["pp-asserts-legend", "asserted_by"],
                           ["pp-denies-legend", "denied_by"], ["pp-kind-label", "kind"], ["pp-save", "save"],
                           ["pp-remove", "remove"], ["pp-cancel", "cancel"]]) $(id).textContent = t[key];
  for (const [id, attribute, key] of [["pp-claim", "placeholder", "claim_search"], ["pp-claim-list", "aria-label", "claims"],
                                      ["pp-asserts", "placeholder", "actor_search"], ["pp-asserts", "aria-label", "add_asserts"],
                                      ["pp-asserts-list", "aria-label", "actors"], ["pp-denies", "placeholder", "actor_search"],
                                      ["pp-denies", "aria-label", "add_denies"], ["pp-denies-list", "aria-label", "actors"]]) {
    $(id).setAttribute(attribute, t[key]);
  }
  document.body.appendChild(panel);

  let catalog = null, state = null, returnFocus = null;
  const loadCatalog = async () => {
    const response = await fetch(`${settings.catalog}?article=${encodeURIComponent(settings.article)}`,
      {headers: {"X-Preview-Token": settings.token}, cache: "no-store"});
    catalog = await response.json();
    $("pp-kind").replaceChildren(...catalog.kinds.map((k) => new Option(k, k)));
    return catalog;
  };

  function combobox(input, list, source, pick) {
    let options = [], active = -1;
    const render = () => {
      list.replaceChildren(...options.map((o, i) => {
        const li = document.createElement("li");
        li.id = `${list.id}-${i}`;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", String(i === active));
        li.textContent = o.label;
        if (o.detail) {
          const detail = Object.assign(document.createElement("span"), {className: "pp-detail", textContent: o.detail});
          li.appendChild(detail);
        }
        li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(i); });
        return li;
      }));
      list.hidden = !options.length;
      input.setAttribute("aria-expanded", String(options.length > 0));
      if (active >= 0) input.setAttribute("aria-activedescendant", `${list.id}-${active}`);
      else input.removeAttribute("aria-activedescendant");
    };
    const choose = (i) => { const o = options[i]; options = []; render(); pick(o); };
    input.addEventListener("input", () => {
      options = catalog ? source(input.value) : [];
      active = options.length ? 0 : -1;
      render();
    });
    input.addEventListener("blur", () => { options = []; render(); });
    input.addEventListener("keydown", (e) => {
      if (!options.length) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        active = (active + (e.key === "ArrowDown" ? 1 : options.length - 1)) % options.length;
        render();
      } else if (e.key === "Enter") choose(active);
      else if (e.key === "Escape") { options = []; render(); }
      else return;
      e.preventDefault();
      e.stopPropagation();
    });
  }

  const matches = (query, ...texts) => {
    const words = plain(query).split(/\s+/).filter(Boolean), hay = plain(texts.join(" "));
    return words.length > 0 && words.every((w) => hay.includes(w));
  };

  combobox($("pp-claim"), $("pp-claim-list"), (q) => {
    const found = catalog.claims.filter((c) => matches(q, c.title, c.slug)).slice(0, 8)
      .map((c) => ({label: c.title, detail: c.slug, claim: c.slug}));
    const title = q.trim().replace(/\s+/g, " ");
    if (title && !catalog.claims.some((c) => plain(c.title) === plain(title)))
      found.push({label: say(t.new_claim, {title}), claim: {title}});
    return found;
  }, (o) => setClaim(o.claim));

  function setClaim(claim) {
    state.claim = claim;
    const known = typeof claim === "string" && catalog.claims.find((c) => c.slug === claim);
    $("pp-claim").value = known ? known.title : claim.title || "";
    $("pp-claim-chosen").textContent = known ? say(t.chosen, known) : say(t.chosen_new, {title: claim.title});
  }

  const actorLabel = (a) => typeof a === "string" ? (catalog.actors.find((x) => x.slug === a) || {name: a}).name
    : say(t.new_actor_chip, a);
  const actorKey = (a) => typeof a === "string" ? a : `new:${plain(a.name)}`;
  for (const side of ["asserts", "denies"]) {
    combobox($(`pp-${side}`), $(`pp-${side}-list`), (q) => {
      const taken = new Set(state[side].map(actorKey));
      const found = catalog.actors.filter((a) => !taken.has(a.slug) && matches(q, a.name, a.slug, ...a.aliases))
        .slice(0, 8)
        .map((a) => ({label: a.name, detail: [a.kind, a.affiliation].filter(Boolean).join(", "), actor: a.slug}));
      const name = q.trim().replace(/\s+/g, " ");
      if (name && !catalog.actors.some((a) => plain(a.name) === plain(name)))
        found.push({label: say(t.new_actor, {name}), detail: $("pp-kind").value, actor: {name, kind: null}});
      return found;
    }, (o) => {
      const actor = typeof o.actor === "string" ? o.actor : {name: o.actor.name, kind: $("pp-kind").value};
      state[side].push(actor);
      $(`pp-${side}`).value = "";
      renderChips(side);
    });
  }

  function renderChips(side) {
    $(`pp-${side}-chips`).replaceChildren(...state[side].map((a, i) => {
      const li = document.createElement("li");
      li.textContent = actorLabel(a);
      const remove = Object.assign(document.createElement("button"), {type: "button", textContent: "×"});
      remove.setAttribute("aria-label", say(t.remove_actor, {name: actorLabel(a)}));
      remove.addEventListener("click", () => { state[side].splice(i, 1); renderChips(side); $(`pp-${side}`).focus(); });
      li.appendChild(remove);
      return li;
    }));
  }

  async function open(next, rect, focus = "pp-claim") {
    returnFocus = document.activeElement;
    state = next;
    if (!catalog) await loadCatalog();
    $("pp-title").textContent = state.id ? t.edit : t.annotate;
    $("pp-quote").value = state.quote;
    $("pp-remove").hidden = !state.id;
    $("pp-error").textContent = "";
    $("pp-claim-chosen").textContent = "";
    $("pp-claim").value = "";
    if (state.claim) setClaim(state.claim);
    renderChips("asserts");
    renderChips("denies");
    panel.hidden = false;
    const width = panel.offsetWidth, height = panel.offsetHeight;
    // Below the passage, or above it where there is room there and not below; never over it.
    const above = rect.bottom + height + 8 > window.innerHeight && rect.top - height - 8 >= 0;
    panel.style.top = `${window.scrollY + (above ? rect.top - height - 8 : rect.bottom + 8)}px`;
    const right = window.scrollX + document.documentElement.clientWidth - width - 8;
    panel.style.left = `${Math.max(8, Math.min(rect.left + window.scrollX, right))}px`;
    $(focus).focus({preventScroll: true});
    panel.scrollIntoView({block: "nearest"});
  }

  function close() {
    panel.hidden = true;
    state = null;
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  }

  async function send(remove) {
    const quote = $("pp-quote").value.replace(/\s+/g, " ").trim();
    let occurrence = state.occurrence;
    if (quote !== state.quote) occurrence = occurrenceOf(quote, readText(null).raw, state.at).occurrence;
    if (!remove && !state.claim) {
      $("pp-error").textContent = t.pick_claim;
      $("pp-claim").focus();
      return;
    }
    const request = remove ? {article: settings.article, id: state.id, remove: true}
      : {article: settings.article, id: state.id || "", quote, occurrence, claim: state.claim, asserts: state.asserts,
         denies: state.denies};
    $("pp-error").textContent = t.saving;
    $("pp-save").disabled = $("pp-remove").disabled = true;  // one save at a time: a second would add it twice
    let response, answer;
    try {
      response = await fetch(settings.annotate, {method: "POST", body: JSON.stringify(request), cache: "no-store",
        headers: {"Content-Type": "application/json", "X-Preview-Token": settings.token}});
      answer = await response.json();
    } catch (e) {
      $("pp-error").textContent = say(t.no_answer, {error: String(e)});
      return;
    } finally {
      const lost = !panel.contains(document.activeElement);  // a disabled button lets go of the focus
      $("pp-save").disabled = $("pp-remove").disabled = false;
      if (lost) $(remove ? "pp-remove" : "pp-save").focus();
    }
    if (!response.ok) {
      $("pp-error").textContent = answer.problems ? answer.problems.join("\n") : answer.error;
      return;
    }
    document.documentElement.dataset.previewSaved = answer.id || "removed";
    close();  // the preview sees the file change, rebuilds, and reloads this page with the mark
  }

  panel.addEventListener("submit", (e) => { e.preventDefault(); send(false); });
  $("pp-remove").addEventListener("click", () => send(true));
  $("pp-cancel").addEventListener("click", close);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !panel.hidden) {
      e.preventDefault();
      close();
    }
  });

  // A passage selected in the article (mouse, or keyboard once Shift is let go) opens the panel for it.
  function openForSelection() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return false;
    const range = selection.getRangeAt(0);
    if (!body.contains(range.commonAncestorContainer)) return false;
    const {raw, start, end} = readText(range);
    const quote = raw.slice(start, end).replace(/\s+/g, " ").trim();
    if (start < 0 || !quote) return false;
    const selected = raw.slice(start, end);
    const {occurrence} = occurrenceOf(quote, raw, start + selected.length - selected.trimStart().length);
    open({id: "", quote, occurrence, at: start, claim: null, asserts: [], denies: []}, range.getBoundingClientRect());
    return true;
  }
  document.addEventListener("mouseup", (e) => {
    if (panel.hidden || !panel.contains(e.target)) setTimeout(openForSelection, 0);
  });
  document.addEventListener("keyup", (e) => { if (e.key === "Shift" && panel.hidden) openForSelection(); });

  // Without a mouse (and without caret browsing, F7), a passage cannot be selected: this button opens the panel
  // for the selection if there is one, else for a passage typed or pasted into it.
  const button = Object.assign(document.createElement("button"), {type: "button", id: "preview-annotate",
                                                                  textContent: t.button});
  document.body.appendChild(button);
  button.addEventListener("click", () => {
    if (!openForSelection()) open({id: "", quote: "", occurrence: null, at: 0, claim: null, asserts: [], denies: []},
                                  button.getBoundingClientRect(), "pp-quote");
  });

  // A mark clicked (or Enter on it) opens its annotation, to edit or remove.
  async function openMark(mark) {
    if (!catalog) await loadCatalog();
    const ann = catalog.annotations.find((a) => a.id === mark.dataset.ann);
    if (!ann) return;
    const range = document.createRange();
    range.selectNodeContents(mark);
    const {start} = readText(range);
    open({id: ann.id, quote: ann.quote, occurrence: null, at: start, claim: ann.claim, asserts: [...ann.asserts],
          denies: [...ann.denies]}, mark.getBoundingClientRect());
  }
  for (const mark of body.querySelectorAll("mark[data-ann]")) {
    mark.tabIndex = 0;
    mark.title = t.mark;
  }
  body.addEventListener("click", (e) => {
    const mark = e.target.closest("mark[data-ann]");
    if (!mark || !window.getSelection().isCollapsed) return;
    e.preventDefault();
    openMark(mark);
  });
  body.addEventListener("keydown", (e) => {
    const mark = e.target.closest && e.target.closest("mark[data-ann]");
    if (mark && e.key === "Enter") { e.preventDefault(); openMark(mark); }
  });
}
