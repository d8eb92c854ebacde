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
  const colourBy = document.getElementById("colour-by");
  const legend = document.getElementById("legend");
  // Each link's drawn parts (a link that skips a level is drawn in parts, `ID-via-…`, through the
  // columns it passes), found once: a click then looks each link up instead of searching the page.
  const parts = new Map();
  for (const edge of drawing ? drawing.querySelectorAll("g.edge[id]") : []) {
    const at = edge.id.indexOf("-via-");
    const whole = at < 0 ? edge.id : edge.id.slice(0, at);
    if (!parts.has(whole)) parts.set(whole, []);
    parts.get(whole).push(edge);
  }

  // Highlighting never touches the drawing itself: at 5,000 elements a class on each of thousands
  // of boxes costs seconds of style and paint. Each drawing has an overlay, a second SVG of the
  // same size and transform above it; a selection fades the drawing (one opacity, on its own
  // layer: the compositor's work, not a repaint) and draws only what is highlighted into the
  // overlay (copies, or joined outlines when many), so a click costs what it shows. The overlay is
  // inert: the glass above both takes the pointer (tocView).
  const SVG = "http://www.w3.org/2000/svg";
  const overlays = new Map();
  for (const svg of document.querySelectorAll(".drawing > .frame > svg")) {
    svg.classList.add("drawn");
    tocView.stage(svg); // in a frame that fit, zoom and pan move, under a glass that takes the pointer
    const holder = document.createElement("div");
    holder.className = "overlay";
    holder.inert = true;
    holder.setAttribute("aria-hidden", "true");
    // Shown and hidden by `visibility`, never by `hidden` (display): a change of display lays out
    // the drawing's container again, and with it the drawing (its size is a percentage), every one of
    // its texts: 2 s at 10,000 elements, for every click and every Escape.
    holder.classList.add("empty"); // until something is highlighted
    const layer = document.createElementNS(SVG, "svg");
    if (svg.hasAttribute("viewBox")) layer.setAttribute("viewBox", svg.getAttribute("viewBox"));
    layer.setAttribute("preserveAspectRatio", "xMidYMid meet"); // the two stay one picture
    const group = document.createElementNS(SVG, "g");
    const graph = svg.querySelector("g.graph");
    if (graph && graph.hasAttribute("transform")) group.setAttribute("transform", graph.getAttribute("transform"));
    // the keyboard's focus on a line, above a highlight (which fades the line itself)
    const focused = group.cloneNode(false);
    layer.append(group, focused);
    holder.appendChild(layer);
    svg.after(holder); // in the frame: moved with the drawing
    overlays.set(svg, { holder, layer, group, focused });
  }
  const highlighted = new Set(); // the drawings with something highlighted, to clear without a search

  // A drawn part's shapes (and text, unless `outline`), without its tooltip and link wrappers:
  // half the nodes of a whole copy, and so half the style and layout work of a large highlight.
  function shapes(from, into, outline) {
    for (const child of from.children) {
      const tag = child.localName;
      if (tag === "title" || (outline && tag === "text")) continue;
      if (tag === "g" || tag === "a") shapes(child, into, outline);
      else into.appendChild(child.cloneNode(true));
    }
  }

  // The marks that always stay copies, with their text: the chosen part itself.
  const NAMED = new Set(["selected", "fails", "end", "supports", "contradicts"]);
  // Up to this many copies cost less than a frame or two (about 0.1 s at 5,000 elements); past it,
  // the highlight is drawn joined, and where it is most of the drawing, the rest is veiled instead.
  const COPIES = 1500;

  // A drawn part's outline as path data, by its look: each shape of it (boxes' borders, lines and
  // arrowheads) as [role, stroke, fill, d], a polygon's points as a path. Read once a part.
  const outlines = new Map();
  function outline(part) {
    if (!outlines.has(part)) {
      const found = [];
      for (const shape of part.querySelectorAll("path, polygon")) {
        const d = shape.localName === "path" ? shape.getAttribute("d") : "M" + shape.getAttribute("points") + "Z";
        const role = part.classList.contains("edge") ? (shape.localName === "path" ? "line" : "head") : "box";
        const look = [role, shape.getAttribute("stroke") || "none", role === "box" ? "none" : shape.getAttribute("fill") || "none"];
        found.push({ look, key: part.getAttribute("class") + "|" + look.join("|"), d });
      }
      outlines.set(part, found);
    }
    return outlines.get(part);
  }

  // Many marks drawn joined: one path for all the shapes of one look (the part's class, the mark,
  // the line's shade, the shape's colours), its outline only, no text: a hub's highlight is then a
  // few dozen elements for the browser to style and lay out, not thousands of copies. Each group
  // names its parts (`data-ids`), as each copy does (`data-id`).
  function joined(marks) {
    const groups = new Map();
    for (const [part, name] of marks) {
      const shade = name === "on-path" && part.dataset.strength ? [part.dataset.strength, part.dataset.evidence] : ["", ""];
      const mark = "|" + name + "|" + shade.join("|");
      for (const { look, key, d } of outline(part)) {
        let group = groups.get(key + mark);
        if (!group) {
          group = { kind: part.getAttribute("class") + " " + name, shade, look, d: [], ids: [] };
          groups.set(key + mark, group);
        }
        group.d.push(d);
        group.ids.push(part.id);
      }
    }
    const made = [];
    for (const group of groups.values()) {
      const joint = document.createElementNS(SVG, "g");
      joint.setAttribute("class", group.kind + " joined");
      joint.dataset.ids = group.ids.join(" ");
      if (group.shade[0]) Object.assign(joint.dataset, { strength: group.shade[0], evidence: group.shade[1] });
      const [role, stroke, fill] = group.look;
      const path = document.createElementNS(SVG, "path");
      for (const [key, value] of [["fill", fill], ["stroke", stroke], ["d", group.d.join(" ")]]) path.setAttribute(key, value);
      joint.appendChild(path);
      made.push([role === "box", joint]);
    }
    // lines under boxes, as the drawing has them
    return made.sort((a, b) => a[0] - b[0]).map(([, joint]) => joint);
  }

  // Highlight `marks` ([drawn part, class], edges before boxes) in `svg`, above the faded drawing:
  // copies where they are few, else joined outlines. Where they are many and most of `everything`
  // (the drawing's boxes and lines), the drawing stays as it is and the rest, the smaller part, is
  // veiled instead (in translucent white), with only the chosen part itself marked.
  function highlight(svg, marks, everything) {
    const overlay = overlays.get(svg);
    if (!overlay) return;
    let veiled = false;
    if (everything && marks.length > COPIES && marks.length > everything.length / 2) {
      const kept = new Set(marks.map(([part]) => part));
      const named = marks.filter(([, name]) => NAMED.has(name));
      marks = [...everything.filter((part) => !kept.has(part)).map((part) => [part, "veil"]), ...named];
      veiled = true;
    }
    const many = marks.length > COPIES;
    const made = document.createDocumentFragment();
    if (many) made.append(...joined(marks.filter(([, name]) => !NAMED.has(name))));
    for (const [part, name] of marks) {
      if (many && !NAMED.has(name)) continue;
      const copy = document.createElementNS(SVG, "g");
      copy.setAttribute("class", part.getAttribute("class") + " " + name);
      copy.dataset.id = part.id; // a copy has no id of its own: ids stay the drawing's
      // a line on a pathway keeps its shade (strength or evidence); a failing or cited one shows that instead
      if (name === "on-path" && part.dataset.strength) {
        Object.assign(copy.dataset, { strength: part.dataset.strength, evidence: part.dataset.evidence });
      }
      shapes(part, copy, name === "veil");
      made.appendChild(copy);
    }
    overlay.group.replaceChildren(made);
    overlay.holder.classList.remove("empty");
    svg.classList.toggle("faded", !veiled);
    overlay.layer.classList.toggle("veiled", veiled);
    highlighted.add(svg);
  }

  // the theory of change's boxes and lines, once: what a veil is made of
  let drawnParts = null;
  function everythingDrawn() {
    if (!drawnParts) {
      drawnParts = [...[...parts.values()].flat(), ...data.elements.map((each) => node(each.id)).filter(Boolean)];
    }
    return drawnParts;
  }

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

  // An element's box: its own, or in an overview (--collapse) the box of the tangle or level it is in.
  const collapsedIn = new Map(Object.entries(data.collapsed || {}).flatMap(([box, members]) => members.map((member) => [member, box])));
  // the elements' boxes by id, found once: a hub's highlight looks up thousands
  let drawnBoxes = null;
  function node(id) {
    if (!drawnBoxes) {
      drawnBoxes = new Map();
      for (const box of document.querySelectorAll(".drawing g.node[id]")) if (!drawnBoxes.has(box.id)) drawnBoxes.set(box.id, box); // the first, as getElementById
    }
    return drawnBoxes.get("toc-element-" + id) || null;
  }
  function boxOf(id) {
    return node(id) || (collapsedIn.has(id) ? document.getElementById(collapsedIn.get(id)) : null);
  }

  function element(tag, text, attributes) {
    const made = document.createElement(tag);
    if (text !== undefined && text !== null) made.textContent = text;
    for (const [key, value] of Object.entries(attributes || {})) made.setAttribute(key, value);
    return made;
  }

  // A list in the panel shows its first LISTED items and says how many more there are: a list of
  // thousands (all that leads to a hub) is read by nobody, and its layout alone costs a second.
  const LISTED = 100;
  function section(title, items, show) {
    panel.appendChild(element("h3", title));
    if (!items.length) {
      panel.appendChild(element("p", words.none));
      return;
    }
    const list = element("ul");
    for (const item of items.slice(0, LISTED)) {
      const entry = element("li");
      show(entry, item);
      list.appendChild(entry);
    }
    if (items.length > LISTED) list.appendChild(element("li", words["and more"].replace("{count}", (items.length - LISTED).toLocaleString()), { class: "more" }));
    panel.appendChild(list);
  }

  // another element, as a link to it: the page follows #element=ID (and so can a bookmark)
  function jump(entry, id) {
    const target = byId.get(id);
    entry.appendChild(element("a", target ? target.label : id, { href: "#element=" + encodeURIComponent(id) }));
  }
  // the ids in the programme's order: one pass over the elements, not a sort (a hub's 9,500 ids)
  const inOrder = (ids) => {
    const wanted = ids instanceof Set ? ids : new Set(ids);
    return data.elements.filter((each) => wanted.has(each.id)).map((each) => each.id);
  };

  function clear() {
    for (const svg of highlighted) {
      svg.classList.remove("faded");
      overlays.get(svg).group.replaceChildren();
      overlays.get(svg).layer.classList.remove("veiled");
      overlays.get(svg).holder.classList.add("empty");
    }
    highlighted.clear();
    overview();
    delete panel.dataset.selected;
    delete panel.dataset.upstream;
    delete panel.dataset.downstream;
    delete panel.dataset.cut;
    if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  }

  function select(id, focus) {
    const chosen = byId.get(id);
    if (!chosen) return;
    clear();
    showTab("theory-of-change");
    const up = reach(id, backward);
    const down = reach(id, forward);
    const marks = [];
    for (const link of data.links) {
      const feeding = up.has(link.source) && (up.has(link.target) || link.target === id);
      const fed = down.has(link.target) && (down.has(link.source) || link.source === id);
      if (!(feeding || fed)) continue;
      for (const part of parts.get(link.id) || []) marks.push([part, "on-path"]);
    }
    // each box once, the chosen element's last; in an overview a box may hold several of them (and
    // the chosen element with what leads to it): there, each box is marked once, by a map
    const boxes = collapsedIn.size ? new Map() : null;
    for (const [ids, name] of [[up, "upstream"], [down, "downstream"]]) {
      for (const each of ids) {
        const box = boxOf(each);
        if (box && boxes) boxes.set(box, name);
        else if (box) marks.push([box, name]);
      }
    }
    const chosenBox = boxOf(id);
    if (boxes) {
      boxes.delete(chosenBox);
      for (const [box, name] of boxes) marks.push([box, name]);
    }
    if (chosenBox) marks.push([chosenBox, "selected"]); // drawn last, on top
    if (drawing) highlight(drawing, marks, everythingDrawn());
    panel.dataset.selected = id;
    history.replaceState(null, "", "#element=" + encodeURIComponent(id));
    const [before, after] = [inOrder(up), inOrder(down)]; // one pass each, not a sort of a hub's thousands
    panel.dataset.upstream = before.join(" ");
    panel.dataset.downstream = after.join(" ");
    panel.replaceChildren();
    panel.appendChild(element("h2", chosen.label));
    panel.appendChild(element("p", words.level + ": " + chosen.level));
    if (chosen.description) panel.appendChild(element("p", chosen.description));
    if (id in reasoning.strengths) panel.appendChild(element("p", words["pathway strength"] + ": " + strengthText(reasoning.strengths[id])));
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
        indicator.actual && words.latest + ": " + indicator.actual,
        indicator.status && words.status + ": " + indicator.status,
      ];
      if (details.some(Boolean)) entry.appendChild(element("div", details.filter(Boolean).join(" · ")));
    });
    section(words["open items"], chosen.open, (entry, item) => {
      entry.appendChild(element("strong", item.kind + ": "));
      entry.appendChild(document.createTextNode(item.note));
    });
    // the assumptions under the element, or under a link into it or out of it
    const touches = (named) => named.element === id || (named.link && [linkByKey.get(named.link)].some((link) => link && (link.source === id || link.target === id)));
    const under = reasoning.assumptions.filter((each) => each.underpins.some(touches));
    if (under.length) section(words.assumptions, under, assumptionLine);
    section(words["leads here"], before, jump);
    section(words["leads on"], after, jump);
    const again = element("button", words.clear, { type: "button" });
    again.addEventListener("click", () => {
      clear();
      if (node(id)) node(id).focus({ preventScroll: true });
    });
    panel.appendChild(again);
    panel.scrollTop = 0;
    if (focus && node(id)) node(id).focus({ preventScroll: true }); // the drawing is fitted, not scrolled
  }

  // a box of a drawing as a button for the keyboard and screen readers (once, for a repeated id);
  // its action runs on a click (tocView finds the box under the pointer) or Enter or Space
  const actions = new Map();
  function button(box, label, action) {
    if (!box || actions.has(box)) return;
    actions.set(box, action);
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "button");
    box.setAttribute("aria-label", label);
  }

  // the organisations: a click, or Enter or Space, shows a body's roles, goals and relations
  const bodies = new Map((data.organisations || []).map((body) => [body.id, body]));
  const chart = document.querySelector("#drawing-organisation svg");
  function showOrganisation(id) {
    const body = bodies.get(id);
    if (!body) return;
    clear();
    showTab("organisation");
    const related = new Set(body.relations.map((relation) => relation.other));
    const marks = [];
    for (const relation of body.relations) {
      const line = document.getElementById(relation.edge);
      if (line) marks.push([line, "on-path"]);
    }
    for (const box of chart ? chart.querySelectorAll("g.node.organisation") : []) {
      const other = box.id.slice("toc-organisation-".length);
      if (other === id) marks.push([box, "selected"]);
      else if (related.has(other)) marks.push([box, "downstream"]);
    }
    if (chart) highlight(chart, marks);
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

  // --- reasoning: assumptions, evidence, links (toc.analysis's answers, embedded by toc) ---------
  const reasoning = data.reasoning || { assumptions: [], evidence: [], order: [], strengths: {} };
  const assumptions = new Map(reasoning.assumptions.map((each) => [each.id, each]));
  const evidenceById = new Map(reasoning.evidence.map((each) => [each.id, each]));
  const linkById = new Map(data.links.map((link) => [link.id, link]));
  const linkByKey = new Map(data.links.map((link) => [link.id.slice("toc-link-".length), link]));
  const labelOf = (id) => (byId.has(id) ? byId.get(id).label : id);
  const number = (value) => String(Math.round(value * 100) / 100);

  // a strength as the analysis gives it: a number, or [at least, at most] where it is unknown
  function strengthText(value) {
    if (value === undefined || value === null) return words.unknown;
    if (typeof value === "number") return number(value);
    const [low, high] = value;
    return words.unknown + " (" + (low === null ? "≤ " + number(high) : number(low) + "–" + number(high)) + ")";
  }

  // what an assumption or evidence names, as a link the page follows
  function part(entry, named) {
    if (named.element) entry.appendChild(element("a", named.text, { href: "#element=" + encodeURIComponent(named.element) }));
    else if (named.link) entry.appendChild(element("a", named.text, { href: "#link=" + encodeURIComponent(named.link) }));
    else if (named.assumption) entry.appendChild(element("a", named.text, { href: "#assumption=" + encodeURIComponent(named.assumption) }));
    else entry.appendChild(document.createTextNode(named.text));
  }
  function details(entry, items) {
    const shown = items.filter(Boolean);
    if (shown.length) entry.appendChild(element("div", shown.join(" · "), { class: "details" }));
  }
  function assumptionLine(entry, each) {
    entry.appendChild(element("a", each.statement, { href: "#assumption=" + encodeURIComponent(each.id), class: "assumption" }));
    details(entry, [
      each.kind && words.kind + ": " + each.kind,
      words.status + ": " + each.status + (each.status_date ? " (" + each.status_date + ")" : ""),
      each.owner && words.owner + ": " + each.owner,
      each.underpins.length && words.underpins + ": " + each.underpins.map((named) => named.text).join("; "),
    ]);
  }
  function evidenceLine(entry, each) {
    entry.appendChild(element("a", each.source, { href: "#evidence=" + encodeURIComponent(each.id), class: "evidence" }));
    details(entry, [
      each.kind && words.kind + ": " + each.kind,
      words.grade + ": " + (each.grade || words.unknown),
      each.date && words.date + ": " + each.date,
      each.supports.length && words.supports + ": " + each.supports.map((named) => named.text).join("; "),
      each.contradicts.length && words.contradicts + ": " + each.contradicts.map((named) => named.text).join("; "),
    ]);
  }
  // with nothing selected, the panel lists the programme's assumptions and evidence
  function overview() {
    panel.replaceChildren(element("p", words["select an element"], { id: "hint" }));
    if (reasoning.assumptions.length) section(words.assumptions, reasoning.assumptions, assumptionLine);
    if (reasoning.evidence.length) section(words.evidence, reasoning.evidence, evidenceLine);
  }

  // the links whose parts are highlighted `name`, and the elements (boxes), in the drawing
  function linkMarks(ids, name, marks) {
    for (const id of ids) for (const each of parts.get(id) || []) marks.push([each, name]);
  }
  function boxMarks(ids, name, marks) {
    for (const id of ids) {
      const box = boxOf(id);
      if (box) marks.push([box, name]);
    }
  }
  // the links between lost elements (failed or cut off): the part of the drawing that goes with them
  function linksAmong(lost) {
    return data.links.filter((link) => lost.has(link.source) && lost.has(link.target)).map((link) => link.id);
  }

  function cutOff(link) {
    return link.cut ? reasoning.order.slice(link.cut[0], link.cut[1]) : [];
  }

  function selectLink(key) {
    const link = linkByKey.get(key);
    if (!link) return;
    clear();
    showTab("theory-of-change");
    const cut = cutOff(link);
    const marks = [];
    linkMarks(linksAmong(new Set(cut)), "on-path", marks);
    linkMarks([link.id], "fails", marks);
    boxMarks(cut, "cut", marks);
    boxMarks([link.source, link.target], "end", marks);
    if (drawing) highlight(drawing, marks, everythingDrawn());
    panel.dataset.selected = "link:" + key;
    panel.dataset.cut = [...cut].sort().join(" ");
    history.replaceState(null, "", "#link=" + encodeURIComponent(key));
    panel.replaceChildren(element("h2", labelOf(link.source) + " → " + labelOf(link.target)));
    details(panel, [
      words.confidence + ": " + (link.confidence === undefined ? words.unknown : number(link.confidence)),
      words["pathway strength"] + ": " + strengthText(link.value !== undefined ? link.value : link.between),
      words["evidence grade"] + ": " + (link.grade || (link.evidence === "none" ? words.none : words.unknown)),
    ]);
    section(words.assumptions, (link.assumptions || []).map((id) => assumptions.get(id)).filter(Boolean), assumptionLine);
    section(words["supported by"], (link.supported_by || []).map((id) => evidenceById.get(id)).filter(Boolean), evidenceLine);
    if (link.contradicted_by) section(words["contradicted by"], link.contradicted_by.map((id) => evidenceById.get(id)).filter(Boolean), evidenceLine);
    section(words["cuts off"] + " (" + cut.length + ")", inOrder(cut), jump);
    panel.scrollTop = 0;
  }

  function selectAssumption(id) {
    const chosen = assumptions.get(id);
    if (!chosen) return;
    clear();
    showTab("theory-of-change");
    const lost = new Set([...chosen.fails, ...chosen.cuts_off]);
    const marks = [];
    linkMarks(linksAmong(lost), "on-path", marks);
    linkMarks(chosen.fails_links.map((key) => "toc-link-" + key), "fails", marks);
    boxMarks(chosen.cuts_off, "cut", marks);
    boxMarks(chosen.fails, "fails", marks);
    if (drawing) highlight(drawing, marks, everythingDrawn());
    panel.dataset.selected = "assumption:" + id;
    panel.dataset.cut = [...chosen.cuts_off].sort().join(" ");
    history.replaceState(null, "", "#assumption=" + encodeURIComponent(id));
    panel.replaceChildren(element("h2", chosen.statement));
    details(panel, [
      chosen.kind && words.kind + ": " + chosen.kind,
      words.status + ": " + chosen.status + (chosen.status_date ? " (" + chosen.status_date + ")" : ""),
      chosen.status_reason,
      chosen.owner && words.owner + ": " + chosen.owner,
      chosen.indicators.length && words.indicators + ": " + chosen.indicators.join("; "),
    ]);
    if (chosen.interpretation) panel.appendChild(element("p", words.interpretation + ": " + chosen.interpretation, { class: "details" }));
    section(words.underpins, chosen.underpins, part);
    section(words["cuts off"] + " (" + chosen.cuts_off.length + ")", inOrder(chosen.cuts_off), jump);
    section(words["supported by"], chosen.evidence_for.map((each) => evidenceById.get(each)).filter(Boolean), evidenceLine);
    if (chosen.evidence_against.length) section(words["contradicted by"], chosen.evidence_against.map((each) => evidenceById.get(each)).filter(Boolean), evidenceLine);
    panel.scrollTop = 0;
  }

  function selectEvidence(id) {
    const chosen = evidenceById.get(id);
    if (!chosen) return;
    clear();
    showTab("theory-of-change");
    const marks = [];
    for (const [list, name] of [[chosen.supports, "supports"], [chosen.contradicts, "contradicts"]]) {
      linkMarks(list.filter((named) => named.link).map((named) => "toc-link-" + named.link), name, marks);
      boxMarks(list.filter((named) => named.element).map((named) => named.element), name, marks);
    }
    if (drawing && marks.length) highlight(drawing, marks, everythingDrawn());
    panel.dataset.selected = "evidence:" + id;
    history.replaceState(null, "", "#evidence=" + encodeURIComponent(id));
    panel.replaceChildren(element("h2", chosen.source));
    details(panel, [
      chosen.kind && words.kind + ": " + chosen.kind,
      words.grade + ": " + (chosen.grade || words.unknown),
      chosen.date && words.date + ": " + chosen.date,
    ]);
    if (chosen.description) panel.appendChild(element("p", chosen.description));
    section(words.supports, chosen.supports, part);
    section(words.contradicts, chosen.contradicts, part);
    panel.scrollTop = 0;
  }

  // A click on a box runs its action (and focuses it, as a click on a button does); a click on a
  // link's line selects the link. One listener a drawing: the boxes have none of their own.
  function pick(part, event) {
    if (actions.has(part)) {
      if (event.target !== part && !part.contains(event.target)) part.focus({ preventScroll: true });
      actions.get(part)();
      return;
    }
    const at = part.id.indexOf("-via-");
    const whole = at < 0 ? part.id : part.id.slice(0, at);
    if (linkById.has(whole)) selectLink(whole.slice("toc-link-".length));
  }
  for (const svg of overlays.keys()) {
    tocView.listen(svg, pick);
    svg.closest(".drawing").addEventListener("keydown", (event) => {
      if (event.key === "Tab") return throughLinks(event);
      if (event.key !== "Enter" && event.key !== " ") return;
      const box = event.target.closest && event.target.closest("g.node[id], g.edge[id]");
      if (!box || !(actions.has(box) || box.classList.contains("edge"))) return;
      event.preventDefault();
      pick(box, event);
    });
  }

  // The links by keyboard: Tab from the selected element's box goes through its links (into it,
  // then out of it), Shift+Tab back, and Enter or Space selects the focused one. A line is focusable
  // only when reached this way: thousands of lines as Tab stops would bury the boxes.
  let ring = null; // the element whose links Tab goes through: its box, its links, the one focused
  function throughLinks(event) {
    const line = event.target.closest("g.edge[id]");
    const box = event.target.closest("g.node[id]");
    if (box && actions.has(box) && box.id === "toc-element-" + panel.dataset.selected) {
      const id = panel.dataset.selected;
      const links = data.links.filter((link) => (link.target === id || link.source === id) && parts.has(link.id));
      links.sort((a, b) => (a.target === id ? 0 : 1) - (b.target === id ? 0 : 1));
      ring = { box, links: links.map((link) => link.id), at: -1 };
      if (event.shiftKey || !ring.links.length) return;
      event.preventDefault();
      focusLink(0);
    } else if (line && ring) {
      const next = ring.at + (event.shiftKey ? -1 : 1);
      if (next >= 0 && next < ring.links.length) {
        event.preventDefault();
        focusLink(next);
        return;
      }
      // out of the ring: back to the element's box, or on from it to the next box (the browser's own Tab)
      ring.box.focus({ preventScroll: true });
      if (event.shiftKey) event.preventDefault();
    }
  }
  function focusLink(index) {
    ring.at = index;
    const link = linkById.get(ring.links[index]);
    const line = parts.get(link.id)[0];
    if (!line.hasAttribute("tabindex")) {
      line.setAttribute("tabindex", "-1");
      line.setAttribute("role", "button");
      line.setAttribute("aria-label", labelOf(link.source) + " → " + labelOf(link.target));
    }
    line.focus({ preventScroll: true });
    // marked above the overlay too: under a highlight, the line itself is faded
    const into = overlays.get(drawing).focused;
    const mark = document.createElementNS(SVG, "g");
    mark.setAttribute("class", "edge focused");
    for (const each of parts.get(link.id)) shapes(each, mark, true);
    into.replaceChildren(mark);
    line.addEventListener("blur", () => into.replaceChildren(), { once: true });
  }

  // colour the links by strength or evidence: each line's shade is set once, on first use, and
  // the choice is then one attribute of the drawing's panel (the CSS holds the legend's shades)
  let shaded = false;
  function colour(mode) {
    const place = document.getElementById("drawing-theory-of-change");
    if (!place) return;
    if (mode && !shaded) {
      for (const link of data.links) {
        for (const each of parts.get(link.id) || []) {
          each.dataset.strength = link.strength || "none";
          each.dataset.evidence = link.evidence || "none";
        }
      }
      shaded = true;
    }
    if (mode) place.dataset.colour = mode;
    else delete place.dataset.colour;
    legend.hidden = !mode || place.hidden;
    for (const each of legend.children) each.hidden = each.id !== "legend-" + mode;
  }
  if (colourBy) {
    colourBy.addEventListener("change", () => colour(colourBy.value));
    if (colourBy.value) colour(colourBy.value); // a browser that kept the choice on reload
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
    // the legend is the theory of change's: the other drawings' lines are not coloured
    if (colourBy) legend.hidden = !colourBy.value || name !== "theory-of-change";
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
    found.go();
  }
  search.addEventListener("input", () => {
    const query = plain(search.value.trim());
    results.replaceChildren();
    shown = [];
    if (query) {
      // elements, then organisations, then indicators (which lead to their element)
      const matches = (...texts) => texts.some((text) => plain(text).includes(query));
      shown = [
        ...data.elements
          .filter((each) => matches(each.label, each.description, each.id))
          .map((each) => ({ text: each.label + " (" + each.level + ")", go: () => select(each.id, true) })),
        ...(data.organisations || [])
          .filter((body) => matches(body.name, body.id))
          .map((body) => ({ text: body.name + " (" + words.organisation + ")", go: () => showOrganisation(body.id) })),
        ...data.elements.flatMap((each) =>
          each.indicators
            .filter((indicator) => matches(indicator.title))
            .map((indicator) => ({ text: indicator.title + " (" + words.indicators + ": " + each.label + ")", go: () => select(each.id, true) })),
        ),
        ...reasoning.assumptions
          .filter((each) => matches(each.statement, each.id))
          .map((each) => ({ text: each.statement + " (" + words.assumptions + ")", go: () => selectAssumption(each.id) })),
        ...reasoning.evidence
          .filter((each) => matches(each.source, each.description, each.id))
          .map((each) => ({ text: each.source + " (" + words.evidence + ")", go: () => selectEvidence(each.id) })),
      ].slice(0, 20);
      if (!shown.length) results.appendChild(element("li", words["no match"], { role: "option", "aria-disabled": "true" }));
      shown.forEach((each, index) => {
        const item = element("li", each.text, { role: "option", id: "result-" + index });
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


  // Fit, zoom and pan (tocView): each drawing fills its panel, on load and whenever the window
  // changes ("fit"); the wheel, two fingers, + and − (buttons and keys) zoom; a drag or the arrow
  // keys pan; "fit" (or 0) shows the whole again.
  const shownDrawing = () => document.querySelector(".drawing:not([hidden]) svg.drawn");
  const controls = {
    "zoom-in": () => tocView.zoom(shownDrawing(), 1.25),
    "zoom-out": () => tocView.zoom(shownDrawing(), 0.8),
    fit: () => tocView.fit(shownDrawing()),
  };
  for (const [name, action] of Object.entries(controls)) {
    const control = document.getElementById(name);
    if (control) control.addEventListener("click", action);
  }
  document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLInputElement || event.altKey || event.metaKey || event.ctrlKey) return;
    const step = 40;
    const keys = {
      "+": controls["zoom-in"],
      "=": controls["zoom-in"],
      "-": controls["zoom-out"],
      "0": controls.fit,
      ArrowLeft: () => tocView.pan(shownDrawing(), step, 0),
      ArrowRight: () => tocView.pan(shownDrawing(), -step, 0),
      ArrowUp: () => tocView.pan(shownDrawing(), 0, step),
      ArrowDown: () => tocView.pan(shownDrawing(), 0, -step),
    };
    // arrows stay the tabs' own on a tab
    if (!keys[event.key] || (event.key.startsWith("Arrow") && event.target.getAttribute("role") === "tab")) return;
    event.preventDefault();
    keys[event.key]();
  });

  // a link to one element: explorer.html#element=ID
  // (and to an assumption, a link or a piece of evidence: #assumption=ID, #link=KEY, #evidence=ID)
  const routes = { element: (id) => select(id, true), assumption: selectAssumption, link: selectLink, evidence: selectEvidence };
  function follow() {
    const [, kind, encoded] = location.hash.match(/^#(element|assumption|link|evidence)=(.+)$/) || [];
    let wanted = "";
    try {
      wanted = decodeURIComponent(encoded || "");
    } catch (error) {
      if (!(error instanceof URIError)) throw error;
      return; // a link cut in the middle of a character (#element=%E0%A4%A): nothing to show
    }
    const selected = kind === "element" ? wanted : kind + ":" + wanted;
    if (wanted && selected !== panel.dataset.selected) routes[kind](wanted);
  }
  window.addEventListener("hashchange", follow);
  if (!location.hash) overview();
  follow();
})();
