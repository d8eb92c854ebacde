// The explorer's behaviour. Model text reaches the page through textContent only, never as HTML.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("toc-data").textContent);
  const words = JSON.parse(document.getElementById("toc-words").textContent);
  const byId = new Map(data.elements.map((element) => [element.id, element]));
  const forward = new Map();
  const backward = new Map();
  for (const link of data.links) {
    if (!byId.has(link.source) || !byId.has(link.target)) continue;
    if (!forward.has(link.source)) forward.set(link.source, []);
    if (!backward.has(link.target)) backward.set(link.target, []);
    forward.get(link.source).push(link.target);
    backward.get(link.target).push(link.source);
  }
  const drawing = document.querySelector("#drawing-theory-of-change svg");
  const panel = document.getElementById("panel");

  // Every element reachable from `start` along `edges`, without `start` itself (as networkx's
  // ancestors and descendants are), even where a cycle leads back to it.
  function reach(start, edges) {
    const seen = new Set();
    const queue = [...(edges.get(start) || [])];
    while (queue.length) {
      const next = queue.pop();
      if (seen.has(next)) continue;
      seen.add(next);
      for (const further of edges.get(next) || []) queue.push(further);
    }
    seen.delete(start);
    return seen;
  }

  function node(id) {
    return document.getElementById("toc-element-" + id);
  }

  function element(tag, text, attributes) {
    const made = document.createElement(tag);
    if (text !== undefined && text !== null) made.textContent = text;
    for (const [key, value] of Object.entries(attributes || {})) made.setAttribute(key, value);
    return made;
  }

  function section(title, items, show) {
    panel.appendChild(element("h3", title));
    if (!items.length) {
      panel.appendChild(element("p", words.none));
      return;
    }
    const list = element("ul");
    for (const item of items) {
      const entry = element("li");
      show(entry, item);
      list.appendChild(entry);
    }
    panel.appendChild(list);
  }

  // another element, as a link to it: the page follows #element=ID (and so can a bookmark)
  function jump(entry, id) {
    const target = byId.get(id);
    entry.appendChild(element("a", target ? target.label : id, { href: "#element=" + encodeURIComponent(id) }));
  }
  const order = new Map(data.elements.map((each, index) => [each.id, index]));
  const inOrder = (ids) => [...ids].sort((a, b) => order.get(a) - order.get(b));

  function clear() {
    for (const svg of document.querySelectorAll("svg.selecting")) svg.classList.remove("selecting");
    for (const marked of document.querySelectorAll(".selected, .upstream, .downstream, .on-path")) {
      marked.classList.remove("selected", "upstream", "downstream", "on-path");
    }
    panel.replaceChildren(element("p", words["select an element"], { id: "hint" }));
    delete panel.dataset.selected;
    delete panel.dataset.upstream;
    delete panel.dataset.downstream;
    if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  }

  function select(id, focus) {
    const chosen = byId.get(id);
    if (!chosen) return;
    clear();
    showTab("theory-of-change");
    const up = reach(id, backward);
    const down = reach(id, forward);
    if (drawing) drawing.classList.add("selecting");
    const paint = (ids, name) => ids.forEach((each) => node(each) && node(each).classList.add(name));
    paint([id], "selected");
    paint(up, "upstream");
    paint(down, "downstream");
    for (const link of data.links) {
      const feeding = up.has(link.source) && (up.has(link.target) || link.target === id);
      const fed = down.has(link.target) && (down.has(link.source) || link.source === id);
      if (!(feeding || fed)) continue;
      // a link that skips a level is drawn in parts, through the columns it passes
      const parts = [document.getElementById(link.id), ...document.querySelectorAll('[id^="' + CSS.escape(link.id + "-via-") + '"]')];
      for (const part of parts) if (part) part.classList.add("on-path");
    }
    panel.dataset.selected = id;
    history.replaceState(null, "", "#element=" + encodeURIComponent(id));
    panel.dataset.upstream = [...up].sort().join(" ");
    panel.dataset.downstream = [...down].sort().join(" ");
    panel.replaceChildren();
    panel.appendChild(element("h2", chosen.label));
    panel.appendChild(element("p", words.level + ": " + chosen.level));
    if (chosen.description) panel.appendChild(element("p", chosen.description));
    const key = element("p", null, { class: "key" });
    key.appendChild(element("span", words["leads here"] + " (" + up.size + ")", { style: "border-color:#b45309" }));
    key.appendChild(element("span", words["leads on"] + " (" + down.size + ")", { style: "border-color:#0f766e" }));
    panel.appendChild(key);
    section(words["effect goals"], chosen.goals, (entry, goal) => {
      entry.appendChild(element("span", goal.statement));
      const details = [goal.owner && words.owner + ": " + goal.owner, goal.measure && words.measure + ": " + goal.measure];
      if (details.some(Boolean)) entry.appendChild(element("div", details.filter(Boolean).join(" · ")));
    });
    section(words.indicators, chosen.indicators, (entry, indicator) => {
      entry.appendChild(element("span", indicator.title));
      const details = [
        indicator.responsible && words.responsible + ": " + indicator.responsible,
        indicator.baseline && words.baseline + ": " + indicator.baseline,
        indicator.target && words.target + ": " + indicator.target,
      ];
      if (details.some(Boolean)) entry.appendChild(element("div", details.filter(Boolean).join(" · ")));
    });
    section(words["open items"], chosen.open, (entry, item) => {
      entry.appendChild(element("strong", item.kind + ": "));
      entry.appendChild(document.createTextNode(item.note));
    });
    section(words["leads here"], inOrder(up), jump);
    section(words["leads on"], inOrder(down), jump);
    const again = element("button", words.clear, { type: "button" });
    again.addEventListener("click", () => {
      clear();
      if (node(id)) node(id).focus();
    });
    panel.appendChild(again);
    panel.scrollTop = 0;
    if (focus && node(id)) {
      node(id).focus();
      node(id).scrollIntoView({ block: "center", inline: "center" });
    }
  }

  // a box of a drawing as a button for the keyboard and screen readers (once, for a repeated id)
  function button(box, label, action) {
    if (!box || box.dataset.explorer) return;
    box.dataset.explorer = "1";
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "button");
    box.setAttribute("aria-label", label);
    box.addEventListener("click", action);
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        action();
      }
    });
  }

  // the organisations: a click, or Enter or Space, shows a body's roles, goals and relations
  const bodies = new Map((data.organisations || []).map((body) => [body.id, body]));
  const chart = document.querySelector("#drawing-organisation svg");
  function showOrganisation(id) {
    const body = bodies.get(id);
    if (!body) return;
    clear();
    const related = new Set(body.relations.map((relation) => relation.other));
    if (chart) chart.classList.add("selecting");
    for (const box of chart ? chart.querySelectorAll("g.node.organisation") : []) {
      const other = box.id.slice("toc-organisation-".length);
      if (other === id) box.classList.add("selected");
      else if (related.has(other)) box.classList.add("downstream");
    }
    for (const relation of body.relations) {
      const line = document.getElementById(relation.edge);
      if (line) line.classList.add("on-path");
    }
    panel.dataset.selected = "organisation:" + id;
    panel.replaceChildren();
    panel.appendChild(element("h2", body.name));
    if (body.band) panel.appendChild(element("p", words.band + ": " + body.band));
    if (body.composition) panel.appendChild(element("p", words.composition + ": " + body.composition));
    section(words.roles, body.roles, (entry, role) => entry.appendChild(document.createTextNode(role)));
    section(words["effect goals"], body.goals, (entry, goal) => entry.appendChild(document.createTextNode(goal)));
    section(words.indicators, body.indicators, (entry, title) => entry.appendChild(document.createTextNode(title)));
    section(words.relations, body.relations, (entry, relation) => {
      const other = bodies.get(relation.other);
      const name = other ? other.name : relation.other;
      entry.appendChild(document.createTextNode(relation.outgoing ? relation.kind + " " + name : name + " " + relation.kind));
    });
    section(words["open items"], body.open, (entry, item) => {
      entry.appendChild(element("strong", item.kind + ": "));
      entry.appendChild(document.createTextNode(item.note));
    });
    panel.scrollTop = 0;
  }
  for (const body of bodies.values()) {
    button(document.getElementById("toc-organisation-" + body.id), body.name, () => showOrganisation(body.id));
  }

  // the elements as buttons: a click, or Enter or Space on the focused box, selects
  for (const each of data.elements) {
    button(node(each.id), each.label, () => select(each.id, false));
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") clear();
  });

  // the tabs, with arrow keys between them
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  function showTab(name) {
    for (const tab of tabs) {
      const on = tab.id === "tab-" + name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.setAttribute("tabindex", on ? "0" : "-1");
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
    }
  }
  tabs.forEach((tab, index) => {
    tab.addEventListener("click", () => showTab(tab.id.slice(4)));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(index + step + tabs.length) % tabs.length];
      showTab(next.id.slice(4));
      next.focus();
    });
  });

  // search: by label, description or id, ignoring case and accents
  const search = document.getElementById("search");
  const results = document.getElementById("results");
  const plain = (text) => (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  let shown = [];
  let active = -1;
  function mark(index) {
    active = index;
    [...results.children].forEach((item, i) => item.setAttribute("aria-selected", i === index ? "true" : "false"));
    if (index >= 0) search.setAttribute("aria-activedescendant", "result-" + index);
    else search.removeAttribute("aria-activedescendant");
  }
  function choose(index) {
    const found = shown[index];
    if (!found) return;
    results.replaceChildren();
    search.setAttribute("aria-expanded", "false");
    select(found.id, true);
  }
  search.addEventListener("input", () => {
    const query = plain(search.value.trim());
    results.replaceChildren();
    shown = [];
    if (query) {
      shown = data.elements
        .filter((each) => [each.label, each.description, each.id].some((text) => plain(text).includes(query)))
        .slice(0, 20);
      if (!shown.length) results.appendChild(element("li", words["no match"], { role: "option", "aria-disabled": "true" }));
      shown.forEach((each, index) => {
        const item = element("li", each.label + " (" + each.level + ")", { role: "option", id: "result-" + index });
        item.addEventListener("click", () => choose(index));
        results.appendChild(item);
      });
    }
    search.setAttribute("aria-expanded", shown.length ? "true" : "false");
    mark(shown.length ? 0 : -1);
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && shown.length) mark(Math.min(active + 1, shown.length - 1));
    else if (event.key === "ArrowUp" && shown.length) mark(Math.max(active - 1, 0));
    else if (event.key === "Enter") choose(active);
    else return;
    event.preventDefault();
  });

  // a link to one element: explorer.html#element=ID
  function follow() {
    let wanted = "";
    try {
      wanted = decodeURIComponent((location.hash.match(/^#element=(.+)$/) || [])[1] || "");
    } catch (error) {
      // a link that is not valid percent-encoding (#element=%E0%A4%A) names no element
      if (!(error instanceof URIError)) throw error;
    }
    if (wanted && wanted !== panel.dataset.selected) select(wanted, true);
  }
  window.addEventListener("hashchange", follow);
  follow();
})();
