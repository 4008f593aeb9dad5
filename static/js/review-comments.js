// The post editor's review comments panel (approvals/comment_views.py). htmx does the posting;
// this script captures a caption selection and keeps keyboard focus in place when the panel
// re-renders itself.
(() => {
  // The textarea counts UTF-16 units (an emoji is two); the server counts code points (one).
  const codePoints = (text) => Array.from(text).length;

  function commentOnSelection(button) {
    const panel = button.closest("[data-review-comments]");
    const caption = document.getElementById("id_caption");
    const hint = panel.querySelector("[data-selection-hint]");
    if (!caption || caption.selectionStart === caption.selectionEnd) {
      hint.textContent = "First select the words you want to comment on in the caption.";
      if (caption) caption.focus();
      return;
    }
    const { selectionStart, selectionEnd, value } = caption;
    const quote = value.slice(selectionStart, selectionEnd);
    const start = codePoints(value.slice(0, selectionStart));
    panel.querySelector("input[name=span_start]").value = start;
    panel.querySelector("input[name=span_end]").value = start + codePoints(quote);
    panel.querySelector("input[name=quote]").value = quote;
    const shown = panel.querySelector("[data-selection-quote]");
    shown.querySelector("q").textContent = quote;
    shown.hidden = false;
    const option = panel.querySelector("select[name=target] option[value=caption]");
    option.disabled = false;
    option.selected = true;
    hint.textContent = "";
    panel.querySelector("textarea[name=body]").focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-comment-on-selection]");
    if (button) commentOnSelection(button);
  });

  // Ctrl+Alt+M (⌘+Option+M, as in Google Docs) in the caption comments on its selection, so
  // keyboard users needn't travel back up to the panel's button.
  document.addEventListener("keydown", (event) => {
    if (event.target.id !== "id_caption" || event.code !== "KeyM") return;
    if (!event.altKey || !(event.ctrlKey || event.metaKey)) return;
    const button = document.querySelector("[data-comment-on-selection]:not([hidden])");
    if (!button) return;
    event.preventDefault();
    commentOnSelection(button);
  });

  // Ctrl+Enter (⌘+Enter) in a comment box sends it.
  document.addEventListener("keydown", (event) => {
    const box = event.target.closest?.("[data-review-comments] textarea[data-submit-with]");
    if (!box || event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    document.getElementById(box.dataset.submitWith)?.click();
  });

  // Typing a comment is not editing the post: keep these keystrokes from the post form's own
  // listeners (the live brand checks re-run on every input in the form).
  const keepInPanel = (event) => event.stopPropagation();

  function setUp(root) {
    const panel = root.matches?.("[data-review-comments]") ? root : root.querySelector?.("[data-review-comments]");
    if (!panel || panel.dataset.ready) return;
    panel.dataset.ready = "true";
    panel.addEventListener("input", keepInPanel);
    panel.addEventListener("change", keepInPanel);
    // Selecting caption words needs this script (and the editor's caption), so its button and
    // hint only show with them.
    const canSelect = Boolean(document.getElementById("id_caption"));
    panel.querySelectorAll("[data-needs-js]").forEach((element) => {
      element.hidden = !canSelect;
    });
    // After an action the panel is new: put the keyboard where the user left off.
    const focus = panel.dataset.focus && document.getElementById(panel.dataset.focus);
    if (focus) focus.focus();
  }

  document.addEventListener("DOMContentLoaded", () => setUp(document));
  document.addEventListener("htmx:load", (event) => setUp(event.detail.elt));
})();
