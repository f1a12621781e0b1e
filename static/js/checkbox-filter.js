// A filter box above a long list of checkboxes (e.g. lead organisations): typing hides the
// organisations whose name does not contain the words; ticked ones always stay in view (the form lists
// them first: actions.forms.chosen_first). A live count says how many are shown. Without JavaScript the
// checkboxes work as they are.
document.addEventListener("DOMContentLoaded", () => {
  const groups = new Map();
  for (const box of document.querySelectorAll("input[type=checkbox][data-checkbox-filter]")) {
    const list = box.closest("fieldset") || box.parentElement.parentElement;
    if (!groups.has(list)) groups.set(list, box.dataset.checkboxFilter);
  }
  let counter = 0;
  for (const [list, what] of groups) {
    counter += 1;
    const id = `checkbox-filter-${counter}`;
    const wrapper = document.createElement("div");
    wrapper.className = "checkbox-filter mb-2";
    const label = document.createElement("label");
    label.className = "form-label small";
    label.htmlFor = id;
    label.textContent = `Filter ${what}`;
    const input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "form-control form-control-sm";
    input.autocomplete = "off";
    const status = document.createElement("p");
    status.className = "small text-body-secondary mb-0";
    status.setAttribute("aria-live", "polite");
    wrapper.append(label, input, status);
    const options = [...list.querySelectorAll(".form-check")];
    const first = options[0];
    if (!first) continue;
    first.parentElement.classList.add("checkbox-filter-list");
    first.parentElement.before(wrapper);
    status.textContent = `${options.length} shown.`;
    // Enter in the filter box filters, never sends the form around it (issue 25: a new user's Enter posted
    // the whole action form half-filled).
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
    input.addEventListener("input", () => {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const option of options) {
        const text = option.textContent.toLowerCase();
        const ticked = option.querySelector("input").checked;
        const match = ticked || words.every((word) => text.includes(word));
        option.hidden = !match;
        if (match) shown += 1;
      }
      status.textContent = words.length ? `${shown} of ${options.length} shown (ticked ones always shown).` : `${options.length} shown.`;
    });
  }
});
