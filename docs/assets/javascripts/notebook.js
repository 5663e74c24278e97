// Copy buttons of notebook cells. Material sets up its own buttons block by block at load,
// which slows a lesson with dozens of cells; these are plain buttons served by one listener.
function addCopyButtons() {
  for (const pre of document.querySelectorAll(".nb-input > pre")) {
    const button = document.createElement("button");
    button.className = "md-clipboard md-icon nb-copy";
    button.title = "Copy to clipboard";
    button.setAttribute("aria-label", "Copy to clipboard");
    pre.prepend(button);
  }
}

document.addEventListener("click", async (event) => {
  const button = event.target.closest(".nb-copy");
  if (!button) return;
  await navigator.clipboard.writeText(button.parentElement.querySelector("code").innerText);
  button.classList.add("nb-copied");
  button.title = "Copied";
  setTimeout(() => {
    button.classList.remove("nb-copied");
    button.title = "Copy to clipboard";
  }, 1500);
});

addCopyButtons();  // scripts run at the end of the body, once the cells are parsed
