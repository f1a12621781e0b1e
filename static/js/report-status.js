// A just-published report's files are made by the background worker: ask every few seconds whether
// they are ready, and say so in the status line (read out by screen readers: role="status").
document.addEventListener("DOMContentLoaded", () => {
  const line = document.querySelector(".report-outputs-status[data-status-url]");
  if (!line) return;
  let asked = 0;
  const ask = () => {
    asked += 1;
    fetch(line.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((status) => {
        if (status && status.ready >= status.total) {
          line.textContent = "The PDF and Word files of this version are ready.";
        } else if (asked < 40) {
          window.setTimeout(ask, 3000);
        }
      })
      .catch(() => {});
  };
  window.setTimeout(ask, 2000);
});
