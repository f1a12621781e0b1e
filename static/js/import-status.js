// A large import is written by the background worker: ask every few seconds how far it has got, and
// show the page again (with its outcome) once it is done or refused.
document.addEventListener("DOMContentLoaded", () => {
  const line = document.querySelector(".import-outcome[data-outcome-url]");
  if (!line) return;
  const ask = () => {
    fetch(line.dataset.outcomeUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((status) => {
        if (status && status.state !== "queued") {
          window.location.reload();
        } else {
          window.setTimeout(ask, 3000);
        }
      })
      .catch(() => window.setTimeout(ask, 10000));
  };
  window.setTimeout(ask, 2000);
});
