/* The labelling workspace: boxes in image pixels on an SVG over the image. Drag on the image
   draws a box of the chosen class, drag a box moves it, drag its corner resizes it; keys for
   everything (1-9 class, Delete, Ctrl+Z, A accept pre-labels, S save, Enter submit, +/- zoom,
   N/P next and previous). Saves go to the API with the revision the page loaded: a stale
   save is refused by the server and said here, and nothing is overwritten. */
(function () {
  "use strict";
  var root = document.getElementById("labeler");
  var dataEl = document.getElementById("labeler-data");
  if (!root || !dataEl) { return; }
  var data = JSON.parse(dataEl.textContent);
  var svg = document.getElementById("labeler-svg");
  var canvas = document.getElementById("labeler-canvas");
  var image = document.getElementById("labeler-image");
  var list = document.getElementById("labeler-boxes");
  var message = document.getElementById("labeler-message");
  var textDoc = document.getElementById("labeler-text");  // a text project: spans instead of boxes
  var NS = svg ? svg.namespaceURI : null;
  var MIN = 2;
  var state = { labels: clone(data.labels), selected: -1, cls: 0, history: [], dirty: false, zoom: 1,
                revision: data.revision, busy: false };

  function clone(v) { return JSON.parse(JSON.stringify(v)); }
  function say(text, bad) { message.textContent = text; message.className = "small" + (bad ? " badge bad" : ""); }
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    var h = document.body.getAttribute("hx-headers");
    try { return JSON.parse(h)["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function remember() { state.history.push(clone(state.labels)); if (state.history.length > 100) { state.history.shift(); } }
  function changed() { state.dirty = true; draw(); }

  function point(evt) {
    var p = svg.createSVGPoint();
    p.x = evt.clientX; p.y = evt.clientY;
    var q = p.matrixTransform(svg.getScreenCTM().inverse());
    return { x: Math.max(0, Math.min(data.width, q.x)), y: Math.max(0, Math.min(data.height, q.y)) };
  }
  function el(name, attrs) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function round(v) { return Math.round(v * 100) / 100; }

  function draw() {
    if (textDoc) { drawText(); } else { drawImage(); }
    drawList();
  }

  function drawText() {
    // the text as pieces, each span a <mark>; textContent stays the raw text, so offsets hold
    var spans = [];
    state.labels.forEach(function (b, i) { if (b.entity) { spans.push({ s: b.start, e: b.end, i: i, t: b.entity }); } });
    spans.sort(function (a, b) { return a.s - b.s || a.e - b.e; });
    textDoc.textContent = "";
    var at = 0;
    spans.forEach(function (sp) {
      if (sp.s < at) { return; }
      if (sp.s > at) { textDoc.appendChild(document.createTextNode(data.doc.slice(at, sp.s))); }
      var m = document.createElement("mark");
      m.setAttribute("data-entity", sp.t);
      m.setAttribute("title", sp.t);
      if (sp.i === state.selected) { m.className = "selected"; }
      m.textContent = data.doc.slice(sp.s, sp.e);
      m.addEventListener("click", function () { state.selected = sp.i; draw(); });
      textDoc.appendChild(m);
      at = sp.e;
    });
    if (at < data.doc.length) { textDoc.appendChild(document.createTextNode(data.doc.slice(at))); }
  }

  function offsetIn(node, offset) {  // a (node, offset) of the selection as a character offset in the text
    var range = document.createRange();
    range.setStart(textDoc, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }
  function markEntity(i) {
    if (!textDoc || !data.editable || i < 0 || i >= (data.entity_types || []).length) { return; }
    var sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed || !textDoc.contains(sel.anchorNode) || !textDoc.contains(sel.focusNode)) {
      say(data.text.select, true);
      return;
    }
    var r = sel.getRangeAt(0);
    var start = offsetIn(r.startContainer, r.startOffset), end = offsetIn(r.endContainer, r.endOffset);
    while (start < end && /\s/.test(data.doc[start])) { start++; }   // a span never starts or ends in spaces
    while (end > start && /\s/.test(data.doc[end - 1])) { end--; }
    if (end <= start) { return; }
    remember();
    state.labels.push({ entity: data.entity_types[i], start: start, end: end });
    state.selected = state.labels.length - 1;
    sel.removeAllRanges();
    changed();
  }

  function drawImage() {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    (data.prelabels || []).filter(function (b) { return b.bbox; }).forEach(function (b) {
      svg.appendChild(el("rect", { "class": "pre", x: b.bbox[0], y: b.bbox[1], width: b.bbox[2], height: b.bbox[3] }));
    });
    state.labels.forEach(function (b, i) {
      if (!b.bbox) { return; }  // an image-level class
      var r = el("rect", { "class": "box" + (i === state.selected ? " selected" : ""), x: b.bbox[0], y: b.bbox[1],
                           width: b.bbox[2], height: b.bbox[3], "data-index": i });
      svg.appendChild(r);
      var unit = data.width / Math.max(1, canvas.clientWidth || data.width);  // image px per screen px
      var t = el("text", { x: b.bbox[0] + 2 * unit, y: Math.max(12 * unit, b.bbox[1] - 3 * unit),
                           "font-size": 12 * unit, "stroke-width": 3 * unit });
      t.textContent = b.category;
      svg.appendChild(t);
      if (i === state.selected && data.editable) {
        var s = 10 * data.width / Math.max(1, canvas.clientWidth || data.width);  // 10 screen px
        svg.appendChild(el("rect", { "class": "handle", x: b.bbox[0] + b.bbox[2] - s / 2, y: b.bbox[1] + b.bbox[3] - s / 2,
                                     width: s, height: s, "data-handle": i }));
      }
    });
  }

  function drawList() {
    list.innerHTML = "";
    state.labels.forEach(function (b, i) {
      var li = document.createElement("li");
      li.className = i === state.selected ? "selected" : "";
      li.textContent = (i + 1) + ". " + (b.entity ? b.entity + " \u201c" + data.doc.slice(b.start, b.end) + "\u201d"
        : b.category + (b.bbox ? " [" + b.bbox.map(function (v) { return Math.round(v); }).join(", ") + "]" : ""));
      li.addEventListener("click", function () { state.selected = i; draw(); });
      list.appendChild(li);
    });
    document.querySelectorAll("[data-class]").forEach(function (btn) {
      var i = +btn.getAttribute("data-class");
      btn.classList.toggle("active", classifying ? state.labels.some(function (b) { return b.category === data.classes[i]; })
                                                 : i === state.cls);
    });
    root.setAttribute("data-boxes", String(state.labels.length));
  }

  var drag = null;
  if (svg) {
  svg.addEventListener("pointerdown", function (evt) {
    if (!data.editable || evt.button !== 0 || data.kind === "classification") { return; }
    var p = point(evt);
    var handle = evt.target.getAttribute("data-handle");
    var index = evt.target.getAttribute("data-index");
    remember();
    if (handle !== null) {
      drag = { mode: "resize", i: +handle, start: p, box: clone(state.labels[+handle].bbox) };
    } else if (index !== null) {
      state.selected = +index;
      drag = { mode: "move", i: +index, start: p, box: clone(state.labels[+index].bbox) };
    } else {
      state.labels.push({ category: data.classes[state.cls], bbox: [p.x, p.y, 0, 0] });
      state.selected = state.labels.length - 1;
      drag = { mode: "draw", i: state.selected, start: p };
    }
    svg.setPointerCapture(evt.pointerId);
    draw();
    evt.preventDefault();
  });
  svg.addEventListener("pointermove", function (evt) {
    if (!drag) { return; }
    var p = point(evt), b = state.labels[drag.i].bbox;
    if (drag.mode === "draw") {
      b[0] = Math.min(p.x, drag.start.x); b[1] = Math.min(p.y, drag.start.y);
      b[2] = Math.abs(p.x - drag.start.x); b[3] = Math.abs(p.y - drag.start.y);
    } else if (drag.mode === "move") {
      b[0] = Math.max(0, Math.min(data.width - b[2], drag.box[0] + p.x - drag.start.x));
      b[1] = Math.max(0, Math.min(data.height - b[3], drag.box[1] + p.y - drag.start.y));
    } else {
      b[2] = Math.max(MIN, Math.min(data.width - b[0], drag.box[2] + p.x - drag.start.x));
      b[3] = Math.max(MIN, Math.min(data.height - b[1], drag.box[3] + p.y - drag.start.y));
    }
    draw();
  });
  function endDrag() {
    if (!drag) { return; }
    var b = state.labels[drag.i].bbox;
    if (drag.mode === "draw" && (b[2] < MIN || b[3] < MIN)) {  // a click, not a box
      state.labels.splice(drag.i, 1);
      state.history.pop();
      state.selected = -1;
    } else {
      state.labels[drag.i].bbox = b.map(round);
      state.dirty = true;
    }
    drag = null;
    draw();
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  }

  var classifying = data.kind === "classification" || !!textDoc;  // one class per image or text
  function chooseClass(i) {
    if (i < 0 || i >= data.classes.length) { return; }
    state.cls = i;
    if (classifying) {
      if (!data.editable) { return; }
      remember();
      state.labels = [{ category: data.classes[i] }].concat(state.labels.filter(function (b) { return !("category" in b); }));
      changed();
      return;
    }
    if (state.selected >= 0 && data.editable) {
      remember();
      state.labels[state.selected].category = data.classes[i];
      changed();
    }
    draw();
  }
  function removeSelected() {
    if (state.selected < 0 || !data.editable) { return; }
    remember();
    state.labels.splice(state.selected, 1);
    state.selected = -1;
    changed();
  }
  function undo() {
    if (!state.history.length) { return; }
    state.labels = state.history.pop();
    state.selected = -1;
    changed();
  }
  function acceptPre() {
    if (!data.editable || !(data.prelabels || []).length) { return; }
    remember();
    state.labels = clone(data.prelabels);
    changed();
    say(data.text.accepted);
  }
  function zoom(f) {
    if (!canvas) { return; }
    state.zoom = Math.max(0.25, Math.min(16, state.zoom * f));
    canvas.style.width = Math.round(data.width * state.zoom) + "px";  // the scroll area grows with it
    root.setAttribute("data-zoom", state.zoom.toFixed(2));
    draw();
  }
  function save(submit) {
    if (!data.editable || state.busy) { return Promise.resolve(false); }
    state.busy = true;
    say(data.text.saving);
    return fetch(root.getAttribute("data-save-url"), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ labels: state.labels, revision: state.revision, submit: !!submit })
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    }).then(function (res) {
      state.busy = false;
      if (res.status === 200) {
        state.revision = res.body.revision;
        state.labels = res.body.labels;
        state.dirty = false;
        root.setAttribute("data-revision", String(state.revision));
        document.querySelector("[data-field=status]").textContent = data.text.statuses[res.body.status] || res.body.status;
        if (res.body.status !== "todo" && res.body.status !== "sent_back") {
          data.editable = false;
          root.setAttribute("data-editable", "false");
        }
        say(submit ? data.text.submitted : data.text.saved);
        draw();
        return true;
      }
      say(data.text.not_saved + " " + (res.body.message || res.status), true);
      return false;
    }).catch(function (err) { state.busy = false; say(data.text.not_saved + " " + err, true); return false; });
  }
  function go(which) {
    var link = document.querySelector("[data-nav=" + which + "]");
    if (!link) { return; }
    if (state.dirty && data.editable) {
      save(false).then(function (ok) { if (ok) { window.location = link.href; } });
    } else {
      window.location = link.href;
    }
  }

  document.addEventListener("keydown", function (evt) {
    var tag = (evt.target.tagName || "").toLowerCase();
    if (tag === "textarea" || tag === "input" || tag === "select") { return; }
    var k = evt.key;
    if ((evt.ctrlKey || evt.metaKey) && k.toLowerCase() === "z") { undo(); evt.preventDefault(); return; }
    if (evt.ctrlKey || evt.metaKey || evt.altKey) { return; }
    if (evt.shiftKey && /^Digit[1-9]$/.test(evt.code)) { markEntity(+evt.code.slice(5) - 1); }
    else if (/^[1-9]$/.test(k)) { chooseClass(+k - 1); }
    else if (k === "Delete" || k === "Backspace") { removeSelected(); }
    else if (k === "a" || k === "A") { acceptPre(); }
    else if (k === "s" || k === "S") { save(false); }
    else if (k === "Enter") { save(true); }
    else if (k === "+" || k === "=") { zoom(1.25); }
    else if (k === "-") { zoom(0.8); }
    else if (k === "n" || k === "N" || k === "ArrowRight") { go("next"); }
    else if (k === "p" || k === "P" || k === "ArrowLeft") { go("previous"); }
    else if (k === "Escape") { state.selected = -1; draw(); }
    else { return; }
    evt.preventDefault();
  });
  document.querySelectorAll("[data-class]").forEach(function (btn) {
    btn.addEventListener("click", function () { chooseClass(+btn.getAttribute("data-class")); });
  });
  [["labeler-undo", undo], ["labeler-accept-pre", acceptPre], ["labeler-save", function () { save(false); }],
   ["labeler-submit", function () { save(true); }]].forEach(function (pair) {
    var b = document.getElementById(pair[0]);
    if (b) { b.addEventListener("click", pair[1]); }
  });
  window.addEventListener("beforeunload", function (evt) {
    if (state.dirty && data.editable) { evt.preventDefault(); evt.returnValue = ""; }
  });
  function fit() {  // small images (a defect crop) are shown enlarged to half the room at least
    if (!canvas) { draw(); return; }
    var room = document.getElementById("labeler-scroll").clientWidth;
    zoom(data.width < room / 2 ? Math.max(1, Math.floor(room / data.width / 1.5)) : Math.min(1, room / data.width));
  }
  document.querySelectorAll("[data-entity-type]").forEach(function (btn) {
    btn.addEventListener("mousedown", function (evt) { evt.preventDefault(); });  // keep the text selection
    btn.addEventListener("click", function () { markEntity(+btn.getAttribute("data-entity-type")); });
  });
  if (!image || image.complete) { fit(); } else { image.addEventListener("load", fit); }
  root.setAttribute("data-editable", String(!!data.editable));
  root.setAttribute("data-ready", "true");
})();
