// Before leaving a page whose form (marked data-unsaved) was changed and not sent, the browser asks
// whether to leave: what was typed would be lost. A page showing text that is not saved yet (given
// back after a refusal or after signing in again) marks its form data-unsaved="dirty" from the start.
(() => {
  let dirty = false;
  for (const form of document.querySelectorAll("form[data-unsaved]")) {
    if (form.dataset.unsaved === "dirty") dirty = true;
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("submit", () => { dirty = false; });
  }
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
