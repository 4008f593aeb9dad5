// The agency calendar: keys to move through it (p/n previous and next, t today, m/w/l month,
// week, list), and dragging a post to another day. A drop posts the post's Move form, the same
// form its Move link opens without JavaScript: a draft moves at once; a post in review or
// scheduled first says that it goes back through the tiers, and moves only if the user agrees.
(function () {
    "use strict";

    function typing(target) {
        return target.closest("input, textarea, select, [contenteditable], dialog[open]") !== null;
    }

    document.addEventListener("keydown", (event) => {
        if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) {
            return;
        }
        const link = document.querySelector(`[data-cal-key="${CSS.escape(event.key)}"]`);
        if (link) {
            event.preventDefault();
            link.click();
        }
    });

    // On a phone the filters fold away unless some are on (without JavaScript they stay open).
    const filters = document.querySelector("[data-cal-filters]");
    if (filters && !filters.hasAttribute("data-cal-filtered") && window.matchMedia("(max-width: 799px)").matches) {
        filters.open = false;
    }

    const grid = document.querySelector("[data-cal-grid]");
    const dialog = document.getElementById("cal-confirm");
    if (!grid) return;
    let dragged = null;

    const dayUnder = (event) => event.target.closest("[data-day]");
    const mayDropOn = (day) => day && !day.classList.contains("cal-day--past") && dragged;
    const clearTargets = () =>
        grid.querySelectorAll(".cal-day--drop").forEach((day) => day.classList.remove("cal-day--drop"));

    grid.addEventListener("dragstart", (event) => {
        const entry = event.target.closest("[data-move-url]");
        if (!entry) return;
        dragged = entry;
        entry.classList.add("cal-entry--dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", entry.dataset.title || "");
    });

    grid.addEventListener("dragend", () => {
        if (dragged) dragged.classList.remove("cal-entry--dragging");
        dragged = null;
        clearTargets();
    });

    grid.addEventListener("dragover", (event) => {
        const day = dayUnder(event);
        if (!mayDropOn(day)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        if (!day.classList.contains("cal-day--drop")) {
            clearTargets();
            day.classList.add("cal-day--drop");
        }
    });

    grid.addEventListener("drop", (event) => {
        const day = dayUnder(event);
        if (!mayDropOn(day)) return;
        event.preventDefault();
        const entry = dragged;
        clearTargets();
        if (day.dataset.day !== entry.dataset.fromDay) move(entry, day.dataset.day);
    });

    function move(entry, day) {
        if (entry.dataset.moveNote && dialog) {
            const form = dialog.querySelector("form");
            form.action = entry.dataset.moveUrl;
            form.elements.date.value = day;
            dialog.querySelector("[data-cal-confirm-note]").textContent = entry.dataset.moveNote;
            dialog.querySelector("[data-cal-confirm-day]").textContent = new Date(`${day}T12:00:00`).toLocaleDateString(
                document.documentElement.lang || undefined,
                { weekday: "long", day: "numeric", month: "long", year: "numeric" },
            );
            dialog.showModal();
            form.querySelector("button[type=submit]").focus();
            return;
        }
        const form = document.getElementById("cal-move-form");
        form.action = entry.dataset.moveUrl;
        form.elements.date.value = day;
        form.submit();
    }

    if (dialog) {
        dialog.querySelector("[data-cal-cancel]").addEventListener("click", () => dialog.close());
    }
})();
