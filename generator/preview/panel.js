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
  function readText(range, root = body) {
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
    walk(root);
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
  // (its style is panel.css, in a <style> before this script)

  const panel = document.createElement("form");
  panel.id = "preview-panel";
  panel.hidden = true;
  panel.noValidate = true;  // the panel says what is missing, in the site's language
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "pp-title");
  panel.innerHTML = `
<h2 id="pp-title"></h2>
<p class="pp-note" id="pp-restored" role="status" hidden></p>
<label for="pp-quote" id="pp-quote-label"></label>
<textarea id="pp-quote" rows="2"></textarea>
<label for="pp-claim" id="pp-claim-label"></label>
<input id="pp-claim" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="pp-claim-list"
  autocomplete="off">
<ul id="pp-claim-list" role="listbox" hidden></ul>
<button type="button" class="pp-new" id="pp-claim-new" hidden></button>
<div class="pp-confirm" id="pp-claim-confirm" role="group" aria-labelledby="pp-claim-question" hidden>
<p id="pp-claim-question"></p><button type="button" id="pp-claim-create"></button>
<button type="button" id="pp-claim-back"></button></div>
<p class="pp-chosen" id="pp-claim-chosen" aria-live="polite"></p>
<fieldset id="pp-asserts-side"><legend id="pp-asserts-legend"></legend>
<ul class="pp-chips" id="pp-asserts-chips" aria-labelledby="pp-asserts-legend"></ul>
<input id="pp-asserts" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="pp-asserts-list"
  autocomplete="off">
<ul id="pp-asserts-list" role="listbox" hidden></ul>
<button type="button" class="pp-new" id="pp-asserts-new" hidden></button></fieldset>
<fieldset id="pp-denies-side"><legend id="pp-denies-legend"></legend>
<ul class="pp-chips" id="pp-denies-chips" aria-labelledby="pp-denies-legend"></ul>
<input id="pp-denies" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="pp-denies-list"
  autocomplete="off">
<ul id="pp-denies-list" role="listbox" hidden></ul>
<button type="button" class="pp-new" id="pp-denies-new" hidden></button></fieldset>
<div class="pp-confirm" id="pp-actor-form" role="group" aria-labelledby="pp-actor-title" hidden>
<p id="pp-actor-title"></p>
<label for="pp-actor-name" id="pp-actor-name-label"></label><input id="pp-actor-name" autocomplete="off">
<label for="pp-kind" id="pp-kind-label"></label><select id="pp-kind" required></select>
<p class="pp-note" id="pp-actor-note"></p>
<button type="button" id="pp-actor-create"></button> <button type="button" id="pp-actor-back"></button></div>
<p class="pp-error" id="pp-error" role="alert"></p>
<button type="button" class="pp-new" id="pp-closest" hidden></button>
<div class="pp-buttons"><button type="submit" id="pp-save"></button>
<button type="button" id="pp-remove" hidden></button>
<button type="button" id="pp-cancel"></button></div>
<p class="pp-note" id="pp-shortcut"></p>`;
  const $ = (id) => panel.querySelector("#" + id);
  // The panel's words, in the site's language (the theme's strings), set as text: never read as HTML.
  for (const [id, key] of [["pp-quote-label", "passage"], ["pp-claim-label", "claim"], ["pp-asserts-legend", "asserted_by"],
                           ["pp-denies-legend", "denied_by"], ["pp-kind-label", "kind"], ["pp-save", "save"],
                           ["pp-remove", "remove"], ["pp-cancel", "cancel"], ["pp-claim-create", "create_claim"],
                           ["pp-claim-back", "back"], ["pp-actor-back", "back"], ["pp-actor-create", "create_actor"],
                           ["pp-actor-name-label", "actor_name"], ["pp-actor-note", "new_actor_confirm"],
                           ["pp-shortcut", "shortcut"], ["pp-restored", "restored"]]) $(id).textContent = t[key];
  for (const [id, attribute, key] of [["pp-claim", "placeholder", "claim_search"], ["pp-claim-list", "aria-label", "claims"],
                                      ["pp-asserts", "placeholder", "actor_search"], ["pp-asserts", "aria-label", "add_asserts"],
                                      ["pp-asserts-list", "aria-label", "actors"], ["pp-denies", "placeholder", "actor_search"],
                                      ["pp-denies", "aria-label", "add_denies"], ["pp-denies-list", "aria-label", "actors"]]) {
    $(id).setAttribute(attribute, t[key]);
  }
  document.body.appendChild(panel);

  let catalog = null, state = null, returnFocus = null, saving = false, reloadWanted = false;
  const kindLabel = (key) => ((catalog && catalog.kinds.find((k) => k.key === key)) || {label: key}).label;
  const loadCatalog = async () => {
    const response = await fetch(`${settings.catalog}?article=${encodeURIComponent(settings.article)}`,
      {headers: {"X-Preview-Token": settings.token}, cache: "no-store"});
    catalog = await response.json();
    $("pp-kind").replaceChildren(new Option(t.pick_kind_option, ""), ...catalog.kinds.map((k) => new Option(k.label, k.key)));
    return catalog;
  };

  // -- the half-done annotation outlives a reload (a save of any file reloads the page) ----------------------------
  const KEPT = `preview-panel:${settings.article}`, FOCUS = `preview-panel-saved:${settings.article}`;
  const storage = (() => { try { return window.sessionStorage; } catch (e) { return null; } })();
  function keep() {
    if (!storage || !state) return;
    storage.setItem(KEPT, JSON.stringify({state: {...state, quote: $("pp-quote").value},
      typed: ["pp-claim", "pp-asserts", "pp-denies"].map((id) => $(id).value)}));
  }
  const forget = () => storage && storage.removeItem(KEPT);
  panel.addEventListener("input", keep);
  panel.addEventListener("change", keep);
  // The preview reloads the page after a rebuild; not while a save waits for its answer (it reloads after it).
  window.addEventListener("preview:reload", (e) => {
    keep();
    if (saving) { reloadWanted = true; e.preventDefault(); }
  });

  function combobox(input, list, source, pick, typed = () => {}) {
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
      typed(input.value);
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
  const typedText = (value) => value.trim().replace(/\s+/g, " ");
  // A new claim or actor is never a search result: a button of its own, then a confirmation.
  function offerNew(button, text, known, label) {
    button.hidden = !text || known;
    button.textContent = text ? label : "";
  }

  combobox($("pp-claim"), $("pp-claim-list"), (q) => catalog.claims.filter((c) => matches(q, c.title, c.slug)).slice(0, 8)
    .map((c) => ({label: c.title, detail: c.slug, claim: c.slug})), (o) => setClaim(o.claim), (value) => {
    const title = typedText(value);
    offerNew($("pp-claim-new"), title, catalog.claims.some((c) => plain(c.title) === plain(title)), say(t.new_claim, {title}));
    $("pp-claim-confirm").hidden = true;
  });
  $("pp-claim-new").addEventListener("click", () => {
    const title = typedText($("pp-claim").value);
    $("pp-claim-question").textContent = say(t.new_claim_confirm, {title});
    $("pp-claim-confirm").hidden = false;
    $("pp-claim-new").hidden = true;
    $("pp-claim-create").focus();
  });
  $("pp-claim-create").addEventListener("click", () => {
    setClaim({title: typedText($("pp-claim").value)});
    $("pp-claim-confirm").hidden = $("pp-claim-new").hidden = true;
    keep();
    $("pp-asserts").focus();
  });
  $("pp-claim-back").addEventListener("click", () => {
    $("pp-claim-confirm").hidden = true;
    $("pp-claim-new").hidden = false;
    $("pp-claim").focus();
  });

  function setClaim(claim) {
    state.claim = claim;
    const known = typeof claim === "string" && catalog.claims.find((c) => c.slug === claim);
    $("pp-claim").value = known ? known.title : claim.title || "";
    $("pp-claim-chosen").textContent = known ? say(t.chosen, known) : say(t.chosen_new, {title: claim.title});
    $("pp-claim-new").hidden = true;
  }

  const actorLabel = (a) => typeof a === "string" ? (catalog.actors.find((x) => x.slug === a) || {name: a}).name
    : say(t.new_actor_chip, {name: a.name, kind: kindLabel(a.kind)});
  const actorKey = (a) => typeof a === "string" ? a : `new:${plain(a.name)}`;
  let actorSide = null;
  for (const side of ["asserts", "denies"]) {
    combobox($(`pp-${side}`), $(`pp-${side}-list`), (q) => {
      const taken = new Set(state[side].map(actorKey));
      return catalog.actors.filter((a) => !taken.has(a.slug) && matches(q, a.name, a.slug, ...a.aliases)).slice(0, 8)
        .map((a) => ({label: a.name, detail: [a.kind, a.affiliation].filter(Boolean).join(", "), actor: a.slug}));
    }, (o) => {
      state[side].push(o.actor);
      $(`pp-${side}`).value = "";
      $(`pp-${side}-new`).hidden = true;
      renderChips(side);
      keep();
    }, (value) => {
      const name = typedText(value);
      offerNew($(`pp-${side}-new`), name, catalog.actors.some((a) => plain(a.name) === plain(name)), say(t.new_actor, {name}));
    });
    $(`pp-${side}-new`).addEventListener("click", () => openActorForm(side));
  }

  function openActorForm(side) {
    actorSide = side;
    const form = $("pp-actor-form");
    $(`pp-${side}-side`).appendChild(form);  // under the side it is for
    $("pp-actor-title").textContent = `${t.new_actor_title} · ${t[side === "asserts" ? "asserted_by" : "denied_by"]}`;
    $("pp-actor-name").value = typedText($(`pp-${side}`).value);
    $("pp-kind").value = "";
    form.hidden = false;
    $(`pp-${side}-new`).hidden = true;
    $("pp-kind").focus();
  }
  function closeActorForm() {
    $("pp-actor-form").hidden = true;
    if (actorSide) $(`pp-${actorSide}`).focus();
    actorSide = null;
  }
  $("pp-actor-create").addEventListener("click", () => {
    const name = typedText($("pp-actor-name").value), kind = $("pp-kind").value;
    if (!name || !kind) {
      showError([{text: name ? t.pick_kind : t.name_needed}]);
      $(name ? "pp-kind" : "pp-actor-name").focus();
      return;
    }
    showError([]);
    state[actorSide].push({name, kind});
    $(`pp-${actorSide}`).value = "";
    renderChips(actorSide);
    closeActorForm();
    keep();
  });
  $("pp-actor-back").addEventListener("click", closeActorForm);
  $("pp-actor-form").addEventListener("keydown", (e) => {  // Enter here adds the actor; it does not save the panel
    if (e.key === "Enter" && e.target.tagName !== "BUTTON") { e.preventDefault(); $("pp-actor-create").click(); }
  });

  function renderChips(side) {
    $(`pp-${side}-chips`).replaceChildren(...state[side].map((a, i) => {
      const li = document.createElement("li");
      li.textContent = actorLabel(a);
      const remove = Object.assign(document.createElement("button"), {type: "button", textContent: "×"});
      remove.setAttribute("aria-label", say(t.remove_actor, {name: actorLabel(a)}));
      remove.addEventListener("click", () => {
        state[side].splice(i, 1);
        renderChips(side);
        keep();
        $(`pp-${side}`).focus();
      });
      li.appendChild(remove);
      return li;
    }));
  }

  // Problems as the server words them in the site's language; a quote not found offers its closest passage.
  function showError(messages) {
    $("pp-error").textContent = messages.map((m) => m.text).join("\n");
    const closest = (messages.find((m) => m.closest) || {}).closest;
    $("pp-closest").hidden = !closest;
    $("pp-closest").textContent = closest ? `${t.use_closest}: “${closest}”` : "";
    $("pp-closest").dataset.quote = closest || "";
    if (messages.length) $("pp-save").scrollIntoView({block: "nearest"});  // the error, its remedy and Save in view
  }
  $("pp-closest").addEventListener("click", () => {
    $("pp-quote").value = $("pp-closest").dataset.quote;
    showError([]);
    keep();
    $("pp-save").focus();
  });

  async function open(next, rect, focus = "pp-claim", typed = null) {
    returnFocus = document.activeElement;
    state = next;
    if (!catalog) await loadCatalog();
    hideNotice();
    $("pp-title").textContent = state.id ? t.edit : t.annotate;
    $("pp-quote").value = state.quote;
    $("pp-remove").hidden = !state.id;
    showError([]);
    $("pp-restored").hidden = !typed;
    for (const id of ["pp-claim-confirm", "pp-actor-form", "pp-claim-new", "pp-asserts-new", "pp-denies-new"]) $(id).hidden = true;
    $("pp-claim-chosen").textContent = "";
    $("pp-claim").value = "";
    if (state.claim) setClaim(state.claim);
    renderChips("asserts");
    renderChips("denies");
    if (typed) ["pp-claim", "pp-asserts", "pp-denies"].forEach((id, i) => { if (typed[i]) $(id).value = typed[i]; });
    panel.hidden = false;
    const width = panel.offsetWidth, height = panel.offsetHeight;
    // Below the passage, or above it where there is room there and not below; never over it.
    const above = rect.bottom + height + 8 > window.innerHeight && rect.top - height - 8 >= 0;
    panel.style.top = `${window.scrollY + (above ? rect.top - height - 8 : rect.bottom + 8)}px`;
    const right = window.scrollX + document.documentElement.clientWidth - width - 4;
    panel.style.left = `${Math.max(4, Math.min(rect.left + window.scrollX, right))}px`;
    $(focus).focus({preventScroll: true});
    panel.scrollIntoView({block: "nearest"});
    keep();
  }

  function close() {
    panel.hidden = true;
    state = null;
    forget();
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  }

  async function send(remove) {
    const quote = $("pp-quote").value.replace(/\s+/g, " ").trim();
    let occurrence = state.occurrence;
    if (quote !== state.quote) occurrence = occurrenceOf(quote, readText(null).raw, state.at).occurrence;
    if (!remove && quote !== state.quote && !inOneBlock(quote)) {  // typed or pasted across paragraphs
      showError([{text: t.two_paragraphs}]);
      $("pp-quote").focus();
      return;
    }
    if (!remove && !state.claim) {
      showError([{text: t.pick_claim}]);
      $("pp-claim").focus();
      return;
    }
    const request = remove ? {article: settings.article, id: state.id, remove: true}
      : {article: settings.article, id: state.id || "", quote, occurrence, claim: state.claim, asserts: state.asserts,
         denies: state.denies};
    showError([{text: t.saving}]);
    $("pp-save").disabled = $("pp-remove").disabled = true;  // one save at a time: a second would add it twice
    saving = true;
    let response, answer;
    try {
      response = await fetch(settings.annotate, {method: "POST", body: JSON.stringify(request), cache: "no-store",
        headers: {"Content-Type": "application/json", "X-Preview-Token": settings.token}});
      answer = await response.json();
    } catch (e) {
      showError([{text: say(t.no_answer, {error: String(e)})}]);
      return;
    } finally {
      saving = false;
      if (reloadWanted) setTimeout(() => location.reload());  // held while saving: once what follows has run
      const lost = !panel.contains(document.activeElement);  // a disabled button lets go of the focus
      $("pp-save").disabled = $("pp-remove").disabled = false;
      if (lost) $(remove ? "pp-remove" : "pp-save").focus();
    }
    if (!response.ok) {  // the annotation stays in the panel (and kept across a reload), to fix and save again
      showError(answer.messages || [{text: say(t.error_other, {message: answer.error})}]);
      keep();
      return;
    }
    document.documentElement.dataset.previewSaved = answer.id || "removed";
    if (storage && answer.id) storage.setItem(FOCUS, answer.id);
    close();  // the preview sees the file change, rebuilds, and reloads this page with the mark
  }

  panel.addEventListener("submit", (e) => { e.preventDefault(); send(false); });
  $("pp-remove").addEventListener("click", () => send(true));
  $("pp-cancel").addEventListener("click", close);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !panel.hidden) {
      e.preventDefault();
      close();
    } else if (e.key === "Escape") hideNotice();
  });

  // A refusal that is not about a field of the panel (a selection it cannot take): a notice, at the top.
  const notice = Object.assign(document.createElement("div"), {id: "preview-notice", hidden: true});
  notice.setAttribute("role", "alert");
  const noticeText = notice.appendChild(document.createElement("p"));
  noticeText.style.margin = "0";
  const noticeClose = Object.assign(document.createElement("button"), {type: "button", textContent: "×"});
  noticeClose.setAttribute("aria-label", t.cancel);
  noticeClose.addEventListener("click", () => hideNotice());
  notice.appendChild(noticeClose);
  document.body.appendChild(notice);
  function hideNotice() { notice.hidden = true; }

  // The paragraph (or list item, heading, cell…) a node of the article is in.
  const BLOCK = "p, li, h1, h2, h3, h4, h5, h6, blockquote, pre, td, th, dt, dd, figcaption";
  const blockOf = (node) => {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const block = element && element.closest(BLOCK);
    return block && body.contains(block) ? block : body;
  };
  // Whether a quote found in the text is found inside one paragraph (one not found at all: the server says so).
  const inOneBlock = (quote) => {
    const needle = fold(quote).trim();
    return !fold(readText(null).raw).includes(needle) ||
      [...body.querySelectorAll(BLOCK)].some((b) => fold(readText(null, b).raw).includes(needle));
  };
  const blank = (from, fromOffset, to, toOffset) => {
    const r = document.createRange();
    r.setStart(from, fromOffset);
    r.setEnd(to, toOffset);
    return !r.toString().trim();
  };

  // A passage selected in the article (mouse, touch, or keyboard once Shift is let go) opens the panel for it.
  function openForSelection() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return false;
    const range = selection.getRangeAt(0).cloneRange();
    if (!body.contains(range.commonAncestorContainer)) return false;
    let first = blockOf(range.startContainer), last = blockOf(range.endContainer);
    // A triple click selects up to the start of the next paragraph; a drag may start at the end of the one before.
    if (first !== last && blank(last, 0, range.endContainer, range.endOffset)) {
      range.setEnd(first, first.childNodes.length);
      last = first;
    }
    if (first !== last && blank(range.startContainer, range.startOffset, first, first.childNodes.length)) {
      range.setStart(last, 0);
      first = last;
    }
    if (first !== last) {
      noticeText.textContent = t.two_paragraphs;
      notice.hidden = false;
      return true;
    }
    const {raw, start, end} = readText(range);
    const quote = raw.slice(start, end).replace(/\s+/g, " ").trim();
    if (start < 0 || !quote) return false;
    const selected = raw.slice(start, end);
    const {occurrence} = occurrenceOf(quote, raw, start + selected.length - selected.trimStart().length);
    open({id: "", quote, occurrence, at: start, claim: null, asserts: [], denies: []}, range.getBoundingClientRect());
    return true;
  }
  document.addEventListener("mouseup", (e) => {
    if ((panel.hidden || !panel.contains(e.target)) && !notice.contains(e.target)) setTimeout(openForSelection, 0);
  });
  document.addEventListener("keyup", (e) => { if (e.key === "Shift" && panel.hidden) openForSelection(); });
  // On a touch screen no mouseup follows a selection: the selection settling (its handles let go) opens the panel.
  const touchy = navigator.maxTouchPoints > 0 || window.matchMedia("(pointer: coarse)").matches;
  let pointer = touchy ? "touch" : "mouse", pressed = false, settle = 0;
  document.addEventListener("pointerdown", (e) => { pointer = e.pointerType; pressed = e.pointerType === "mouse"; }, true);
  document.addEventListener("pointerup", () => { pressed = false; }, true);
  document.addEventListener("selectionchange", () => {
    if (!panel.hidden || pressed || pointer === "mouse") return;
    clearTimeout(settle);
    settle = setTimeout(() => { if (panel.hidden) openForSelection(); }, 500);
  });
  document.addEventListener("touchend", (e) => {
    if (panel.hidden && !notice.contains(e.target)) setTimeout(() => { if (panel.hidden) openForSelection(); }, 300);
  });

  // Without a mouse: Alt+Shift+A, or this button (first in the Tab order), opens the panel for the selection if there
  // is one, else for a passage typed or pasted into it.
  const button = Object.assign(document.createElement("button"), {type: "button", id: "preview-annotate",
                                                                  textContent: t.button});
  button.setAttribute("aria-keyshortcuts", "Alt+Shift+A");
  button.title = t.shortcut;
  document.body.prepend(button);
  const annotate = () => {
    if (!openForSelection()) open({id: "", quote: "", occurrence: null, at: 0, claim: null, asserts: [], denies: []},
                                  button.getBoundingClientRect(), "pp-quote");
  };
  button.addEventListener("click", annotate);
  document.addEventListener("keydown", (e) => {
    if (e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === "KeyA" && !panel.contains(e.target)) {
      e.preventDefault();
      annotate();
    }
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

  // After a reload: the mark just saved takes the focus; an annotation not saved yet opens again as it was left.
  const saved = storage && storage.getItem(FOCUS);
  if (saved) {
    storage.removeItem(FOCUS);
    const mark = document.getElementById(saved);
    if (mark && body.contains(mark)) {
      mark.tabIndex = 0;
      mark.focus({preventScroll: true});
      mark.scrollIntoView({block: "center"});
    }
  }
  let kept = null;
  try { kept = storage && JSON.parse(storage.getItem(KEPT) || "null"); } catch (e) { kept = null; }
  if (kept && kept.state) {
    const mark = kept.state.id && document.getElementById(kept.state.id);
    const rect = mark ? mark.getBoundingClientRect() : {top: 8, bottom: 8, left: 8};
    open(kept.state, rect, "pp-quote", kept.typed || ["", "", ""]);
  }
}
