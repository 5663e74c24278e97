// Copy buttons of notebook cells: one listener for the whole page, whatever its length.
// (Material's own buttons are set up block by block at load, which slows long lessons.)
document.addEventListener("click", async (event) => {
  const button = event.target.closest(".nb-copy");
  if (!button) return;
  const code = button.parentElement.querySelector("code");
  await navigator.clipboard.writeText(code.innerText);
  button.classList.add("nb-copied");
  button.title = "Copied";
  setTimeout(() => {
    button.classList.remove("nb-copied");
    button.title = "Copy to clipboard";
  }, 1500);
});
