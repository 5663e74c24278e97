// The light/dark toggle. Material's palette component reads computed styles when it starts (to colour
// the browser's toolbar), which forces a style pass over the whole page before the page is ready: on a
// long lesson, about a tenth of a second on a phone. This does what the reader sees, without that pass:
// follow the system's scheme until the reader picks one, remember the pick (Material's head script
// applies it before the next page paints), and show the toggle that leads to the other scheme.
const PALETTE = "[data-course-palette] input";

function applyPalette(inputs, index) {
  const input = inputs[index];
  const color = {
    media: input.dataset.mdColorMedia,
    scheme: input.dataset.mdColorScheme,
    primary: input.dataset.mdColorPrimary,
    accent: input.dataset.mdColorAccent,
  };
  for (const [key, value] of Object.entries(color)) {
    // Setting an attribute to the value it holds would still restyle the page.
    if (document.body.getAttribute(`data-md-color-${key}`) !== value) {
      document.body.setAttribute(`data-md-color-${key}`, value);
    }
  }
  colorSchemeMeta().content = color.scheme === "slate" ? "dark" : "light";  // native scrollbars and controls
  inputs.forEach((other, i) => {
    const label = other.nextElementSibling;
    if (label instanceof HTMLElement) label.hidden = i !== index;
  });
  input.checked = true;
  __md_set("__palette", { index, color });
}

function colorSchemeMeta() {
  let meta = document.querySelector('meta[name="color-scheme"]');
  if (!meta) {
    meta = document.createElement("meta");
    meta.name = "color-scheme";
    document.head.append(meta);
  }
  return meta;
}

function showPalette() {
  const inputs = [...document.querySelectorAll(PALETTE)];
  if (!inputs.length) return;
  const stored = __md_get("__palette");
  const index = stored && stored.index >= 0 && stored.index < inputs.length
    ? stored.index
    : Math.max(0, inputs.findIndex((input) => matchMedia(input.dataset.mdColorMedia).matches));
  applyPalette(inputs, index);
}

document.addEventListener("change", (event) => {
  if (!event.target.matches?.(PALETTE)) return;
  const inputs = [...document.querySelectorAll(PALETTE)];
  applyPalette(inputs, inputs.indexOf(event.target));
});

// Enter on the focused toggle switches too, as with Material's own.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !event.target.closest?.("[data-course-palette]")) return;
  const inputs = [...document.querySelectorAll(PALETTE)];
  const next = inputs[(inputs.findIndex((input) => input.checked) + 1) % inputs.length];
  next.click();
  next.focus();
});

showPalette();  // scripts run at the end of the body, once the header is parsed
