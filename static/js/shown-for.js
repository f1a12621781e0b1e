// A field asked only for one choice of another (data-shown-for-field names the other field, data-shown-for
// the choice), e.g. "Rate per how many people" only for a rate indicator (issue 25): hidden with its label
// and help while another choice is made. Without JavaScript it stays in view; the server ignores it then.
document.addEventListener("DOMContentLoaded", () => {
  for (const field of document.querySelectorAll("[data-shown-for-field]")) {
    const form = field.form;
    const other = form && form.elements.namedItem(field.dataset.shownForField);
    if (!other) continue;
    const wrapper = field.closest(".mb-3") || field.parentElement;
    const update = () => {
      wrapper.hidden = other.value !== field.dataset.shownFor;
    };
    other.addEventListener("change", update);
    update();
  }
});
