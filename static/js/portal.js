// The client portal's small behaviours, kept out of the markup so the Content-Security-Policy can
// refuse every inline script and event handler.
(function () {
  "use strict";

  // A post's mock-up frame (same origin) takes the height of what it shows; without JavaScript it
  // scrolls within its own height. "load" doesn't bubble, so listen while it is captured; htmx
  // swaps in new frames, which are caught the same way.
  function fitFrame(frame) {
    try {
      frame.style.height = "1px";
      frame.style.height = frame.contentDocument.documentElement.scrollHeight + "px";
    } catch (error) {
      frame.style.height = "";
    }
  }
  document.addEventListener(
    "load",
    function (event) {
      if (event.target instanceof HTMLIFrameElement && event.target.classList.contains("portal-preview")) {
        fitFrame(event.target);
      }
    },
    true
  );
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("iframe.portal-preview").forEach(function (frame) {
      if (frame.contentDocument && frame.contentDocument.readyState === "complete") fitFrame(frame);
    });
  });

  // "Request changes" in the sticky bar opens the reason box it jumps to.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".portal-decide-bar__changes");
    if (!link) return;
    var box = document.getElementById("request-changes");
    if (box) box.open = true;
  });
})();
