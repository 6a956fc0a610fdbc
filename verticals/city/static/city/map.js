/* The one map. Leaflet draws the district's OpenStreetMap layers as vectors on a plain
   background: no tile layer, so nothing leaves the site. Cameras, sensors and events come
   from the map API; events are polled every few seconds and filtered by the time slider. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("city-map-config").textContent);
  var T = config.text;
  var el = document.getElementById("city-map");
  var HOUR = 3600 * 1000;
  var SLIDER_MAX = 1000;
  var DEFAULT_CENTRE = [60.1699, 24.9384];  // central Helsinki, only when nothing is imported
  var CAMERA_COLOURS = { online: "#1e9e6a", degraded: "#b7711a", offline: "#7f8c8d", error: "#c6372f",
                         unknown: "#9aa5b1" };
  var SEVERITY_COLOURS = { 1: "#f4d03f", 2: "#eb984e", 3: "#dc7633", 4: "#c0392b" };
  var SENSOR_COLOURS = { air_quality: "#16a085", noise: "#8e44ad", water_level: "#2471a3",
                         traffic_count: "#ca6f1e" };

  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function withParams(url, params) {
    var parts = [];
    Object.keys(params).forEach(function (k) {
      if (params[k] !== null && params[k] !== undefined && params[k] !== "") {
        parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(params[k]));
      }
    });
    if (config.org && url.indexOf("org=") < 0) { parts.push("org=" + encodeURIComponent(config.org)); }
    return parts.length ? url + (url.indexOf("?") < 0 ? "?" : "&") + parts.join("&") : url;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error(url + ": HTTP " + r.status); }
        return r.json();
      });
  }

  function rows(pairs) {
    return "<dl>" + pairs.filter(function (p) { return p[1] !== null && p[1] !== undefined && p[1] !== ""; })
      .map(function (p) { return "<dt>" + esc(p[0]) + "</dt><dd>" + esc(p[1]) + "</dd>"; }).join("") + "</dl>";
  }

  function when(iso) { return iso ? new Date(iso).toLocaleString() : ""; }

  var map = L.map(el, { zoomControl: true, attributionControl: true, minZoom: 3, maxZoom: 20, zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  var control = L.control.layers(null, null, { collapsed: false }).addTo(map);
  var state = { layers: {}, events: [], since: null, until: null, cut: null, follow: true, widthHours: 0,
                span: "window", latest: null };
  window.cityMap = { map: map, state: state, control: control };

  /* Base layers: one Leaflet GeoJSON layer per imported OSM layer, styled by category. */
  function styleFor(layer) {
    var style = layer.style || {};
    return function (feature) {
      var category = feature && feature.properties ? feature.properties.category : "";
      var s = L.extend({}, style["default"] || {}, (style.by_category || {})[category] || {});
      s.className = "city-layer-" + layer.name;
      return s;
    };
  }

  function basePopup(layer) {
    var p = layer.feature.properties || {};
    var address = [p["addr:street"], p["addr:housenumber"]].filter(Boolean).join(" ");
    return "<h3>" + esc(p.name || p.category || "") + "</h3>" +
      rows([[T.kind, p.category], ["OSM", p.osm_id], ["", address]]);
  }

  function makeBaseLayer(layer) {
    var style = styleFor(layer);
    var geo = L.geoJSON(null, {
      style: style,
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, style(feature)); },
      onEachFeature: function (feature, leafletLayer) { leafletLayer.bindPopup(basePopup); }
    });
    geo.meta = layer;
    return geo;
  }

  function loadBase(entry, bounds) {
    var params = { limit: 20000 };
    if (bounds) { params.bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (v) { return v.toFixed(6); }).join(","); }
    return getJSON(withParams(entry.meta.features_url, params)).then(function (fc) {
      entry.geo.clearLayers();
      entry.geo.addData(fc);
      // A layer too large to send whole is fetched again for whatever the view shows.
      entry.byView = entry.byView || fc.truncated;
      return entry;
    });
  }

  function fitTo(bbox) {
    if (bbox && bbox.length === 4) {
      map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]], { padding: [8, 8] });
      return true;
    }
    return false;
  }

  /* Overlays: cameras, sensors, events. */
  var cameras = L.featureGroup().addTo(map);
  var sensors = L.featureGroup().addTo(map);
  var events = L.featureGroup().addTo(map);

  function drawCameras(fc) {
    cameras.clearLayers();
    fc.features.forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      var colour = CAMERA_COLOURS[p.status] || CAMERA_COLOURS.unknown;
      L.circleMarker([c[1], c[0]], { radius: 7, color: "#14325c", weight: 2, fillColor: colour, fillOpacity: 1,
                                     className: "city-camera city-camera-" + p.status })
        .bindPopup("<h3>" + esc(p.name) + "</h3>" + rows([[T.status, p.status_label], ["", p.status_message],
          [T.fps, p.measured_fps + " / " + p.analysis_fps]]) +
          (p.url ? '<a href="' + esc(p.url) + '">' + esc(T.open_camera) + "</a>" : ""))
        .addTo(cameras);
    });
  }

  function drawSensors(fc) {
    sensors.clearLayers();
    fc.features.forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      var reading = p.value === null ? T.no_reading : p.value + " " + p.unit;
      L.circleMarker([c[1], c[0]], { radius: 6, color: "#ffffff", weight: 2,
                                     fillColor: SENSOR_COLOURS[p.kind] || "#566573", fillOpacity: 1,
                                     className: "city-sensor city-sensor-" + p.kind })
        .bindPopup("<h3>" + esc(p.name) + "</h3>" + rows([[T.value, reading], [T.occurred, when(p.observed_at)]]) +
          (p.synthetic ? '<div class="city-synthetic">' + esc(T.synthetic) + "</div>" : ""))
        .addTo(sensors);
    });
  }

  /* The time slider picks the cut-off: events from (cut - window) to cut are drawn. At the
     right end it follows the newest events ("live"). */
  var slider = document.getElementById("city-time");
  var output = document.getElementById("city-time-value");
  var widthSelect = document.getElementById("city-time-width");
  var live = document.getElementById("city-live");
  var liveText = document.getElementById("city-live-text");
  document.getElementById("city-events-count-label").textContent = T.shown;

  function sliderTime() {
    var v = Number(slider.value);
    return state.since + (state.until - state.since) * v / SLIDER_MAX;
  }

  function drawEvents() {
    if (state.since === null) { return; }
    var cut = state.follow ? state.until : state.cut;
    var from = state.widthHours ? Math.max(state.since, cut - state.widthHours * HOUR) : state.since;
    events.clearLayers();
    var shown = 0;
    state.events.forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates, at = Date.parse(p.occurred_at);
      if (at < from || at > cut) { return; }
      shown += 1;
      L.circleMarker([c[1], c[0]], { radius: 8, color: "#7b241c", weight: 2,
                                     fillColor: SEVERITY_COLOURS[p.severity] || SEVERITY_COLOURS[2],
                                     fillOpacity: 0.9, className: "city-event city-event-" + p.status })
        .bindPopup("<h3>" + esc(p.title) + "</h3>" + rows([[T.kind, p.kind_label], [T.status, p.status_label],
          [T.severity, p.severity], [T.occurred, when(p.occurred_at)]]) +
          '<a href="' + esc(p.url) + '">' + esc(T.open_event) + "</a>")
        .addTo(events);
    });
    el.setAttribute("data-events-shown", String(shown));
    document.getElementById("city-events-count").textContent = String(shown);
    output.textContent = new Date(cut).toLocaleString();
    if (state.follow) { slider.value = String(SLIDER_MAX); }
    else { slider.value = String(Math.round((cut - state.since) / Math.max(state.until - state.since, 1) * SLIDER_MAX)); }
  }

  function setLive(ok) {
    live.setAttribute("data-live", state.follow ? "true" : "false");
    live.setAttribute("data-state", ok ? "ok" : "failed");
    liveText.textContent = (state.follow ? T.live : T.paused) + " · " + (ok ? T.updated + " " +
      new Date().toLocaleTimeString() : T.failed);
  }

  slider.addEventListener("input", function () {
    state.follow = Number(slider.value) >= SLIDER_MAX;
    state.cut = sliderTime();
    drawEvents();
    setLive(true);
  });
  widthSelect.addEventListener("change", function () {
    state.widthHours = Number(widthSelect.value);
    drawEvents();
  });

  function loadEvents(first) {
    var params = {};
    if (state.span === "events" && state.since !== null) { params.since = new Date(state.since).toISOString(); }
    return getJSON(withParams(config.urls.events, params)).then(function (fc) {
      var until = Date.parse(fc.until);
      var since = Date.parse(fc.since);
      if (first && fc.features.length === 0 && fc.latest) {
        // Nothing in the last day: span the slider from the day before the newest event.
        state.span = "events";
        state.since = Date.parse(fc.latest) - config.window_hours * HOUR;
        state.until = until;
        return loadEvents(false);
      }
      if (state.span !== "events") { state.since = since; }
      state.until = until;
      state.events = fc.features;
      drawEvents();
      return fc;
    });
  }

  function refreshPoints() {
    return Promise.all([getJSON(withParams(config.urls.cameras, {})).then(drawCameras),
                        getJSON(withParams(config.urls.sensors, {})).then(drawSensors)]);
  }

  function poll() {
    Promise.all([loadEvents(false), refreshPoints()])
      .then(function () { setLive(true); })
      .catch(function () { setLive(false); });
  }

  function note(text) {
    var div = L.DomUtil.create("div", "city-note");
    div.textContent = text;
    el.appendChild(div);
  }

  getJSON(config.urls.layers).then(function (listing) {
    var roads = listing.layers.filter(function (l) { return l.kind === "roads"; })[0];
    if (!fitTo(roads ? roads.bbox : listing.bbox)) {
      map.setView(DEFAULT_CENTRE, 14);
      note(T.no_layers);
    }
    if (listing.attribution && listing.layers.length) {
      map.attributionControl.addAttribution("© " + esc(listing.attribution));
    }
    // Buildings under roads under points: the SVG draws later layers on top.
    var order = { buildings: 0, other: 1, roads: 2, pois: 3 };
    var sorted = listing.layers.slice().sort(function (a, b) { return (order[a.kind] || 1) - (order[b.kind] || 1); });
    var entries = sorted.map(function (layer) {
      var entry = { meta: layer, geo: makeBaseLayer(layer), byView: false };
      state.layers[layer.name] = entry;
      return entry;
    });
    return Promise.all(entries.map(function (e) { return loadBase(e, null); })).then(function () {
      entries.forEach(function (e) {
        e.geo.addTo(map);
        control.addOverlay(e.geo, esc(e.meta.title));
      });
      // Overlays go on top of the base layers.
      [cameras, sensors, events].forEach(function (g) { g.remove(); g.addTo(map); });
      control.addOverlay(cameras, esc(T.cameras));
      control.addOverlay(sensors, esc(T.sensors));
      control.addOverlay(events, esc(T.events));
    });
  }).then(function () {
    return Promise.all([loadEvents(true), refreshPoints()]);
  }).then(function () {
    setLive(true);
    el.setAttribute("data-rendered", "true");
    window.setInterval(poll, config.poll_ms);
  }).catch(function (err) {
    setLive(false);
    note(String(err && err.message ? err.message : err));
    el.setAttribute("data-rendered", "error");
  });

  map.on("moveend", function () {
    Object.keys(state.layers).forEach(function (name) {
      var entry = state.layers[name];
      if (entry.byView && map.hasLayer(entry.geo)) { loadBase(entry, map.getBounds()); }
    });
  });
})();
