// After a failed submit, focus the error summary so it is read first, and make its links move focus
// to the field (browsers scroll to a fragment without focusing it), keeping the label in view.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary[data-autofocus]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    const label = field.closest("fieldset")?.querySelector("legend") || document.querySelector(`label[for='${field.id}']`);
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
});
