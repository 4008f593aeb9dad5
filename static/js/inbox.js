// The review inbox (approvals/admin_views.py): the queue beside the selected review.
//
// j / k (or ↓ / ↑ in the queue) move through the queue and show each review; a approves and r
// asks for changes (the reason first), and the next review shows; u, or the toast's Undo, takes
// the last decision back while it waits out its undo window; o opens the post in the editor; x
// selects it for bulk approval. Keys are ignored while typing. The current row and the focus
// survive every action. The next review is loaded while the reviewer reads this one, so an
// approval shows it at once (see approveAhead). Without this script every row is a link to its
// review's page and every decision a plain form.
(() => {
    "use strict";

    const inbox = document.querySelector("[data-inbox]");
    if (!inbox || !window.htmx) return;
    const list = inbox.querySelector("[data-inbox-rows]");
    const queue = document.getElementById("inbox-queue");

    // A review is on screen at least this long before a key decides on it: a double press or a
    // held key never approves a post nobody has seen.
    const SETTLE_MS = 350;
    // j / k held down opens only the review the keys stop on.
    const OPEN_DELAY_MS = 100;

    // Panes loaded ahead (the next review, while the reviewer reads this one), by review id: a
    // decision then answers only what changed, and the next review shows at once. A held pane
    // is as fresh as any pane left open: a decision binds to the version it shows, and the
    // server refuses it if the post has changed since.
    const HOLD_MS = 60000;
    const held = new Map();

    let shownAt = performance.now();
    let busy = false;
    let openTimer = null;
    let undoTimer = null;
    let focusBefore = null; // where the focus was when a request started: "queue", or an id in the pane

    const pane = () => document.getElementById("inbox-pane");
    const rows = () => Array.from(list.querySelectorAll("[data-inbox-row]"));
    const isLive = (row) => row.querySelector("[data-inbox-link]") !== null;
    const current = () => list.querySelector(".inbox-row--current");
    const shownId = () => pane()?.dataset.inboxPane || "";
    const rowOf = (id) => (id ? document.getElementById(`inbox-row-${id}`) : null);

    function typing(target) {
        return target.closest?.("input, textarea, select, [contenteditable]") != null;
    }

    function select(row, { focus = true } = {}) {
        for (const candidate of rows()) {
            const on = candidate === row;
            candidate.classList.toggle("inbox-row--current", on);
            const link = candidate.querySelector("[data-inbox-link]");
            if (link && on) link.setAttribute("aria-current", "true");
            else if (link) link.removeAttribute("aria-current");
        }
        if (!row) return;
        const link = row.querySelector("[data-inbox-link]");
        if (focus && link) link.focus({ preventScroll: true });
        reveal(row);
    }

    // Keep the current row in sight where the queue scrolls on its own (beside the review);
    // on a phone the queue is below the review, and the page stays on the review.
    function reveal(row) {
        if (queue.scrollHeight <= queue.clientHeight + 1) return;
        const box = queue.getBoundingClientRect();
        const head = queue.querySelector(".inbox-queue__head")?.getBoundingClientRect().height || 0;
        const at = row.getBoundingClientRect();
        if (at.top < box.top + head) queue.scrollTop -= box.top + head - at.top;
        else if (at.bottom > box.bottom) queue.scrollTop += at.bottom - box.bottom;
    }

    function heldPane(id) {
        const entry = held.get(id);
        if (entry && performance.now() - entry.at < HOLD_MS) return entry.html;
        held.delete(id);
        return null;
    }

    // Show the row's review in the pane, once the keys have stopped moving.
    function open(row) {
        clearTimeout(openTimer);
        if (!row || row.dataset.inboxRow === shownId()) return;
        const link = row.querySelector("[data-inbox-link]");
        openTimer = setTimeout(() => {
            const html = heldPane(row.dataset.inboxRow);
            if (html && !busy) htmx.swap(pane(), html, { swapStyle: "outerHTML" });
            else htmx.trigger(link, "inbox:open");
        }, OPEN_DELAY_MS);
    }

    function move(step) {
        const live = rows().filter(isLive);
        if (!live.length) return;
        const at = live.indexOf(current());
        const row = live[at < 0 ? 0 : Math.max(0, Math.min(live.length - 1, at + step))];
        select(row);
        open(row);
    }

    // The review the queue shows after this one: the next awaiting row below it, else above.
    function nextAfter(id) {
        const all = rows();
        const at = all.findIndex((row) => row.dataset.inboxRow === id);
        const candidate = (row) => isLive(row) && row.dataset.inboxRow !== id;
        return all.slice(at + 1).find(candidate) || all.slice(0, Math.max(at, 0)).reverse().find(candidate) || null;
    }

    // Keys decide only on what the pane shows, once it has been seen, and not while an answer
    // that replaces the pane is on its way.
    function ready() {
        const shown = pane();
        if (busy || !shown || !shown.dataset.revision) return false;
        if (performance.now() - shownAt < SETTLE_MS) return false;
        const row = current();
        return !row || row.dataset.inboxRow === shownId();
    }

    function openChanges() {
        const details = pane()?.querySelector("[data-inbox-changes]");
        if (!details) return;
        details.open = true;
        pane().querySelector("[data-inbox-reason]")?.focus();
    }

    function closeChanges() {
        const details = pane()?.querySelector("[data-inbox-changes]");
        if (!details || !details.open) return false;
        details.open = false;
        focusCurrent();
        return true;
    }

    function focusCurrent() {
        const link = current()?.querySelector("[data-inbox-link]");
        if (link) link.focus({ preventScroll: true });
        else pane()?.focus({ preventScroll: true });
    }

    // u takes back the last decision: one still on its way is taken back as soon as it lands.
    let awaitingAnswer = null; // the review whose approval was sent ahead and not yet answered
    let undoOnAnswer = false;
    function undoLast() {
        if (awaitingAnswer !== null) {
            undoOnAnswer = true;
            sayPlain("Undoing…");
            return;
        }
        const button = document.querySelector("#inbox-toast [data-inbox-undo] button");
        if (button && !busy) button.click();
    }

    function sayPlain(message) {
        const toast = document.getElementById("inbox-toast");
        toast.replaceChildren();
        const body = document.createElement("div");
        body.className = "inbox-toast__body";
        body.textContent = message;
        toast.append(body);
    }

    function say(message) {
        const toast = document.getElementById("inbox-toast");
        toast.replaceChildren();
        const body = document.createElement("div");
        body.className = "inbox-toast__body inbox-toast__body--error";
        body.textContent = message;
        toast.append(body);
    }

    document.addEventListener("keydown", (event) => {
        if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
        if (typing(event.target)) {
            if (event.key === "Escape" && event.target.closest("[data-inbox-changes]") && closeChanges()) {
                event.preventDefault();
            }
            return;
        }
        const inQueue = event.target === document.body || queue.contains(event.target);
        switch (event.key) {
            case "j":
                event.preventDefault();
                move(1);
                break;
            case "k":
                event.preventDefault();
                move(-1);
                break;
            case "ArrowDown":
            case "ArrowUp":
                if (!inQueue) return; // in the pane, the arrows scroll it as usual
                event.preventDefault();
                move(event.key === "ArrowDown" ? 1 : -1);
                break;
            case "a":
                event.preventDefault();
                if (!event.repeat && ready()) pane().querySelector("[data-inbox-approve]")?.click();
                break;
            case "r":
                event.preventDefault();
                if (!event.repeat && ready()) openChanges();
                break;
            case "u":
                event.preventDefault();
                if (!event.repeat) undoLast();
                break;
            case "o":
                if (pane()?.dataset.revision) {
                    event.preventDefault();
                    pane().querySelector("[data-inbox-open]")?.click();
                }
                break;
            case "x": {
                const box = current()?.querySelector("[data-inbox-select]");
                if (box) {
                    event.preventDefault();
                    box.click();
                }
                break;
            }
            case "Escape":
                if (closeChanges()) event.preventDefault();
                break;
        }
    });

    // Ctrl+Enter (⌘+Enter) in the request-changes comment sends it.
    document.addEventListener("keydown", (event) => {
        const box = event.target.closest?.("#inbox-pane textarea[data-submit-with]");
        if (!box || event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
        event.preventDefault();
        document.getElementById(box.dataset.submitWith)?.click();
    });

    // A click on a row makes it the current one (htmx then shows its review).
    list.addEventListener("click", (event) => {
        const row = event.target.closest("[data-inbox-row]");
        if (row && isLive(row) && event.target.closest("[data-inbox-link]")) select(row, { focus: false });
    });

    // The summary toggles the request-changes form; opened, the reason comes first.
    inbox.addEventListener("toggle", (event) => {
        if (event.target.matches?.("[data-inbox-changes]") && event.target.open) {
            pane().querySelector("[data-inbox-reason]")?.focus();
        }
    }, true);

    // The panes decisions were made on, as they were: Undo shows one again without loading it.
    const decidedPanes = new Map();
    function keepDecidedPane(paneElement) {
        const copy = paneElement.cloneNode(true);
        copy.removeAttribute("data-inbox-ready");
        copy.removeAttribute("aria-busy");
        copy.querySelector("[data-inbox-changes]")?.removeAttribute("open");
        copy.querySelector("template[data-inbox-row-updates]")?.remove();
        copy.querySelectorAll("iframe[data-inbox-preview][src]").forEach((frame) => frame.removeAttribute("src"));
        decidedPanes.set(paneElement.dataset.inboxPane, copy.outerHTML);
        while (decidedPanes.size > 5) decidedPanes.delete(decidedPanes.keys().next().value);
    }

    document.body.addEventListener("htmx:configRequest", (event) => {
        const source = event.detail.elt;
        const parameters = event.detail.parameters;
        const set = (name, text) => (parameters instanceof FormData ? parameters.set(name, text) : (parameters[name] = text));
        const undo = source.closest?.("[data-inbox-undo]");
        const before = undo && decidedPanes.get(undo.dataset.review);
        if (before) {
            held.set(undo.dataset.review, { html: before, at: performance.now() });
            set("held", undo.dataset.review);
            return;
        }
        if (!source.closest?.("[data-inbox-decision]")) return;
        keepDecidedPane(pane());
        // After the decision, the review below this one in the queue as it stands now.
        const following = nextAfter(shownId());
        const value = following ? following.dataset.inboxRow : "";
        set("next", value);
        if (value && heldPane(value)) set("held", value);
    });

    // Approving shows the next review at once when its pane is held, and the approval is sent
    // beside it: the reviewer never waits for the server (which, on SQLite, may be waiting for
    // the relay to finish moving an earlier post on). The row says "Approving…" until the
    // answer comes; a refusal (the post changed, someone decided first) puts the row back and
    // says why in the toast, with the review a click away. Sending back waits for the answer:
    // it carries typed words the server may ask to correct.
    let answers = 0;
    document.addEventListener(
        "submit",
        (event) => {
            const form = event.target;
            if (!form.matches("[data-inbox-approve-form]") || busy) return;
            if (approveAhead(form)) {
                event.preventDefault();
                event.stopImmediatePropagation(); // htmx's own submit handler on the form
            }
        },
        true,
    );

    function approveAhead(form) {
        const decided = form.closest("#inbox-pane");
        const id = decided?.dataset.inboxPane;
        const nextRow = id ? nextAfter(id) : null;
        const nextId = nextRow?.dataset.inboxRow;
        const html = nextId ? heldPane(nextId) : null;
        const coming = nextId && !html ? loading.get(nextId) : null;
        if (!html && !coming) return false;
        const body = new FormData(form);
        body.set("next", nextId);
        body.set("held", nextId);
        keepDecidedPane(decided);
        const row = rowOf(id);
        row?.classList.add("inbox-row--pending");
        row?.querySelector("[data-inbox-link]")?.setAttribute("aria-busy", "true");
        const sequence = ++answers;
        awaitingAnswer = id;
        undoOnAnswer = false;
        sayPlain(`Approving “${decided.querySelector(".inbox-pane__title")?.textContent.trim() || ""}”…`);
        held.delete(nextId);
        focusBefore = decided.contains(document.activeElement) && document.activeElement.id ? document.activeElement.id : "queue";
        if (html) htmx.swap(decided, html, { swapStyle: "outerHTML", settleDelay: 0 });
        else {
            // Still loading: show it the moment it lands (unless the reviewer has moved on).
            busy = true;
            decided.setAttribute("aria-busy", "true");
            coming.then(
                (loaded) => {
                    held.delete(nextId);
                    if (pane() === decided) htmx.swap(decided, loaded, { swapStyle: "outerHTML", settleDelay: 0 });
                },
                () => pane() === decided && htmx.trigger(nextRow.querySelector("[data-inbox-link]"), "inbox:open"),
            );
        }
        fetch(form.action, { method: "POST", body, credentials: "same-origin", headers: { "HX-Request": "true" } })
            .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
            .then((text) => approved(text, id, sequence))
            .catch(() => {
                if (awaitingAnswer === id) awaitingAnswer = null;
                rowOf(id)?.classList.remove("inbox-row--pending");
                say("Couldn't reach Signoff: that approval may not have been made. Open the post to check.");
            });
        return true;
    }

    // The answer to an approval sent ahead: its row, the toast, the count; or why it was refused.
    function approved(text, id, sequence) {
        const answer = document.createElement("template");
        answer.innerHTML = text;
        const refused = answer.content.querySelector(`#inbox-pane[data-inbox-pane="${id}"]:not([data-inbox-held])`);
        const updates = answer.content.querySelector("template[data-inbox-row-updates]");
        if (updates) {
            const box = document.createElement("div");
            box.append(updates);
            updateRows(box);
        }
        const count = answer.content.querySelector("#inbox-count");
        if (count && sequence === answers) document.getElementById("inbox-count").textContent = count.textContent;
        const toast = answer.content.querySelector("#inbox-toast");
        const latest = awaitingAnswer === id;
        if (latest) awaitingAnswer = null;
        if (refused) { // said whichever decision it was: the reviewer has moved on from it
            const why = refused.querySelector(".inbox-pane__error, .inbox-pane__gone p")?.textContent.trim() || "";
            held.set(id, { html: refused.outerHTML, at: performance.now() });
            if (latest) undoOnAnswer = false; // nothing to take back
            sayRefused(id, why);
        } else if (toast && latest) { // an earlier decision's toast would hide the latest one's
            const shown = document.getElementById("inbox-toast");
            shown.innerHTML = toast.innerHTML;
            htmx.process(shown);
            armUndo(shown);
            if (undoOnAnswer) {
                undoOnAnswer = false;
                undoLast();
            }
        }
    }

    function sayRefused(id, why) {
        say(`Not approved. ${why}`);
        const body = document.querySelector("#inbox-toast .inbox-toast__body");
        const link = rowOf(id)?.querySelector("[data-inbox-link]");
        if (!body || !link) return;
        const show = document.createElement("button");
        show.type = "button";
        show.className = "button button-small button-secondary";
        show.textContent = "Show it";
        show.addEventListener("click", () => {
            select(rowOf(id));
            open(rowOf(id));
        });
        body.append(show);
    }

    // An answer that names the next review instead of rendering it: put the held pane there,
    // with the row updates the answer brought.
    document.body.addEventListener("htmx:beforeSwap", (event) => {
        const html = event.detail.serverResponse;
        if (typeof html !== "string" || !html.includes("data-inbox-held")) return;
        const answer = document.createElement("template");
        answer.innerHTML = html;
        const slot = answer.content.querySelector("[data-inbox-held]");
        const id = slot.dataset.inboxPane;
        const cached = heldPane(id);
        held.delete(id);
        if (cached) {
            const loaded = document.createElement("template");
            loaded.innerHTML = cached;
            const section = loaded.content.querySelector("#inbox-pane");
            const updates = slot.querySelector("template[data-inbox-row-updates]");
            if (updates) section.append(updates);
            slot.replaceWith(section);
        } else {
            slot.setAttribute("data-inbox-reload", id); // expired meanwhile: load it now
        }
        event.detail.serverResponse = answer.innerHTML;
    });

    document.body.addEventListener("htmx:beforeRequest", (event) => {
        const source = event.detail.elt;
        const active = document.activeElement;
        focusBefore = active && pane()?.contains(active) && active.id ? active.id : "queue";
        if (source.closest?.("[data-inbox-decision], [data-inbox-undo]")) {
            busy = true;
            pane()?.setAttribute("aria-busy", "true");
            // The form that sent it is swapped out with the pane, so its own htmx events no
            // longer reach the page: the request's end is the signal (after the swap).
            event.detail.xhr.addEventListener("loadend", () => {
                busy = false;
                pane()?.removeAttribute("aria-busy");
            });
        }
    });

    document.body.addEventListener("htmx:responseError", (event) => {
        const status = event.detail.xhr.status;
        say(status === 404 ? "Not found: it may have been deleted, or it isn't yours." : `Something went wrong (${status}). Nothing changed; try again.`);
    });
    document.body.addEventListener("htmx:sendError", () => {
        say("Couldn't reach Signoff. Check your connection, then try again.");
    });

    // The rows a response changed (a decision, an undo) come inside the pane, in a template:
    // each replaces its row, or joins the queue in due order.
    function updateRows(shown) {
        const updates = shown.querySelector("template[data-inbox-row-updates]");
        if (!updates) return;
        for (const row of Array.from(updates.content.children)) {
            held.delete(row.dataset.inboxRow);
            const existing = document.getElementById(row.id);
            if (existing) existing.replaceWith(row);
            else if (isLive(row)) {
                const due = Number(row.dataset.due || 0);
                const later = rows().find((other) => other.dataset.due && Number(other.dataset.due) > due);
                list.insertBefore(row, later || null);
            } else continue;
            htmx.process(row);
            if (!isLive(row)) document.dispatchEvent(new CustomEvent("inbox:decided", { detail: { id: row.dataset.inboxRow } }));
        }
        updates.remove();
        queue.hidden = rows().length === 0;
    }

    // The undo window closes: the toast keeps its message, without the button.
    function armUndo(toast) {
        clearTimeout(undoTimer);
        const form = toast.querySelector("[data-inbox-undo]");
        if (!form) return;
        undoTimer = setTimeout(() => form.remove(), Number(form.dataset.undoMs || 0));
    }

    // Load the next reviews ahead (pictures included, one after the other), so each shows at
    // once; a load still on its way when it is wanted is waited for, not started again.
    const AHEAD = 2;
    const loading = new Map(); // review id -> the promise of its pane's HTML
    function loadAhead(ids) {
        const [id, ...rest] = ids;
        if (!id) return;
        const link = rowOf(id)?.querySelector("[data-inbox-link]");
        if (!link || heldPane(id) || loading.has(id)) return loadAhead(rest);
        const load = fetch(link.getAttribute("hx-get"), { headers: { "HX-Request": "true" }, credentials: "same-origin" })
            .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
            .then((html) => {
                held.set(id, { html, at: performance.now() });
                const loaded = document.createElement("template");
                loaded.innerHTML = html;
                loaded.content.querySelectorAll(".inbox-images img").forEach((image) => {
                    new Image().src = image.getAttribute("src");
                });
                return html;
            })
            .finally(() => loading.delete(id));
        loading.set(id, load);
        load.then(() => loadAhead(rest), () => {});
    }

    function upcoming(id, count) {
        const ids = [];
        let at = id;
        while (ids.length < count) {
            const row = nextAfter(at);
            if (!row || ids.includes(row.dataset.inboxRow) || row.dataset.inboxRow === id) break;
            ids.push(row.dataset.inboxRow);
            at = row.dataset.inboxRow;
        }
        return ids;
    }

    function shown(paneElement) {
        busy = false; // whatever was on its way for the pane has landed
        updateRows(paneElement);
        const id = paneElement.dataset.inboxPane;
        held.delete(id);
        if (paneElement.hasAttribute("data-inbox-reload")) {
            const link = rowOf(id)?.querySelector("[data-inbox-link]");
            if (link) htmx.trigger(link, "inbox:open");
            else location.assign(`${inbox.dataset.inboxUrl}${id}/`);
        }
        const row = rowOf(id);
        if (row && isLive(row)) select(row, { focus: false });
        else if (!current() || !isLive(current())) select(nextAfter(id), { focus: false });

        // The focus stays where it was: on the same control in the new pane when it is there
        // and visible, else on the queue's current row; a form that came back with errors
        // puts it on the first one.
        const invalid = paneElement.querySelector("[aria-invalid=true]");
        const same = focusBefore && focusBefore !== "queue" ? document.getElementById(focusBefore) : null;
        if (invalid) invalid.focus();
        else if (paneElement.querySelector("[data-inbox-changes][open]") && focusBefore !== "queue") {
            paneElement.querySelector("[data-inbox-reason]")?.focus();
        } else if (same && paneElement.contains(same) && same.checkVisibility?.()) same.focus({ preventScroll: true });
        else focusCurrent();
        focusBefore = null;

        // A new review starts at its top (a phone shows the post above the queue).
        if (paneElement.getBoundingClientRect().top < 0) paneElement.scrollIntoView({ block: "start" });
        if (id) {
            const search = new URLSearchParams(location.search);
            search.delete("decided");
            const query = search.toString();
            history.replaceState(null, "", `${inbox.dataset.inboxUrl}${id}/${query ? `?${query}` : ""}`);
        }
        shownAt = performance.now();
        paneElement.removeAttribute("data-inbox-ready");
        setTimeout(() => {
            paneElement.setAttribute("data-inbox-ready", "");
            loadPreviews(paneElement);
        }, SETTLE_MS);
        paneElement.dispatchEvent(new CustomEvent("inbox:shown", { bubbles: true }));
        if (paneElement.dataset.revision) loadAhead(upcoming(id, AHEAD));
    }

    htmx.onLoad((element) => {
        if (element.id === "inbox-pane") shown(element);
        else if (element.closest?.("#inbox-toast")) armUndo(document.getElementById("inbox-toast"));
    });

    // The mock-ups, once the review has settled and as they come into view.
    const previewObserver = new IntersectionObserver(
        (entries) => {
            for (const entry of entries) {
                if (!entry.isIntersecting) continue;
                entry.target.src = entry.target.dataset.src;
                previewObserver.unobserve(entry.target);
            }
        },
        { rootMargin: "400px 0px" },
    );
    function loadPreviews(paneElement) {
        if (!paneElement.isConnected) return;
        paneElement.querySelectorAll("iframe[data-inbox-preview][data-src]:not([src])").forEach((frame) => previewObserver.observe(frame));
    }

    // The mock-ups are framed pages of the same origin: size each frame to its mock-up.
    document.addEventListener(
        "load",
        (event) => {
            const frame = event.target;
            if (!(frame instanceof HTMLIFrameElement) || !frame.matches("[data-inbox-preview]")) return;
            try {
                frame.style.height = `${frame.contentDocument.documentElement.scrollHeight}px`;
            } catch {
                frame.style.height = "";
            }
        },
        true,
    );

    // The queue and the decisions stick below Wagtail's own sticky header.
    const header = document.querySelector(".w-slim-header");
    const measure = () => header && inbox.style.setProperty("--inbox-top", `${header.offsetHeight}px`);
    measure();
    window.addEventListener("resize", measure);

    // The page as loaded: its current row, its toast.
    armUndo(document.getElementById("inbox-toast"));
    const first = pane();
    if (first) shown(first);
    else select(rows().find(isLive) || null);
})();
