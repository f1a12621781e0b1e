// Two things every form gets (issue 16), without inline script so the CSP holds:
// 1. A character counter under each text box with a limit (data-max-chars). It counts exactly as the
//    server does after csa_tracker.text.normalise_text: a line break is one character (the browser
//    sends two), Unicode composed (NFC), invisible and control characters not counted, surrounding
//    spaces trimmed; each character (code point) counts one. It warns from 90% and says how much is
//    over; the server refuses over-long text with a message and keeps it, the browser never cuts it.
// 2. A form is sent once: after the first submit its buttons are disabled (a double click no longer
//    sends the same change twice); they come back if the page is shown again from the history.
(() => {
  "use strict";
  const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/g;
  const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/g;
  const number = new Intl.NumberFormat("en-GB");

  function storedLength(text) {
    const normalised = text
      .replace(/\r\n?/g, "\n")
      .normalize("NFC")
      .replace(INVISIBLE, "")
      .replace(CONTROL, "")
      .trim();
    return Array.from(normalised).length;
  }

  function attachCounter(field) {
    const limit = parseInt(field.dataset.maxChars, 10);
    if (!limit || !field.id) return;
    const counter = document.createElement("p");
    counter.id = `${field.id}-counter`;
    counter.className = "form-text char-counter";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    const describedBy = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    field.setAttribute("aria-describedby", [...describedBy, counter.id].join(" "));
    const update = () => {
      const used = storedLength(field.value);
      const left = limit - used;
      counter.classList.toggle("text-warning-emphasis", left >= 0 && used >= limit * 0.9);
      counter.classList.toggle("text-danger", left < 0);
      if (left < 0) {
        counter.textContent = `${number.format(used)} of ${number.format(limit)} characters: ${number.format(-left)} too many. Shorten it before saving.`;
      } else {
        counter.textContent = `${number.format(used)} of ${number.format(limit)} characters (${number.format(left)} left).`;
      }
    };
    field.addEventListener("input", update);
    update();
  }

  function sendOnce(form) {
    form.addEventListener("submit", (event) => {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      // Disabled only after this event: a disabled button's name (e.g. "submit") would not be sent.
      window.setTimeout(() => {
        form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach((button) => {
          button.disabled = true;
          button.setAttribute("aria-disabled", "true");
        });
      }, 0);
    });
  }

  function reset(form) {
    delete form.dataset.sent;
    form.querySelectorAll("[aria-disabled=true]").forEach((button) => {
      button.disabled = false;
      button.removeAttribute("aria-disabled");
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("textarea[data-max-chars]").forEach(attachCounter);
    document.querySelectorAll("form[method=post i]").forEach(sendOnce);
  });
  // Back to a page kept by the browser (bfcache): its forms can be used again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) document.querySelectorAll("form[method=post i]").forEach(reset);
  });
})();
