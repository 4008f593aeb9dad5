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
