// One click applies a checker suggestion to the caption. Offsets come from the server in UTF-16
// units, the same units the textarea uses, so emoji before the span don't shift it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-apply-suggestion]");
  if (!button) return;
  const caption = document.getElementById("id_caption");
  if (!caption) return;
  const start = Number(button.dataset.start);
  const end = Number(button.dataset.end);
  const suggestion = button.dataset.suggestion;
  // The offsets are those of the caption the checks last saw: if it changed since (typed, or
  // another suggestion applied), applying would splice into the wrong words. Check again instead.
  if (caption.value.slice(start, end) !== button.dataset.replaces) {
    caption.dispatchEvent(new Event("change", { bubbles: true }));
    return;
  }
  document.querySelectorAll("[data-apply-suggestion]").forEach((other) => {
    other.disabled = true;
  });
  caption.value = caption.value.slice(0, start) + suggestion + caption.value.slice(end);
  caption.focus();
  caption.setSelectionRange(start + suggestion.length, start + suggestion.length);
  caption.dispatchEvent(new Event("input", { bubbles: true }));
});

// The brand kit panel lists the kits of all the user's brands on a new post; show the one of the
// brand picked, so the palette and rules in view are always the right brand's.
function showChosenBrandKit() {
  const brand = document.getElementById("id_brand");
  if (!brand) return;
  document.querySelectorAll("[data-kit-brand]").forEach((kit) => {
    const chosen = kit.dataset.kitBrand === brand.value;
    kit.hidden = Boolean(brand.value) && !chosen;
    kit.open = chosen;
  });
}
document.addEventListener("change", (event) => {
  if (event.target.id === "id_brand") showChosenBrandKit();
});
document.addEventListener("DOMContentLoaded", showChosenBrandKit);

// A lead's override box shows only while something blocks: the live checks say how many blocking
// findings the form has (data-blocking). A reason already typed keeps it in view.
document.addEventListener("htmx:afterSwap", (event) => {
  const summary = event.target.querySelector && event.target.querySelector("[data-blocking]");
  if (!summary) return;
  const blocking = Number(summary.dataset.blocking) > 0;
  document.querySelectorAll("[data-override-control]").forEach((control) => {
    const reason = control.querySelector("textarea");
    control.hidden = !blocking && !(reason && reason.value.trim());
  });
});

// The preview offers the mock-ups of the post's own platforms only (a story on Instagram as a
// story), and follows the platform checkboxes and the format as they change.
function offerOwnPreviewModes() {
  const select = document.getElementById("id_preview_mode");
  const data = document.getElementById("signoff-preview-modes");
  if (!select || !data) return;
  const modes = JSON.parse(data.textContent);
  const chosen = new Set(
    Array.from(document.querySelectorAll('input[name="platforms"]:checked'), (box) => box.value),
  );
  const format = document.getElementById("id_format");
  const story = format && format.value === "story";
  let firstOffered = null;
  Array.from(select.options).forEach((option) => {
    const mode = modes[option.value];
    const offered =
      !mode ||
      (chosen.has(mode.platform) && (mode.platform !== "instagram" || (mode.format === "story") === story));
    option.hidden = !offered;
    option.disabled = !offered;
    if (offered && firstOffered === null) firstOffered = option;
  });
  const current = select.options[select.selectedIndex];
  if (current && current.disabled && firstOffered) {
    select.value = firstOffered.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }
}
document.addEventListener("change", (event) => {
  if (event.target.name === "platforms" || event.target.id === "id_format") offerOwnPreviewModes();
});
document.addEventListener("DOMContentLoaded", offerOwnPreviewModes);

// Choosing an image fills its alt text from the image's own (description, else title) for the
// creative to confirm: only an empty field, or one still holding what was filled in before (a
// description someone typed is never overwritten).
document.addEventListener("change", async (event) => {
  const input = event.target;
  if (!input.name || !/^media-\d+-image$/.test(input.name) || !input.value) return;
  const alt = document.getElementById(input.id.replace(/-image$/, "-alt_text"));
  const source = document.querySelector("[data-image-alt-text-url]");
  if (!alt || !source) return;
  if (alt.value.trim() && alt.value !== alt.dataset.filledFromImage) return;
  const url = source.dataset.imageAltTextUrl.replace(/0\/$/, `${encodeURIComponent(input.value)}/`);
  let text = "";
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) return;
    text = (await response.json()).alt_text || "";
  } catch (error) {
    return;
  }
  if (alt.value.trim() && alt.value !== alt.dataset.filledFromImage) return; // typed meanwhile
  alt.value = text;
  alt.dataset.filledFromImage = text;
  alt.dispatchEvent(new Event("input", { bubbles: true }));
  alt.focus();
});
