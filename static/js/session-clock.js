// Warns a few minutes before an idle session ends, with a "Stay signed in" button (csa_tracker/sessions.py).
// The page says how many seconds are left (body data-session-seconds-left); tabs share the latest end time
// through localStorage, so working in one tab keeps the others from warning.
(function () {
  "use strict";
  var body = document.body;
  var box = document.getElementById("session-warning");
  if (!box || body.dataset.sessionSecondsLeft === undefined) {
    return;
  }
  var KEY = "csaSessionEndsAt";
  var warnMs = Number(body.dataset.sessionWarnSeconds) * 1000;
  var text = document.getElementById("session-warning-text");
  var stay = document.getElementById("session-stay");
  var endsAt = Date.now() + Number(body.dataset.sessionSecondsLeft) * 1000;
  var shown = "";
  var lastFocus = null;

  function stored() {
    try {
      return Number(window.localStorage.getItem(KEY)) || 0;
    } catch (e) {
      return 0;
    }
  }

  function share(at) {
    endsAt = Math.max(at, stored());
    try {
      window.localStorage.setItem(KEY, String(endsAt));
    } catch (e) {
      // Storage refused (private mode): this tab still counts for itself.
    }
  }

  function say(message, canStay) {
    if (message === shown) {
      return; // the same words again would be read out again
    }
    shown = message;
    box.hidden = message === "";
    stay.hidden = !canStay;
    text.textContent = message;
  }

  function check() {
    endsAt = Math.max(endsAt, stored());
    var left = endsAt - Date.now();
    if (left <= 0) {
      say("Your session has ended. What you type here is not lost: when you submit, you will be asked to sign in " +
        "again and your text will be back on the form.", false);
    } else if (left <= warnMs) {
      var minutes = Math.max(1, Math.ceil(left / 60000));
      say("You will be signed out in " + (minutes === 1 ? "1 minute" : minutes + " minutes") +
        " because the site has not been used. Nothing you have typed is lost either way.", true);
    } else {
      say("", false);
    }
  }

  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  stay.addEventListener("click", function () {
    fetch(body.dataset.keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: {"X-CSRFToken": token(), "Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("signed out");
      }
      return response.json();
    }).then(function (answer) {
      share(Date.now() + answer.seconds_left * 1000);
      check();
      if (lastFocus && document.contains(lastFocus)) {
        lastFocus.focus();
      }
    }).catch(function () {
      endsAt = 0;
      try {
        window.localStorage.removeItem(KEY);
      } catch (e) {
        // nothing to forget
      }
      check();
    });
  });

  document.addEventListener("focusin", function (event) {
    if (!box.contains(event.target)) {
      lastFocus = event.target;
    }
  });
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      check();
    }
  });
  document.addEventListener("visibilitychange", check);
  share(endsAt);
  check();
  window.setInterval(check, 15000);
}());
