// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Confirm destructive buttons: <button data-confirm="Revoke this token?">
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
  // Copy-to-clipboard buttons: <button data-copy="#token-value">
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const source = document.querySelector(button.dataset.copy);
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.value || source.textContent.trim());
      button.classList.add("btn-success");
    }
  });
});

// Only one inline transition form open at a time; Escape closes it.
document.addEventListener("DOMContentLoaded", () => {
  document.body.addEventListener("toggle", (event) => {
    const opened = event.target;
    if (!opened.matches || !opened.matches(".transition-details") || !opened.open) return;
    document.querySelectorAll(".transition-details[open]").forEach((other) => {
      if (other !== opened) other.open = false;
    });
    const field = opened.querySelector("textarea");
    if (field) field.focus();
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".transition-details[open]").forEach((details) => {
      details.open = false;
      details.querySelector("summary").focus();
    });
  });
});
