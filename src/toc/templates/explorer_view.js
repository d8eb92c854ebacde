// The explorer's view of its drawings: where each is shown (fit, zoom, pan) and what is under the pointer.
"use strict";
const tocView = (() => {
  // Each drawing sits in a frame (the drawing and, above it, its overlay), moved and scaled by one
  // CSS transform: a zoom is then the compositor's work, not a repaint, and the frame's contents
  // keep their own transforms untouched. Above the frame lies a glass, an empty element that takes
  // every pointer event. Chromium hit-tests the page after each frame that changes it (a trace at
  // 5,000 elements: about 110 ms a click, walking every shape of the drawing, pointer-events: none or
  // not); with the glass on top it stops at the glass. What is under the pointer is then found here,
  // from the boxes' and lines' bounds, measured once.
  const stages = new Map(); // svg -> its frame, glass, view and parts

  // The frame and the glass are in the page as written (moved here, a drawing of 10,000 elements
  // would be laid out again); the glass is aria-hidden: the boxes themselves are the keyboard's
  // and screen readers' way in.
  function stage(svg) {
    const section = svg.closest(".drawing");
    const frame = svg.parentElement;
    const glass = section.querySelector(".glass");
    // each drawing fills its frame: its viewBox scaled by the browser to the frame's size ("fit")
    svg.setAttribute("width", "100%");
    svg.setAttribute("height", "100%");
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    const entry = { section, frame, glass, scale: 1, x: 0, y: 0, parts: null, sharpen: 0 };
    stages.set(svg, entry);
    show(svg);
    return entry;
  }

  // The drawing's boxes and lines with their bounds in the drawing's own units, boxes first (a box
  // drawn over the end of a line is what a pointer there means). Measured on first use, when the
  // drawing is laid out; the bounds never change (a zoom moves the frame, not the drawing).
  function partsOf(svg) {
    const entry = stages.get(svg);
    if (!entry.parts) {
      const measured = (selector) =>
        [...svg.querySelectorAll(selector)].map((part) => ({ part, box: part.getBBox() })).filter(({ box }) => box.width || box.height);
      entry.parts = { boxes: measured("g.node[id]"), lines: measured("g.edge[id]") };
    }
    return entry.parts;
  }

  // The drawing's part (a g.node or a g.edge) at the window's point (x, y), or null. A line is
  // found by testing the shapes of each line whose bounds hold the point: of at most `lines` such
  // lines (a hover over a whole drawing of 10,000 elements would test thousands; a click tests all).
  function partAt(svg, x, y, lines) {
    const graph = svg.querySelector("g.graph") || svg;
    const matrix = graph.getScreenCTM();
    if (!matrix) return null; // not shown
    const point = new DOMPoint(x, y).matrixTransform(matrix.inverse());
    const slack = 3 / Math.hypot(matrix.a, matrix.b); // three pixels of the window, in the drawing's units
    const holds = (box, by) => point.x >= box.x - by && point.x <= box.x + box.width + by && point.y >= box.y - by && point.y <= box.y + box.height + by;
    const { boxes, lines: drawn } = partsOf(svg);
    // the last drawn is on top
    for (let i = boxes.length - 1; i >= 0; i--) if (holds(boxes[i].box, 0)) return boxes[i].part;
    const candidates = [];
    for (let i = drawn.length - 1; i >= 0 && candidates.length <= lines; i--) if (holds(drawn[i].box, slack)) candidates.push(drawn[i].part);
    if (candidates.length > lines) return null;
    const near = [point, ...[[1, 0], [-1, 0], [0, 1], [0, -1]].map(([dx, dy]) => new DOMPoint(point.x + dx * slack, point.y + dy * slack))];
    for (const part of candidates) {
      for (const shape of part.querySelectorAll("path, polygon")) {
        if (near.some((each) => shape.isPointInStroke(each) || (shape.localName === "polygon" && shape.isPointInFill(each)))) return part;
      }
    }
    return null;
  }

  // What a browser would show as the part's tooltip: its link's title, else its own.
  function tooltip(part) {
    const link = part.querySelector("a");
    const title = link && link.getAttributeNS("http://www.w3.org/1999/xlink", "title");
    if (title) return title;
    const own = part.querySelector(":scope > title");
    return own ? own.textContent : "";
  }

  // `data-view` holds "scale x y" for tools and tests. Once still for a moment, the frame is drawn
  // again sharp at its new size (moved as a layer, it is the old picture scaled).
  function show(svg) {
    const entry = stages.get(svg);
    entry.frame.style.transform = "translate(" + entry.x + "px, " + entry.y + "px) scale(" + entry.scale + ")";
    svg.dataset.view = [entry.scale, entry.x, entry.y].join(" ");
    clearTimeout(entry.sharpen);
    entry.sharpen = setTimeout(() => {
      entry.frame.style.willChange = "auto";
      requestAnimationFrame(() => requestAnimationFrame(() => (entry.frame.style.willChange = "")));
    }, 400);
  }
  function fit(svg) {
    const entry = stages.get(svg);
    if (!entry) return;
    Object.assign(entry, { scale: 1, x: 0, y: 0 });
    show(svg);
  }
  function zoom(svg, factor, x, y) {
    const entry = svg && stages.get(svg);
    if (!entry) return;
    const rect = entry.frame.getBoundingClientRect();
    if (x === undefined) [x, y] = [rect.left + rect.width / 2, rect.top + rect.height / 2];
    const scale = Math.min(40, Math.max(0.25, entry.scale * factor));
    const step = scale / entry.scale;
    // the point under (x, y) stays there: relative to where the untransformed frame starts
    const left = rect.left - entry.x;
    const top = rect.top - entry.y;
    Object.assign(entry, { scale, x: x - left - (x - left - entry.x) * step, y: y - top - (y - top - entry.y) * step });
    show(svg);
  }
  function pan(svg, dx, dy) {
    // by (dx, dy) pixels of the window: the drawing moves with the pointer
    const entry = svg && stages.get(svg);
    if (!entry) return;
    Object.assign(entry, { x: entry.x + dx, y: entry.y + dy });
    show(svg);
  }

  // The wheel (a trackpad's pinch comes as a wheel with Ctrl) and two fingers zoom, a drag pans, a
  // click picks the part under it (`pick(part, event)`); hovering shows the part's tooltip.
  function listen(svg, pick) {
    const { section, glass } = stages.get(svg);
    // the wheel's listener (which may block scrolling) on the glass alone: Chromium records where
    // such a listener is for every shape under the element that has it, at every frame
    glass.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        zoom(svg, Math.exp(-event.deltaY * (event.ctrlKey ? 0.01 : 0.002)), event.clientX, event.clientY);
      },
      { passive: false },
    );
    const pointers = new Map();
    let moved = 0;
    glass.addEventListener("pointerdown", (event) => {
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      moved = 0;
    });
    let hovering = 0;
    glass.addEventListener("pointermove", (event) => {
      const before = pointers.get(event.pointerId);
      if (!before) {
        // at rest for a moment: the tooltip and the pointer's shape of what is under it
        clearTimeout(hovering);
        hovering = setTimeout(() => {
          const part = partAt(svg, event.clientX, event.clientY, 200);
          glass.title = part ? tooltip(part) : "";
          glass.classList.toggle("over", Boolean(part));
        }, 120);
        return;
      }
      const now = { x: event.clientX, y: event.clientY };
      if (pointers.size === 1) {
        moved += Math.abs(now.x - before.x) + Math.abs(now.y - before.y);
        if (moved > 4) {
          if (!glass.hasPointerCapture(event.pointerId)) glass.setPointerCapture(event.pointerId);
          pan(svg, now.x - before.x, now.y - before.y);
        }
      } else if (pointers.size === 2) {
        // two fingers: zoom by how much further apart they are, about their middle
        const other = [...pointers.entries()].find(([id]) => id !== event.pointerId)[1];
        const apart = (a) => Math.hypot(a.x - other.x, a.y - other.y) || 1;
        zoom(svg, apart(now) / apart(before), (now.x + other.x) / 2, (now.y + other.y) / 2);
        moved = 5;
      }
      pointers.set(event.pointerId, now);
    });
    const up = (event) => pointers.delete(event.pointerId);
    glass.addEventListener("pointerup", up);
    glass.addEventListener("pointercancel", up);
    section.addEventListener("click", (event) => {
      if (event.target === glass) {
        if (moved > 4) return; // a drag is no click: the box it started on is not selected
        const part = partAt(svg, event.clientX, event.clientY, Infinity);
        if (part) pick(part, event);
      } else {
        // a click sent to a part itself (by a script, or by the keyboard on a focused box)
        const part = event.target.closest && event.target.closest("g.node[id], g.edge[id]");
        if (part && svg.contains(part)) pick(part, event);
      }
    });
  }

  return { stage, listen, fit, zoom, pan, partAt };
})();
