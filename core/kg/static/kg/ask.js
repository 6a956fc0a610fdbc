/* The ask box (kg/partials/ask_box.html): sends the question to the graph's ask API with
   a GET (the session's login; no CSRF token needed), fills the answer in from the box's
   <template>, and announces what the answer cites with a "kg:answer" event on document
   ({graph, keys, centre, answered}) for the page's drawing to highlight: viewer.js on the
   knowledge-graph viewer, energy's grid.js on a grid page. Text goes in as text, never as
   HTML: answers quote the graph's names. */
(function () {
  "use strict";

  var MAX_KEYS = 60;  // the viewer draws at most this many cited entities (views/pages.py)
  var asked = 0;

  function part(root, name) { return root.querySelector("[data-part='" + name + "']"); }
  function field(root, name) { return root.querySelector("[data-field='" + name + "']"); }

  function show(el, text) {
    if (text !== undefined) { el.textContent = text; }
    el.hidden = false;
  }

  function label(e) {
    return e.label || e.name || e.key;
  }

  // Older answers list their entities in `answer` ([{key, label, ...}] or [{value}]).
  function entities(a) {
    if (Array.isArray(a.entities)) { return a.entities; }
    return Array.isArray(a.answer) ? a.answer.filter(function (e) { return e && e.key; }) : [];
  }

  function chip(box, e) {
    var link = document.createElement("a");
    link.className = "kg-chip";
    link.href = box.getAttribute("data-viewer-url") + "?entity=" + encodeURIComponent(e.key);
    link.setAttribute("data-kg-entity", e.key);
    link.title = e.key;
    link.textContent = label(e);
    if (e.cls) {
      var cls = document.createElement("span");
      cls.className = "kg-chip-cls";
      cls.textContent = e.cls;
      link.appendChild(cls);
    }
    return link;
  }

  function names(a) {
    // key -> display name, from everything the answer names
    var out = {};
    entities(a).concat(a.subject ? [a.subject] : []).forEach(function (e) { out[e.key] = label(e); });
    (a.triples || []).forEach(function (t, i) {
      var named = (a.triples_named || [])[i];
      if (named) {
        out[t[0]] = out[t[0]] || named[0];
        if (typeof t[2] === "string") { out[t[2]] = out[t[2]] || named[2]; }
      }
    });
    return out;
  }

  // An entity of the answer (a triple's object may be an attribute's value instead).
  function isKey(a, value) {
    if (typeof value !== "string") { return false; }
    return (a.triples || []).some(function (t) { return t[0] === value; }) ||
      entities(a).some(function (e) { return e.key === value; }) ||
      Boolean(a.subject && a.subject.key === value) || (a.path || []).indexOf(value) >= 0;
  }

  function cell(box, a, value, name) {
    var td = document.createElement("td");
    if (isKey(a, value)) {
      td.appendChild(chip(box, { key: value, label: name }));
    } else {
      td.textContent = name === undefined || name === null ? String(value) : String(name);
    }
    return td;
  }

  /* The entities the answer stands on: its subject, the entities it names, the path and
     both ends of each cited triple (an attribute triple's value is no entity). */
  function cited(a) {
    var keys = [];
    function add(k) { if (typeof k === "string" && k && keys.indexOf(k) < 0) { keys.push(k); } }
    if (a.answer === null || a.answer === undefined) { return keys; }
    if (a.subject) { add(a.subject.key); }
    entities(a).forEach(function (e) { add(e.key); });
    (a.path || []).forEach(add);
    // A string object that is no entity (an attribute's text) matches nothing in a drawing.
    (a.triples || []).forEach(function (t) { add(t[0]); add(t[2]); });
    return keys.slice(0, MAX_KEYS);
  }

  function render(box, a) {
    var node = document.getElementById("kg-ask-template").content.firstElementChild.cloneNode(true);
    var unknown = a.answer === null;
    node.setAttribute("data-answered", unknown ? "false" : "true");
    if (a.intent || (a.relation && a.relation.intent)) { node.setAttribute("data-intent", a.intent || a.relation.intent); }
    if (unknown) {
      show(part(node, "unknown"));
      field(node, "message").textContent = a.message || a.text || "";
      field(node, "reason").textContent = a.reason || "";
    } else {
      if (typeof a.boolean === "boolean") {
        var yes = field(node, "boolean");
        show(yes, box.getAttribute(a.boolean ? "data-text-yes" : "data-text-no"));
        yes.classList.add(a.boolean ? "ok" : "bad");
        show(part(node, "value"));
      }
      if (typeof a.number === "number") {
        show(field(node, "number"), String(a.number));
        show(part(node, "value"));
      }
      if (a.text) { show(field(node, "text"), a.text); }
    }
    if (a.subject && a.subject.key) {
      node.querySelector("[data-chips='subject']").appendChild(chip(box, a.subject));
      show(part(node, "subject"));
    }
    var list = unknown ? [] : entities(a);
    if (list.length) {
      var holder = node.querySelector("[data-chips='entities']");
      list.forEach(function (e) { holder.appendChild(chip(box, e)); });
      show(part(node, "entities"));
    }
    if (!unknown && Array.isArray(a.path) && a.path.length) {
      var known = names(a), steps = node.querySelector("[data-chips='path']");
      a.path.forEach(function (key, i) {
        if (i) { steps.appendChild(document.createTextNode(" → ")); }
        steps.appendChild(chip(box, { key: key, label: known[key] || key }));
      });
      show(part(node, "path"));
    }
    if (Array.isArray(a.triples) && a.triples.length) {
      var body = field(node, "triples");
      a.triples.forEach(function (t, i) {
        var named = (a.triples_named || [])[i] || t;
        var row = document.createElement("tr");
        row.appendChild(cell(box, a, t[0], named[0]));
        var rel = document.createElement("td");
        rel.className = "mono";
        rel.textContent = t[1];
        row.appendChild(rel);
        row.appendChild(cell(box, a, t[2], named[2]));
        body.appendChild(row);
      });
      show(part(node, "triples"));
    }
    var query = a.query || (a.relation ? { relation: a.relation } : null);
    if (query) {
      field(node, "query").textContent = JSON.stringify(query, null, 1);
      field(node, "intent").textContent = a.intent || (a.relation && a.relation.intent) || "";
      show(part(node, "query"));
    }
    place(box, node);
    var keys = cited(a), centre = a.subject && a.subject.key || keys[0] || null;
    document.dispatchEvent(new CustomEvent("kg:answer", {
      detail: { graph: box.getAttribute("data-graph"), keys: keys, centre: centre, answered: !unknown }
    }));
  }

  function fail(box, message) {
    var node = document.getElementById("kg-ask-template").content.firstElementChild.cloneNode(true);
    node.setAttribute("data-answered", "error");
    show(field(node, "error"), message);
    show(part(node, "error"));
    place(box, node);
  }

  function place(box, node) {
    var result = box.querySelector(".kg-ask-result");
    result.textContent = "";
    result.appendChild(node);
  }

  function busy(box, on) {
    box.querySelector(".kg-ask-busy").hidden = !on;
    box.querySelector("button[type=submit]").disabled = on;
    box.setAttribute("aria-busy", on ? "true" : "false");
  }

  function ask(box, question) {
    var turn = ++asked;
    var url = new URL(box.getAttribute("data-url"), window.location.href);
    url.searchParams.set("question", question);
    busy(box, true);
    fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (res) {
        if (turn !== asked) { return; }  // a later question's answer wins
        if (res.status === 200) {
          render(box, res.body);
        } else {
          // 400 (empty or too long a question), 503 (the encoder cannot load): the API says why
          fail(box, res.body.message || box.getAttribute("data-text-failed") + " (HTTP " + res.status + ")");
        }
      })
      .catch(function () {
        if (turn === asked) { fail(box, box.getAttribute("data-text-offline")); }
      })
      .then(function () { if (turn === asked) { busy(box, false); } });
  }

  document.addEventListener("submit", function (evt) {
    var form = evt.target.closest && evt.target.closest("[data-kg-ask-form]");
    if (!form) { return; }
    evt.preventDefault();
    ask(form.closest("[data-kg-ask]"), form.querySelector("input[name=question]").value);
  });

  document.addEventListener("click", function (evt) {
    var hint = evt.target.closest && evt.target.closest("[data-kg-ask-hint]");
    if (!hint) { return; }
    var box = hint.closest("[data-kg-ask]");
    var input = box.querySelector("input[name=question]");
    input.value = hint.getAttribute("data-kg-ask-hint");
    ask(box, input.value);
  });
})();
