// "Check every item" for a list of checkboxes (the review queue): a box in the table's heading,
// hidden until this script shows it, checks or clears every box named in its data-check-all within its
// form, and follows them (checked when all are, mixed when some are). Without JavaScript the page's
// "Check every item on this page" link does the same by reloading the page with them checked.
document.addEventListener("DOMContentLoaded", () => {
  for (const all of document.querySelectorAll("input[type=checkbox][data-check-all]")) {
    const boxes = [...all.form.querySelectorAll(`input[type=checkbox][name="${all.dataset.checkAll}"]`)];
    const follow = () => {
      const checked = boxes.filter((box) => box.checked).length;
      all.checked = checked === boxes.length && checked > 0;
      all.indeterminate = checked > 0 && checked < boxes.length;
    };
    all.hidden = false;
    all.addEventListener("change", () => {
      for (const box of boxes) box.checked = all.checked;
      follow();
    });
    for (const box of boxes) box.addEventListener("change", follow);
    follow();
  }
});
