// The review inbox's keyboard: j/k move between rows, a approves, r requests changes,
// o opens the post, x selects it for bulk approval. Keys are ignored while typing in a field.
(function () {
    "use strict";

    const table = document.querySelector("[data-inbox]");
    if (!table) return;
    let current = 0;

    const rows = () => Array.from(table.querySelectorAll("[data-inbox-row]"));

    function focusRow(index) {
        const all = rows();
        if (!all.length) return;
        current = Math.max(0, Math.min(index, all.length - 1));
        all.forEach((row, i) => row.classList.toggle("inbox__row--current", i === current));
        all[current].focus({ preventScroll: false });
        all[current].scrollIntoView({ block: "nearest" });
    }

    function typing(target) {
        return target.closest("input, textarea, select, [contenteditable]") !== null;
    }

    document.addEventListener("keydown", (event) => {
        if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) {
            return;
        }
        const row = rows()[current];
        const click = (selector) => {
            const control = row && row.querySelector(selector);
            if (control) {
                event.preventDefault();
                control.click();
            }
        };
        switch (event.key) {
            case "j":
                event.preventDefault();
                focusRow(current + 1);
                break;
            case "k":
                event.preventDefault();
                focusRow(current - 1);
                break;
            case "a":
                click("[data-inbox-approve]");
                break;
            case "r":
                click("[data-inbox-changes]");
                break;
            case "o":
                click("[data-inbox-open]");
                break;
            case "x":
                click("input[type=checkbox][name=task_state]");
                break;
        }
    });

    // A click on a row makes it the current one.
    table.addEventListener("click", (event) => {
        const row = event.target.closest("[data-inbox-row]");
        if (row) current = rows().indexOf(row);
    });

    // After a row is swapped (decided, or its form opened), keep it current and put the
    // focus where the next keystroke belongs: the form's first field, or the row itself.
    document.body.addEventListener("htmx:afterSwap", (event) => {
        const row = event.detail.elt.closest ? event.detail.elt : null;
        const index = rows().findIndex((candidate) => candidate.id === (row && row.id));
        if (index >= 0) current = index;
        const swapped = rows()[current];
        if (!swapped) return;
        swapped.classList.add("inbox__row--current");
        const field = swapped.querySelector("[data-autofocus]");
        if (field) field.focus();
        else swapped.focus();
    });

    // Escape closes an open request-changes form.
    table.addEventListener("keydown", (event) => {
        if (event.key === "Escape") {
            const cancel = event.target.closest("[data-inbox-row]")?.querySelector("[data-inbox-cancel]");
            if (cancel) {
                event.preventDefault();
                cancel.click();
            }
        }
    });

    focusRow(0);
})();
