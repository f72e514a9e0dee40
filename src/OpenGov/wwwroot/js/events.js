// Live updates for the event pages (progressive enhancement: every page works without this file).
// One EventSource per page; the server sends "change" events with an id, and the browser's automatic
// reconnect sends Last-Event-ID so nothing is missed.
(function () {
  "use strict";
  var root = document.querySelector("[data-mode]");
  if (!root || !window.EventSource) { return; }
  var mode = root.getAttribute("data-mode");
  var stateEl = document.getElementById("ev-state");
  var textEl = document.getElementById("ev-text-data");
  var state = stateEl ? JSON.parse(stateEl.textContent) : { lastEventId: 0, questions: [], polls: [], voted: [] };
  var text = textEl ? JSON.parse(textEl.textContent) : {};
  var english = document.documentElement.lang === "en";
  var questions = new Map();
  (state.questions || []).forEach(function (q) { questions.set(q.id, q); });
  var voted = new Set(state.voted || []);
  // the participant's own questions: while the event forbids voting for them (state.ownVotes false, changed live by
  // the moderators' setting) a count and a label, no button
  var own = new Set(state.own || []);
  var highlighted = state.highlighted;
  var knownPolls = new Set((state.polls || []).map(function (p) { return p.id; }));

  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (content !== undefined) { e.textContent = content; }
    return e;
  }
  // lang="ja" on Japanese content in an English page (as the server marks it), so screen readers switch voice.
  var japanese = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/;
  function markLang(e, s) { if (english && japanese.test(s || "")) { e.lang = "ja"; } return e; }
  function who(q) { return (q.name || text.anonymous || "") + (q.affiliation ? "（" + q.affiliation + "）" : ""); }
  function sorted() {
    var list = Array.from(questions.values()).filter(function (q) { return q.state === "approved"; });
    var byTime = state.sort === "time";
    list.sort(function (a, b) {
      if (a.pinned !== b.pinned) { return a.pinned ? -1 : 1; }
      if (byTime) { return a.created < b.created ? 1 : a.created > b.created ? -1 : b.id - a.id; }
      if (a.votes !== b.votes) { return b.votes - a.votes; }
      return a.id - b.id;
    });
    return list;
  }
  function renderHighlight() {
    var box = document.getElementById("ev-highlight");
    if (!box) { return; }
    box.textContent = "";
    var q = highlighted != null ? questions.get(highlighted) : null;
    if (q) {
      box.appendChild(markLang(el("p", "ev-hl-text", q.text), q.text));
      box.appendChild(markLang(el("p", "ev-hl-who", who(q)), (q.name || "") + (q.affiliation || "")));
    } else {
      box.appendChild(el("p", "ev-muted", text.none || ""));
    }
  }
  function renderAsk() {
    var list = document.getElementById("ev-questions");
    if (!list) { return; }
    var frag = document.createDocumentFragment();
    sorted().forEach(function (q) {
      var li = el("li", "ev-q" + (q.id === highlighted ? " is-highlighted" : "") + (q.answered ? " is-answered" : ""));
      li.id = "q" + q.id;
      li.appendChild(markLang(el("p", "ev-q-text", q.text), q.text));
      var meta = el("p", "ev-q-meta");
      meta.appendChild(markLang(el("span", "", who(q)), (q.name || "") + (q.affiliation || "")));
      if (q.pinned) { meta.appendChild(el("span", "ev-badge", text.pinned)); }
      if (q.id === highlighted) { meta.appendChild(el("span", "ev-badge ev-badge-now", text.now)); }
      if (q.answered) { meta.appendChild(el("span", "ev-badge", text.answered)); }
      if (q.source === "youtube") { meta.appendChild(el("span", "ev-badge", "YouTube")); }
      li.appendChild(meta);
      var mine = voted.has(q.id);
      if (!mine && state.ownVotes === false && own.has(q.id)) {
        var p = el("p", "ev-vote ev-own");
        voteButton(p, q.votes, false);
        p.lastChild.replaceWith(el("span", "ev-own-label", text.own || ""));
        li.appendChild(p);
        frag.appendChild(li);
        return;
      }
      var form = el("form", "ev-vote" + (mine ? " is-voted" : ""));
      var b = el("button");
      b.type = "submit";
      voteButton(b, q.votes, mine);
      form.appendChild(b);
      form.addEventListener("submit", function (ev) { ev.preventDefault(); vote(q.id, b); });
      li.appendChild(form);
      frag.appendChild(li);
    });
    list.textContent = "";
    list.appendChild(frag);
    var empty = document.getElementById("ev-empty");
    if (empty) { empty.hidden = questions.size > 0; }
  }
  // The button's visible text (▲ and the count; "take back" once voted) is part of its accessible name.
  function voteButton(b, votes, mine) {
    b.textContent = "";
    var arrow = el("span", "", "▲");
    arrow.setAttribute("aria-hidden", "true");
    b.appendChild(arrow);
    b.appendChild(document.createTextNode(" "));
    b.appendChild(el("span", "ev-votes", String(votes)));
    b.appendChild(el("span", "visually-hidden", text.votes || ""));
    b.appendChild(document.createTextNode(" "));
    b.appendChild(mine ? el("span", "ev-undo", text.unvote || "") : el("span", "visually-hidden", text.vote || ""));
  }
  function renderPresenter() {
    var list = document.getElementById("ev-top");
    if (!list) { return; }
    list.textContent = "";
    sorted().filter(function (q) { return q.id !== highlighted && !q.answered; }).slice(0, 5).forEach(function (q) {
      var li = el("li");
      li.appendChild(el("span", "ev-p-votes", String(q.votes)));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "", q.text));
      list.appendChild(li);
    });
  }
  function label(o) { return english && o.labelEn ? o.labelEn : o.labelJa; }
  function renderPoll(p) {
    var box = document.querySelector('[data-poll-results="' + p.id + '"]');
    if (mode === "presenter" && !box && p.state === "open") { location.reload(); return; } // a poll opened: the screen shows the open ones
    if (!box) { if (mode === "ask" && p.state === "open" && !knownPolls.has(p.id)) { knownPolls.add(p.id); refreshPolls(true); } return; }
    box.textContent = "";
    if (p.kind === "single" || p.kind === "multiple" || p.kind === "leaderboard") {
      var leaderboard = p.kind === "leaderboard";
      var counts = new Map(p.counts.map(function (c) { return [c.optionId, c]; }));
      var opts = p.options.slice();
      if (leaderboard) { opts.sort(function (a, b) { return (counts.get(b.id) || {}).total - (counts.get(a.id) || {}).total; }); }
      var max = 1;
      counts.forEach(function (c) { max = Math.max(max, leaderboard ? c.total : c.votes); });
      var ol = el("ol", "ev-bars");
      opts.forEach(function (o) {
        var c = counts.get(o.id) || { votes: 0, total: 0 };
        var n = leaderboard ? c.total : c.votes;
        var li = el("li");
        li.appendChild(el("span", "ev-bar-label", label(o)));
        li.appendChild(document.createTextNode(" "));
        var bar = el("span", "ev-bar");
        bar.style.setProperty("--w", Math.floor(100 * n / max) + "%");
        li.appendChild(bar);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", "ev-count", String(n)));
        if (leaderboard) { li.appendChild(el("small", "", " (" + text.round + " " + c.votes + ")")); }
        ol.appendChild(li);
      });
      box.appendChild(ol);
    } else if (p.kind === "rating") {
      var para = el("p", "", (text.avg || "") + " ");
      para.appendChild(el("strong", "", p.averageRating == null ? "–" : String(p.averageRating)));
      para.appendChild(document.createTextNode(" / " + p.maxRating + "（" + (text.answers || "") + " " + p.responses + "）"));
      box.appendChild(para);
    } else if (p.kind === "words") {
      var wmax = 1;
      p.words.forEach(function (w) { wmax = Math.max(wmax, w.count); });
      var cloud = el("p", "ev-cloud");
      cloud.setAttribute("aria-hidden", "true");
      p.words.slice().sort(function (a, b) { return a.word < b.word ? -1 : 1; }).forEach(function (w) {
        var s = el("span", "", w.word);
        s.style.fontSize = (100 + Math.round(200 * w.count / wmax)) + "%";
        cloud.appendChild(s);
        cloud.appendChild(document.createTextNode(" "));
      });
      box.appendChild(cloud);
      var list = el("ol");
      p.words.forEach(function (w) { list.appendChild(el("li", "", w.word + "（" + w.count + "）")); });
      var details = el("details");
      details.appendChild(el("summary", "", "…"));
      details.appendChild(list);
      box.appendChild(details);
    }
  }
  function status(msg, isError) {
    var s = document.getElementById("ev-status");
    if (!s) { return; }
    s.textContent = "";
    s.appendChild(el("p", isError ? "ev-error" : "ev-notice", msg));
  }
  function key() { return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random(); }
  function post(url, body, idem, method) {
    return fetch(url, { method: method || "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", "Idempotency-Key": idem }, body: JSON.stringify(body || {}) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); });
  }
  function errorText(j) { return english ? j.message : (j.message_ja || j.message); }
  function vote(id, button) {
    // Marked before the request: the live update of this very vote may re-render the list before the response
    // arrives, and the new button must already show it. Undone if the server refuses.
    var retract = voted.has(id);
    button.disabled = true;
    if (retract) { voted.delete(id); } else { voted.add(id); }
    function undo() {
      if (retract) { voted.add(id); } else { voted.delete(id); }
      button.disabled = false;
      if (mode === "ask") { renderAsk(); }
    }
    post("/q/" + state.code + "/api/questions/" + id + "/vote", {}, key(), retract ? "DELETE" : "POST").then(function (r) {
      var same = r.body && r.body.error === (retract ? "not_voted" : "already_voted");
      if (r.ok || same) { button.disabled = false; if (r.ok) { status(retract ? text.unvoted : text.voted); } if (mode === "ask") { renderAsk(); } }
      else { undo(); status(errorText(r.body), true); }
    }).catch(undo);
  }
  // A poll opened: the polls' part of the page, with its forms, from the server (no reload).
  var pollsTimer = null;
  function refreshPolls(announce) {
    if (pollsTimer) { return; }
    pollsTimer = setTimeout(function () {
      pollsTimer = null;
      fetch(location.pathname + location.search, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("ev-polls");
        var current = document.getElementById("ev-polls");
        if (!fresh || !current) { return; }
        // Only the polls not on the page are added, in the server's order: a poll being answered keeps its input.
        var added = false;
        var after = null;
        fresh.querySelectorAll(":scope > [data-poll]").forEach(function (s) {
          var id = s.getAttribute("data-poll");
          var here = current.querySelector(':scope > [data-poll="' + id + '"]');
          if (!here) {
            here = document.importNode(s, true);
            if (after) { after.after(here); } else { current.prepend(here); }
            added = true;
          }
          knownPolls.add(Number(id));
          after = here;
        });
        if (added && announce) { status(text.newPoll); }
      });
    }, 200);
  }
  if (mode === "ask") {
    var form = document.getElementById("ev-ask-form");
    if (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var idem = form.querySelector('[name="Idem"]');
        var btn = form.querySelector('button[type="submit"]');
        btn.disabled = true;
        post("/q/" + state.code + "/api/questions", {
          text: form.querySelector('[name="Text"]').value,
          name: form.querySelector('[name="AuthorName"]').value,
          affiliation: form.querySelector('[name="Affiliation"]').value
        }, idem.value).then(function (r) {
          btn.disabled = false;
          if (r.ok) {
            form.querySelector('[name="Text"]').value = "";
            idem.value = key();
            if (r.body.question) { own.add(r.body.question.id); if (state.ownVotes === false) { renderAsk(); } }
            status(r.body.question && r.body.question.state === "approved" ? text.posted : text.held);
          } else {
            status(errorText(r.body), true);
          }
        }).catch(function () { btn.disabled = false; });
      });
    }
    document.querySelectorAll("#ev-questions form.ev-vote").forEach(function (f) {
      var id = Number(f.closest("li").id.slice(1));
      f.addEventListener("submit", function (ev) { ev.preventDefault(); vote(id, f.querySelector("button")); });
    });
  }

  var refreshTimer = null;
  function refreshConsole() {
    if (refreshTimer) { return; }
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      fetch(location.href, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("ev-live");
        var current = document.getElementById("ev-live");
        if (fresh && current && !current.contains(document.activeElement)) { current.replaceWith(fresh); }
      });
    }, 300);
  }

  function apply(change) {
    if ("highlighted" in change) { highlighted = change.highlighted; }
    if (typeof change.voteOwnQuestion === "boolean") { state.ownVotes = state.nodeOwnVotes !== false && change.voteOwnQuestion; }
    (change.questions || []).forEach(function (q) { questions.set(q.id, q); });
    (change.removed || []).forEach(function (id) { questions.delete(id); });
    (change.polls || []).forEach(renderPoll);
    if (mode === "presenter" && (change.removedPolls || []).some(function (id) { return document.querySelector('[data-poll-results="' + id + '"]'); })) { location.reload(); return; }
    if (mode === "ask") { renderAsk(); renderHighlight(); }
    else if (mode === "presenter") { renderPresenter(); renderHighlight(); }
    else if (mode === "moderate") { refreshConsole(); }
  }

  // Presenter screen: full screen on a button (and F), where the browser allows it.
  var fsButton = document.getElementById("ev-fullscreen");
  if (fsButton && document.fullscreenEnabled) {
    fsButton.hidden = false;
    var toggle = function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen().catch(function () { }); }
    };
    fsButton.addEventListener("click", toggle);
    document.addEventListener("keydown", function (ev) { if ((ev.key === "f" || ev.key === "F") && !ev.ctrlKey && !ev.metaKey && !ev.altKey) { toggle(); } });
    document.addEventListener("fullscreenchange", function () { fsButton.textContent = document.fullscreenElement ? (text.exitFullscreen || "") : (text.fullscreen || ""); });
  }

  var url = root.getAttribute("data-stream") + "?lastEventId=" + encodeURIComponent(state.lastEventId || 0);
  var source = new EventSource(url);
  source.addEventListener("change", function (ev) {
    try { apply(JSON.parse(ev.data)); } catch (e) { /* ignore a malformed message */ }
  });
  window.openGovEvents = { source: source, questions: questions };
})();
