// The review page: documents with their figures highlighted, a filterable table of figures, the facts with
// conflicts first, and per figure the decision line to paste into seeds/<collection>/review.csv.
// Everything it shows is in the JSON of <script id="review-data">; nothing is fetched.
"use strict";

window.onerror = function (message, source, line) {
  reportError(message + " (line " + line + ")");
};
window.addEventListener("unhandledrejection", function (e) { reportError(String(e.reason)); });

function reportError(text) {
  var box = document.getElementById("js-errors");
  if (!box) {
    box = document.createElement("div");
    box.id = "js-errors";
    document.body.insertBefore(box, document.body.firstChild);
  }
  var p = document.createElement("p");
  p.className = "js-error";
  p.textContent = "Page error: " + text;
  box.appendChild(p);
}

var DATA = JSON.parse(document.getElementById("review-data").textContent);
var PAGE = 100;  // rows of the figures table, facts per "show more"
var FIGS = DATA.figures.rows.map(function (r) {
  var o = {};
  DATA.figures.columns.forEach(function (c, i) { o[c] = r[i]; });
  return o;
});
var BY_ID = {};
FIGS.forEach(function (f) { BY_ID[f.figure_id] = f; });
var DOC_INDEX = {};
DATA.docs.forEach(function (d, i) { DOC_INDEX[d.source_id] = i; d.figures = []; });
FIGS.forEach(function (f) { if (f.source_id in DOC_INDEX) DATA.docs[DOC_INDEX[f.source_id]].figures.push(f); });
var FACT_OF = {};
DATA.facts.forEach(function (q) { q.figures.forEach(function (id) { FACT_OF[id] = q.fact_id; }); });
var state = { tab: "documents", doc: 0, selected: null, page: 0, factsShown: PAGE, all: location.hash === "#all" };

function esc(s) {
  return String(s == null ? "" : s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
function el(id) { return document.getElementById(id); }
function num(v) { return v == null || v === "" ? "" : Number(v).toLocaleString("en"); }

function valueText(f) {
  if (f.value != null && f.value !== "") return num(f.value);
  if (f.value_low != null || f.value_high != null) return num(f.value_low) + "–" + num(f.value_high);
  return f.value_as_written;
}
function summary(f) {
  var place = f.category === "distance" ? [f.origin, f.destination].filter(Boolean).join(" → ") : f.location;
  return [valueText(f) + " " + f.unit, f.term, f.qualifier, f.modality, place, f.reference_period,
    f.attributed_to, f.review, f.figure_id].filter(Boolean).join(" · ");
}

// ---------------------------------------------------------------- documents

function highlighted(doc) {
  // Quotes nest or follow each other; a quote that starts inside another and ends after it is cut at the
  // other's end, so that every figure is exactly one element.
  var figs = doc.figures.slice().sort(function (a, b) { return a.char_start - b.char_start || b.char_end - a.char_end; });
  var opens = {}, closes = {}, stack = [];
  figs.forEach(function (f) {
    while (stack.length && stack[stack.length - 1].end <= f.char_start) stack.pop();
    var end = f.char_end;
    if (stack.length && end > stack[stack.length - 1].end) end = stack[stack.length - 1].end;
    (opens[f.char_start] = opens[f.char_start] || []).push(f);
    closes[end] = (closes[end] || 0) + 1;
    stack.push({ end: end });
  });
  var text = doc.text, out = [], last = 0;
  var cuts = Object.keys(opens).concat(Object.keys(closes)).map(Number)
    .filter(function (v, i, a) { return a.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
  cuts.forEach(function (pos) {
    out.push(esc(text.slice(last, pos)));
    last = pos;
    for (var i = 0; i < (closes[pos] || 0); i++) out.push("</span>");
    (opens[pos] || []).forEach(function (f) {
      out.push('<span class="fig cat-' + esc(f.category) + " rev-" + esc(f.review) + '" data-figure-id="' +
        esc(f.figure_id) + '" title="' + esc(summary(f)) + '">');
    });
  });
  out.push(esc(text.slice(last)));
  return out.join("");
}

function renderDoc(i) {
  var d = DATA.docs[i];
  return '<section class="doc" data-source-id="' + esc(d.source_id) + '"><h2>' + esc(d.label) +
    ' <span class="muted">' + (d.label !== d.source_id ? esc(d.source_id) + " · " : "") + d.figures.length +
    " figures</span></h2><pre>" +
    highlighted(d) + "</pre></section>";
}

function showDocuments(target) {
  var list = DATA.docs.map(function (d, i) {
    return '<a href="#" data-doc="' + i + '" class="' + (i === state.doc ? "active" : "") + '">' + esc(d.label) +
      " <small>" + d.figures.length + "</small></a>";
  }).join("");
  var docs = state.all ? DATA.docs.map(function (_, i) { return renderDoc(i); }).join("") :
    (DATA.docs.length ? renderDoc(state.doc) : '<p class="muted">No documents.</p>');
  (target || el("view")).innerHTML = '<div style="display:flex;gap:1em"><nav id="doclist">' + list + '</nav><div style="flex:1">' +
    docs + "</div></div>";
  if (state.selected) mark(state.selected, false);
}

// ---------------------------------------------------------------- figures table

function filtered() {
  var q = (el("f-text") ? el("f-text").value : "").toLowerCase();
  var cat = el("f-category") ? el("f-category").value : "", rev = el("f-review") ? el("f-review").value : "";
  return FIGS.filter(function (f) {
    if (cat && f.category !== cat) return false;
    if (rev && f.review !== rev) return false;
    if (!q) return true;
    return DATA.figures.columns.some(function (c) { return String(f[c] == null ? "" : f[c]).toLowerCase().indexOf(q) >= 0; });
  });
}

function options(values, all) {
  return '<option value="">' + all + "</option>" + values.map(function (v) {
    return '<option value="' + esc(v) + '">' + esc(v) + "</option>";
  }).join("");
}

function showFigures() {
  el("view").innerHTML = '<div class="filters"><input id="f-text" placeholder="filter: any field" size="30">' +
    '<select id="f-category">' + options(DATA.categories, "every category") + "</select>" +
    '<select id="f-review">' + options(DATA.statuses, "every review status") + "</select>" +
    '<span id="f-count" class="muted"></span><span class="pager" id="f-pager"></span></div><div id="f-table"></div>';
  ["f-text", "f-category", "f-review"].forEach(function (id) {
    el(id).addEventListener("input", function () { state.page = 0; figureRows(); });
  });
  figureRows();
}

function figureRows() {
  var rows = filtered(), pages = Math.max(1, Math.ceil(rows.length / PAGE));
  state.page = Math.min(state.page, pages - 1);
  var shown = rows.slice(state.page * PAGE, (state.page + 1) * PAGE);
  el("f-count").textContent = rows.length + " of " + FIGS.length + " figures";
  el("f-pager").innerHTML = pages > 1 ? '<button data-page="-1">‹</button>' + (state.page + 1) + " / " + pages +
    ' <button data-page="1">›</button>' : "";
  var cols = ["figure_id", "source_id", "category", "term", "value_as_written", "unit", "qualifier", "location",
    "reference_period", "attributed_to", "review", "quote"];
  el("f-table").innerHTML = "<table><tr>" + cols.map(function (c) { return "<th>" + esc(c) + "</th>"; }).join("") +
    "<th>copy</th></tr>" + shown.map(function (f) {
      return '<tr class="row" data-goto="' + esc(f.figure_id) + '">' + cols.map(function (c) {
        return "<td>" + esc(f[c]) + "</td>";
      }).join("") + '<td><button class="copy" data-copy="verify" data-id="' + esc(f.figure_id) +
        '">verify</button><button class="copy" data-copy="reject" data-id="' + esc(f.figure_id) + '">reject</button></td></tr>';
    }).join("") + "</table>";
}

// ---------------------------------------------------------------- facts

function showFacts(target) {
  var facts = DATA.facts.slice().sort(function (a, b) {
    return (a.status === "conflict" ? 0 : 1) - (b.status === "conflict" ? 0 : 1) || a.rank - b.rank;
  });
  var n = state.all ? facts.length : Math.min(facts.length, state.factsShown);
  (target || el("view")).innerHTML = '<p class="muted">' + facts.length + " facts, " +
    facts.filter(function (q) { return q.status === "conflict"; }).length + " in conflict (listed first)</p>" +
    facts.slice(0, n).map(renderFact).join("") +
    (n < facts.length ? '<button id="more-facts">show ' + Math.min(PAGE, facts.length - n) + " more</button>" : "");
}

function renderFact(q) {
  var range = q.best != null ? num(q.best) : "";
  if (q.low != null || q.high != null) range += " (" + num(q.low) + "–" + num(q.high) + ")";
  var place = q.location || [q.origin, q.destination].filter(Boolean).join(" ↔ ");
  return '<div class="fact status-' + esc(q.status) + '" data-fact-id="' + esc(q.fact_id) + '"><b>' + esc(q.term) +
    "</b> " + esc(range) + " " + esc(q.unit) + " " + esc(place || "") + " " + esc(q.reference_period || "") +
    ' <span class="badge status">' + esc(q.status) + '</span> <span class="badge">' + esc(q.modality) +
    '</span> <span class="muted">' + esc(q.fact_id) + "</span><ul>" + q.figures.map(function (id) {
      var f = BY_ID[id];
      return f ? '<li><a data-goto="' + esc(id) + '">“' + esc(f.quote) + "”</a> <span class=\"muted\">" +
        esc(DATA.docs[DOC_INDEX[f.source_id]] ? DATA.docs[DOC_INDEX[f.source_id]].label : f.source_id) +
        " · " + esc(valueText(f)) + "</span></li>" : "<li>" + esc(id) + "</li>";
    }).join("") + "</ul></div>";
}

// ---------------------------------------------------------------- details and decisions

function csvCell(s) {
  s = String(s == null ? "" : s);
  return /[",\n\r]/.test(s) || s !== s.trim() ? '"' + s.replace(/"/g, '""') + '"' : s;
}
function decisionLine(id, decision, field, value, reason) {
  return [id, decision, field || "", value == null ? "" : value, reason].map(csvCell).join(",");
}

function showDetails(f) {
  var rows = [["figure", f.figure_id], ["review", f.review + (f.review_reason ? ": " + f.review_reason : "")],
    ["value", valueText(f) + " (" + f.qualifier + ", as written “" + f.value_as_written + "”)"],
    ["unit", f.unit + (f.unit_as_written ? " (“" + f.unit_as_written + "”)" : "")], ["term", f.term],
    ["category", f.category], ["hedge", f.qualifier + ", " + f.modality], ["group", f.group],
    ["place", f.category === "distance" ? (f.origin || "?") + " → " + (f.destination || "?") : f.location],
    ["period", f.reference_period], ["attribution", f.attributed_to], ["rule", f.rule], ["fact", FACT_OF[f.figure_id]],
    ["quote", "“" + f.quote + "”"], ["document", f.source_id + " " + f.char_start + "–" + f.char_end]];
  el("details").innerHTML = "<dl>" + rows.map(function (r) {
    return "<dt>" + esc(r[0]) + "</dt><dd>" + esc(r[1]) + "</dd>";
  }).join("") + '</dl><label>reason<br><textarea id="d-reason" rows="2" style="width:100%">' +
    esc("“" + f.quote + "”: ") + "</textarea></label><br>" +
    '<button class="copy" data-copy="verify" data-id="' + esc(f.figure_id) + '">copy verify line</button>' +
    '<button class="copy" data-copy="reject" data-id="' + esc(f.figure_id) + '">copy reject line</button><br>' +
    '<select id="d-field">' + DATA.fixable.map(function (c) { return "<option>" + esc(c) + "</option>"; }).join("") +
    '</select> <input id="d-value" size="14"> <button class="copy" data-copy="fix" data-id="' + esc(f.figure_id) +
    '">copy fix line</button><p class="muted">verify line:</p><pre id="d-line"></pre><p class="muted">Lines copied so far (paste them into ' + esc(DATA.decisionsFile) +
    '):</p><textarea id="decisions-box" readonly>' + esc(state.copied || "") + "</textarea>";
  var reason = el("d-reason");
  function preview() { el("d-line").textContent = decisionLine(f.figure_id, "verify", "", "", reason.value.trim()); }
  reason.addEventListener("input", preview);
  preview();
  var field = el("d-field");
  field.addEventListener("change", function () { el("d-value").value = f[field.value] == null ? "" : f[field.value]; });
  field.value = "location";
  el("d-value").value = f.location == null ? "" : f.location;
}

function copyDecision(kind, id) {
  var f = BY_ID[id], reasonBox = el("d-reason");
  var reason = reasonBox && state.selected === id ? reasonBox.value.trim() :
    "“" + f.quote + "”: " + (kind === "verify" ? "as extracted." : "");
  var line = kind === "fix" ? decisionLine(id, "fix", el("d-field").value, el("d-value").value, reason) :
    decisionLine(id, kind, "", "", reason);
  state.copied = (state.copied ? state.copied + "\n" : "") + line;
  var box = el("decisions-box");
  if (box) { box.textContent = state.copied; box.value = state.copied; }  // the lines stay visible to copy by hand
  copyText(line);
}

function copyText(text) {
  function fallback() {
    var t = document.createElement("textarea");
    t.value = text;
    document.body.appendChild(t);
    t.select();
    try { document.execCommand("copy"); } catch (e) { /* the line stays in the box to copy by hand */ }
    document.body.removeChild(t);
  }
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).catch(fallback);
  else fallback();
}

function mark(id, scroll) {
  document.querySelectorAll(".fig.selected").forEach(function (n) { n.classList.remove("selected"); });
  var node = document.querySelector('.fig[data-figure-id="' + id + '"]');
  if (!node) return;
  node.classList.add("selected");
  if (scroll) {
    node.scrollIntoView({ block: "center" });
    node.classList.remove("flash");
    void node.offsetWidth;
    node.classList.add("flash");
  }
}

function select(id, scroll) {
  var f = BY_ID[id];
  if (!f) return;
  state.selected = id;
  showDetails(f);
  if (scroll) {
    state.doc = DOC_INDEX[f.source_id];
    show("documents");
    mark(id, true);
  } else {
    mark(id, false);
  }
}

// ---------------------------------------------------------------- wiring

function show(tab) {
  state.tab = tab;
  document.querySelectorAll("header nav button").forEach(function (b) {
    b.classList.toggle("active", b.dataset.tab === tab);
  });
  ({ documents: showDocuments, figures: showFigures, facts: showFacts })[tab]();
}

document.addEventListener("click", function (e) {
  var t = e.target;
  if (t.dataset.tab) return show(t.dataset.tab);
  if (t.dataset.copy) { e.stopPropagation(); return copyDecision(t.dataset.copy, t.dataset.id); }
  if (t.dataset.doc) { e.preventDefault(); state.doc = Number(t.dataset.doc); return showDocuments(); }
  if (t.closest && t.closest("#doclist a")) { e.preventDefault(); state.doc = Number(t.closest("#doclist a").dataset.doc); return showDocuments(); }
  if (t.dataset.page) { state.page += Number(t.dataset.page); return figureRows(); }
  if (t.id === "more-facts") { state.factsShown += PAGE; return showFacts(); }
  var go = t.closest("[data-goto]");
  if (go) return select(go.dataset.goto, true);
  var fig = t.closest(".fig");
  if (fig) { e.stopPropagation(); return select(fig.dataset.figureId, false); }
});

function init() {
  var counts = {};
  FIGS.forEach(function (f) { counts[f.review] = (counts[f.review] || 0) + 1; });
  el("counts").textContent = FIGS.length + " figures (" + Object.keys(counts).sort().map(function (k) {
    return counts[k] + " " + k;
  }).join(", ") + "), " + DATA.facts.length + " facts, " + DATA.docs.length + " documents";
  if (state.all) {
    // Everything at once, for printing and for the browser tests: every document, then every fact.
    showDocuments();
    var facts = document.createElement("div");
    el("view").appendChild(facts);
    showFacts(facts);
  } else if (location.hash.indexOf("#figure=") === 0 && BY_ID[location.hash.slice(8)]) {
    select(location.hash.slice(8), true);  // a link to one figure: its document, scrolled to it, details open
  } else {
    show("documents");
  }
  document.body.dataset.ready = "true";
}
init();
