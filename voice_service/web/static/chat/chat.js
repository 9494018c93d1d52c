/* Voice Service web chat: enhances the plain forms into a chat that talks to /api/chat.
   Without this file everything still works by form posts. Text from anyone is only ever
   put on the page with textContent, never as HTML. No third-party requests. */
(function () {
  "use strict";

  var root = document.documentElement;
  root.className = root.className.replace(/\bno-js\b/, "js");

  var leaveLink = document.getElementById("leave-button");
  var exitUrl = (leaveLink && leaveLink.getAttribute("data-exit-url")) || "https://www.bbc.co.uk/weather";

  /* Leave this page: blank the screen and storage first, tell the server to forget this
     device, then swap this page out of history so Back doesn't return to it. */
  function leave(event) {
    if (event) { event.preventDefault(); }
    try { document.body.textContent = ""; document.title = "Loading"; } catch (e) { /* keep going */ }
    try { window.localStorage.clear(); } catch (e) { /* storage may be blocked */ }
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be blocked */ }
    try {
      if (navigator.sendBeacon) { navigator.sendBeacon("/chat/leave"); }
      else { fetch("/chat/leave", { method: "POST", keepalive: true, credentials: "same-origin" }); }
    } catch (e) { /* leaving matters more */ }
    window.location.replace(exitUrl);
  }
  if (leaveLink) { leaveLink.addEventListener("click", leave); }

  // As on GOV.UK's "Exit this page": pressing Shift three times in a row leaves too.
  var shiftPresses = 0, shiftTimer = null;
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { shiftPresses = 0; return; }
    shiftPresses += 1;
    clearTimeout(shiftTimer);
    shiftTimer = setTimeout(function () { shiftPresses = 0; }, 5000);
    if (shiftPresses >= 3) { leave(); }
  });

  var chat = document.getElementById("chat");
  if (!chat || !window.fetch) { return; }

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var log = document.getElementById("chat-log");
  var panel = document.getElementById("chat-panel");
  var startForm = document.getElementById("start-form");
  var quickForm = document.getElementById("quick-form");
  var quickList = document.getElementById("quick-list");
  var form = document.getElementById("chat-form");
  var textarea = document.getElementById("chat-text");
  var sendButton = document.getElementById("send-button");
  var status = document.getElementById("chat-status");
  var errorBox = document.getElementById("chat-text-error");
  var errorText = document.getElementById("chat-text-error-text");
  var group = document.getElementById("chat-text-group");
  var hint = document.getElementById("chat-text-hint");
  var session = panel ? panel.getAttribute("data-session") : "";
  var busy = false;

  /* The page's own words come from the server (engine/texts.py CHAT_PAGE, its Welsh beside it), in #chat-words for
     every language the page is written in; none are written here. The page is in the chat's language
     (data-language on #chat). When an answer from the chat's API says that has changed (a Welsh run's invitation
     reaches a chat that was in English), every element with a data-word, the title and lang follow it. */
  var words = {};
  try { words = JSON.parse(document.getElementById("chat-words").textContent) || {}; } catch (e) { words = {}; }
  var language = chat.getAttribute("data-language") || "en";

  function say(name) { return (words[language] || {})[name] || ""; }

  /* A refusal's words in the page's language (engine/texts.py CHAT_REFUSALS: #chat-words' "refused"), by name. */
  function sayRefused(name) { return ((words[language] || {}).refused || {})[name] || ""; }

  /* The name of the words for what the chat's API refused: its `error` code's, where the page has words for it (a new
     chat over its address's limit is refused as "rate_limited" too, and has words of its own); "" where it has none. */
  function refusedName(problem, starting) {
    var name = starting && problem.code === "rate_limited" ? "too_many_chats" : problem.code;
    return typeof name === "string" && sayRefused(name) ? name : "";
  }

  function useLanguage(code) {
    if (typeof code !== "string" || code === language || !words[code]) { return; }
    language = code;
    chat.setAttribute("data-language", code);
    root.setAttribute("lang", say("lang"));
    document.title = say("title");
    Array.prototype.forEach.call(document.querySelectorAll("[data-word]"), function (element) {
      element.textContent = say(element.getAttribute("data-word"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-refused]"), function (element) {
      element.textContent = sayRefused(element.getAttribute("data-refused")) || element.textContent;
    });
    [status, errorText].forEach(markServerWords);
  }

  /* The page's own words, and a refusal's (too fast, too long, no chat open here), are in its language: the words for
     the refusal's code, named in `data-refused` so they switch with the page. A refusal the page has no words for
     shows the server's own message, in English: marked so on a page that is not, so a screen reader says it in
     English. */
  function tell(element, text, fromServer, refused) {
    element.textContent = text;
    element.setAttribute("data-server-words", fromServer ? "true" : "false");
    if (refused) { element.setAttribute("data-refused", refused); } else { element.removeAttribute("data-refused"); }
    markServerWords(element);
  }

  /* Tell what the chat's API refused (`problem`, from `post`), or, when nothing answered (no connection: the browser's
     own words, never shown), the page's words named `fallback`. */
  function tellRefused(element, problem, fallback, starting) {
    var name = refusedName(problem, starting);
    if (name) { tell(element, sayRefused(name), false, name); }
    else if (problem.status) { tell(element, problem.message, !!problem.fromServer); }
    else { tell(element, say(fallback), false); }
  }

  function markServerWords(element) {
    if (element.getAttribute("data-server-words") === "true" && say("lang") !== "en-GB") {
      element.setAttribute("lang", "en-GB");
    } else {
      element.removeAttribute("lang");
    }
  }

  /* Checking for news, so a duty worker's reply reaches a page that is already open, and what the chat waits
     for (its buttons and hint) when that changes with no message of theirs: every 5 s while
     the page is in view, every 30 s once nothing has happened for 10 minutes, and not at all when the
     page is hidden (checked at once when it is shown again) or after an hour with nothing new (until
     they send a message or come back to the page), so a page left open does not use up its address's
     daily request limit (`webchat.rate_limit_per_address`, shared by a children's home's wifi). Never
     while a message is being sent, and not after 3 failures in a row. `after` is the newest message id
     on the page; `echoes` are messages this page showed itself (its sends and their replies), skipped
     once when a check returns them, so no message is shown twice. */
  var FAST = 5000, SLOW = 30000, QUIET = 600000, STILL = 3600000, MAX_FAILURES = 3;
  var after = parseInt((panel && panel.getAttribute("data-after")) || "0", 10) || 0;
  var echoes = [];
  var generation = 0;  // bumped by every send: a check that raced one is ignored
  var failures = 0, pollTimer = null, lastNews = Date.now();

  function newId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function addMessage(from, text) {
    var item = document.createElement("li");
    var who = document.createElement("span");
    var body = document.createElement("p");
    item.className = "msg " + (from === "service" ? "msg--service" : "msg--you");
    who.className = "govuk-visually-hidden";
    who.setAttribute("data-word", from === "service" ? "service_said" : "you_said");
    who.textContent = say(who.getAttribute("data-word"));
    body.className = "msg__text";
    body.textContent = text;
    item.appendChild(who);
    item.appendChild(body);
    log.appendChild(item);
    item.scrollIntoView({ block: "nearest" });
    return item;
  }

  function showQuickReplies(replies) {
    quickList.textContent = "";
    (replies || []).forEach(function (reply) {
      var button = document.createElement("button");
      button.type = "submit";
      button.name = "text";
      button.value = reply.value;
      button.className = "quick-reply";
      if (reply.emoji) {
        var face = document.createElement("span");
        face.className = "quick-reply__emoji";
        face.setAttribute("aria-hidden", "true");
        face.textContent = reply.emoji;
        button.appendChild(face);
        button.appendChild(document.createTextNode(" "));
      }
      button.appendChild(document.createTextNode(reply.spoken || reply.label));
      quickList.appendChild(button);
    });
    quickForm.hidden = !(replies && replies.length);
  }

  /* What the page offers now (its buttons' answers and the hint under the box), and what the chat offers: a
     check for news compares them, so what changed with no message of theirs shows without a reload (a duty
     worker closed their alert, and the survey it paused can go on: its "Carry on" button; trial 9, T9-17). */
  function shownOffer() {
    var values = Array.prototype.map.call(quickList.querySelectorAll("button"), function (b) { return b.value; });
    return JSON.stringify([values, hint.hidden ? "" : hint.textContent]);
  }

  function offerOf(replies, hintText) {
    var values = (replies || []).map(function (reply) { return reply.value; });
    return JSON.stringify([values, typeof hintText === "string" ? hintText : (hint.hidden ? "" : hint.textContent)]);
  }

  function lastServiceText() {
    var said = log.querySelectorAll(".msg--service .msg__text");
    return said.length ? plain(said[said.length - 1].textContent) : "";
  }

  /* A message the service refused (too fast, too long) or never got is not left looking sent: it is
     marked "Not sent" (the text goes back in the box to try again), and is not expected back from a check. */
  function notSent(item, sent) {
    item.className += " msg--not-sent";
    item.firstChild.setAttribute("data-word", "you_tried");
    item.firstChild.textContent = say("you_tried");
    var note = document.createElement("p");
    note.className = "msg__status";
    note.setAttribute("aria-hidden", "true");
    note.setAttribute("data-word", "not_sent");
    note.textContent = say("not_sent");
    item.appendChild(note);
    var index = echoes.indexOf(sent);
    if (index !== -1) { echoes.splice(index, 1); }
  }

  /* The box is described by the hint (when there is one) and the error (when there is one). */
  function describeBox() {
    var ids = [];
    if (!hint.hidden) { ids.push("chat-text-hint"); }
    if (!errorBox.hidden) { ids.push("chat-text-error"); }
    if (ids.length) { textarea.setAttribute("aria-describedby", ids.join(" ")); }
    else { textarea.removeAttribute("aria-describedby"); }
  }

  /* The hint under the box says what typing SKIP or STOP does now, as the server judges it: nothing
     while nothing is asked (after a worrying message the help reply stands alone). A reply without
     a hint (a holding reply while the database is away) leaves the hint as it was. */
  function showHint(text) {
    if (typeof text !== "string") { return; }
    hint.textContent = text;
    hint.hidden = !text;
    describeBox();
  }

  function showError(problem, fallback) {
    tellRefused(errorText, problem, fallback, false);
    errorBox.hidden = false;
    group.className = "govuk-form-group govuk-form-group--error";
    describeBox();
  }

  function clearError() {
    errorBox.hidden = true;
    tell(errorText, "", false);
    group.className = "govuk-form-group";
    describeBox();
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var problem = new Error(data.message || say("went_wrong"));
          problem.status = response.status;
          problem.code = data.error;
          problem.fromServer = !!data.message;
          throw problem;
        }
        return data;
      });
    });
  }

  function plain(text) { return String(text).replace(/\s+/g, " ").replace(/^ | $/g, ""); }

  function echo(from, text) { echoes.push({ from: from, text: plain(text) }); }

  function schedule() {
    clearTimeout(pollTimer);
    if (!session || failures >= MAX_FAILURES || document.visibilityState === "hidden") { return; }
    var idle = Date.now() - lastNews;
    if (idle > STILL) { return; }
    pollTimer = setTimeout(check, idle > QUIET ? SLOW : FAST);
  }

  function check() {
    if (busy) { schedule(); return; }
    var asked = generation;
    fetch("/api/chat/sessions/" + encodeURIComponent(session) + "/messages?after=" + after, {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("check failed: " + response.status); }
      return response.json();
    }).then(function (data) {
      failures = 0;
      if (asked !== generation || busy) { return; }
      useLanguage(data.language);
      (data.messages || []).forEach(function (m) {
        if (typeof m.id !== "number" || m.id <= after) { return; }
        after = m.id;
        var mine = echoes[0];
        if (mine && mine.from === m.from && mine.text === plain(m.text)) { echoes.shift(); return; }
        addMessage(m.from, m.text);
        lastNews = Date.now();
      });
      echoes = [];
      if (Array.isArray(data.quick_replies) && offerOf(data.quick_replies, data.hint) !== shownOffer()) {
        // What the chat waits for changed with no message of theirs (a duty worker closed their alert, or they
        // answered by text): its buttons and hint, and the words saying what now waits, unless they are the
        // last thing shown, so new buttons never sit under an old question. Someone on a button that went
        // keeps their place: the first new button, or the box, and the status says what changed.
        var onButton = quickList.contains(document.activeElement);
        if (data.prompt && lastServiceText() !== plain(data.prompt)) {
          addMessage("service", data.prompt);
        }
        showQuickReplies(data.quick_replies);
        showHint(data.hint);
        if (onButton) {
          var first = quickList.querySelector("button");
          (first || textarea).focus();
          tell(status, first ? say("new_buttons") : "", false);
        }
        lastNews = Date.now();
      }
    }, function () {
      failures += 1;
      if (failures >= MAX_FAILURES) { tell(status, say("cant_check"), false); }
    }).then(schedule);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && session && failures < MAX_FAILURES) {
      clearTimeout(pollTimer);
      lastNews = Date.now();  // they are back on the page: check often again
      check();
    }
  });

  function setBusy(on) {
    busy = on;
    sendButton.disabled = on;
    tell(status, on ? say("sending") : "", false);
  }

  function send(text, fromQuickReply) {
    if (busy) { return; }
    clearError();
    var trimmed = text.replace(/^\s+|\s+$/g, "");
    if (!trimmed) { showError({}, "type_first"); textarea.focus(); return; }
    var id = newId();
    generation += 1;
    lastNews = Date.now();
    var mine = addMessage("you", trimmed);
    echo("you", trimmed);
    var myEcho = echoes[echoes.length - 1];
    if (!fromQuickReply) { textarea.value = ""; }
    showQuickReplies([]);
    setBusy(true);
    var url = "/api/chat/sessions/" + encodeURIComponent(session) + "/messages";
    // One retry with the same id after a network drop: the server answers a repeat the same way.
    post(url, { text: trimmed, id: id }).catch(function (problem) {
      if (problem.status) { throw problem; }
      return post(url, { text: trimmed, id: id });
    }).then(function (data) {
      setBusy(false);
      useLanguage(data.language);
      (data.messages || []).forEach(function (m) { addMessage(m.from, m.text); echo(m.from, m.text); });
      showQuickReplies(data.quick_replies);
      showHint(data.hint);
      var first = quickList.querySelector("button");
      if (fromQuickReply && first) { first.focus(); } else { textarea.focus(); }
      schedule();
    }, function (problem) {
      setBusy(false);
      notSent(mine, myEcho);
      showError(problem, "cant_send");
      if (!fromQuickReply) { textarea.value = trimmed; }
      textarea.focus();
    });
  }

  if (startForm) {
    startForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = document.getElementById("start-button");
      button.disabled = true;
      var invite = startForm.querySelector('input[name="invite"]');
      post("/api/chat/sessions", invite ? { invite: invite.value } : {}).then(function (data) {
        session = data.session;
        startForm.parentNode.removeChild(startForm);
        panel.hidden = false;
        useLanguage(data.language);
        (data.messages || []).forEach(function (m) { addMessage(m.from, m.text); echo(m.from, m.text); });
        showQuickReplies(data.quick_replies);
        showHint(data.hint);
        var first = quickList.querySelector("button");
        (first || textarea).focus();
        schedule();
      }, function (problem) {
        button.disabled = false;
        tellRefused(status, problem, "cant_start", true);
        startForm.appendChild(status);
      });
    });
  }

  schedule();

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(textarea.value, false);
    });
    // Enter sends, Shift+Enter makes a new line, as in most chat apps.
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        send(textarea.value, false);
      }
    });
  }

  if (quickForm) {
    // A click (or Enter/Space on a focused button) sends that button's answer.
    quickForm.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button") : null;
      if (!button || !button.value) { return; }
      event.preventDefault();
      send(button.value, true);
    });
    quickForm.addEventListener("submit", function (event) { event.preventDefault(); });
  }
})();
