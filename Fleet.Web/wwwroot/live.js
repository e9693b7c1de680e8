// Fleet's only script, and every page works without it: it keeps open pages live (server-sent events relayed by
// /live, then the changed region re-rendered by the server and swapped in), ticks cleaning countdowns, and submits
// the ward choice when it changes. Nothing here decides anything: the HTML comes from the server.
(() => {
    "use strict";

    const status = document.getElementById("live-status");
    const setStatus = (state, text) => {
        if (!status) return;
        status.dataset.state = state;
        status.textContent = text;
    };

    // --- Live regions -------------------------------------------------------------------------------------------
    const regions = () => Array.from(document.querySelectorAll("[data-live-src]"));
    const pending = new Map();

    const concerns = (region, change) => {
        const ward = region.dataset.liveWard;
        return !ward || !change || !change.summary || change.summary.wardId === ward;
    };

    // Swapping a region must not cost the person what they were typing, what they had unfolded or where their focus was.
    const swap = (region, html) => {
        const template = document.createElement("template");
        template.innerHTML = html.trim();
        const fresh = template.content.querySelector(`#${CSS.escape(region.id)}`) ?? template.content.firstElementChild;
        if (!fresh) return;
        const focusedId = region.contains(document.activeElement) ? document.activeElement.id : null;
        const typed = Array.from(region.querySelectorAll("input[id], textarea[id], select[id]"))
            .map(e => [e.id, e.type === "checkbox" || e.type === "radio" ? e.checked : e.value]);
        const opened = Array.from(region.querySelectorAll("details[id][open]"), e => e.id);
        region.replaceWith(fresh);
        for (const [id, value] of typed) {
            const e = document.getElementById(id);
            if (!e) continue;
            if (typeof value === "boolean") e.checked = value; else e.value = value;
        }
        for (const id of opened) document.getElementById(id)?.setAttribute("open", "");
        if (focusedId) document.getElementById(focusedId)?.focus();
        fresh.dataset.liveUpdated = String(Date.now());
        startCountdowns(fresh);
    };

    const refresh = async (id) => {
        pending.delete(id);
        const region = document.getElementById(id);
        if (!region) return;
        try {
            const response = await fetch(region.dataset.liveSrc, { credentials: "same-origin", headers: { Accept: "text/html" } });
            if (response.ok) swap(region, await response.text());
        } catch {
            // The next change or reconnect refreshes it again.
        }
    };

    // Bursts (one commit touching several headsets) become one request per region.
    const schedule = (region) => {
        if (pending.has(region.id)) return;
        pending.set(region.id, setTimeout(() => refresh(region.id), 150));
    };

    let delay = 1000;
    const connect = () => {
        if (!status) return;
        const source = new EventSource("/live");
        source.addEventListener("open", () => {
            delay = 1000;
            setStatus("connected", "Live updates: on");
            // Whatever changed while we were not listening (page load, a dropped connection) is fetched now.
            regions().forEach(schedule);
        });
        source.addEventListener("headset", (e) => {
            let change = null;
            try { change = JSON.parse(e.data); } catch { /* refresh everything below */ }
            regions().filter(r => concerns(r, change)).forEach(schedule);
        });
        source.addEventListener("expired", () => {
            source.close();
            setStatus("expired", "Live updates paused: your session has expired. Reload the page to sign in again.");
        });
        source.addEventListener("error", () => {
            setStatus("reconnecting", "Live updates: reconnecting…");
            if (source.readyState === EventSource.CLOSED) {
                // The browser gives up on an error status; try again with backoff (1 s, 2 s, 4 s … 30 s).
                setTimeout(connect, delay);
                delay = Math.min(delay * 2, 30000);
            }
        });
    };

    // --- Countdowns -----------------------------------------------------------------------------------------------
    const timers = new Set();
    const startCountdowns = (root) => {
        root.querySelectorAll("[data-countdown-until]").forEach((e) => {
            if (timers.has(e)) return;
            timers.add(e);
            const until = Date.parse(e.dataset.countdownUntil);
            const tick = () => {
                const left = Math.ceil((until - Date.now()) / 1000);
                if (left <= 0) {
                    e.textContent = e.dataset.doneText;
                    e.classList.add("done");
                    return;
                }
                const m = Math.floor(left / 60), s = String(left % 60).padStart(2, "0");
                e.textContent = `Keep wet: ${m}:${s} left`;
                setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
            };
            tick();
        });
    };

    // --- Small conveniences -----------------------------------------------------------------------------------------
    document.addEventListener("change", (e) => {
        if (e.target instanceof HTMLSelectElement && e.target.hasAttribute("data-autosubmit")) e.target.form?.requestSubmit();
    });

    startCountdowns(document);
    connect();
})();
