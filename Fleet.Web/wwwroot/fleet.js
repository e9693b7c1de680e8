// Fleet's small browser helpers for the interactive pages (Blazor calls them). Nothing here decides anything.
window.fleet = {
    // Filters live in the address so a view can be bookmarked or shared; the page itself keeps its state.
    replaceQuery(query) {
        const url = new URL(window.location.href);
        url.search = query;
        window.history.replaceState(window.history.state, "", url);
    },
    // The cue when a disinfectant's contact time is reached: a short two-tone chime (Web Audio, no file to load).
    chime() {
        window.fleetChimes = (window.fleetChimes || 0) + 1;
        try {
            const Ctx = window.AudioContext || window.webkitAudioContext;
            const ctx = fleet.audio || (fleet.audio = new Ctx());
            if (ctx.state === "suspended") ctx.resume();
            [880, 1320].forEach((hz, i) => {
                const osc = ctx.createOscillator(), gain = ctx.createGain();
                osc.frequency.value = hz;
                gain.gain.setValueAtTime(0.0001, ctx.currentTime + i * 0.25);
                gain.gain.exponentialRampToValueAtTime(0.3, ctx.currentTime + i * 0.25 + 0.02);
                gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + i * 0.25 + 0.4);
                osc.connect(gain).connect(ctx.destination);
                osc.start(ctx.currentTime + i * 0.25);
                osc.stop(ctx.currentTime + i * 0.25 + 0.45);
            });
            return true;
        } catch {
            return false; // no audio device: the visual cue remains
        }
    },
    // Form drafts (Drafts/FormDrafts.cs): kept per tab, so a lost connection or a reload does not lose what was typed.
    drafts: {
        read(key) {
            try { return JSON.parse(sessionStorage.getItem("fleet-draft:" + key) || "null"); } catch { return null; }
        },
        clear(key) { sessionStorage.removeItem("fleet-draft:" + key); },
    },
    // A page can ask for confirmation with the browser's own dialog only where ours is not rendered (never, today).
    print() { window.print(); },
};

// Print buttons on server-rendered pages (trace, compliance): the page's print layout does the rest.
document.addEventListener("click", e => {
    if (e.target instanceof Element && e.target.closest("[data-print]")) window.print();
});

// Whatever is typed into a form marked data-draft is written to this tab's sessionStorage at once, in the browser:
// the server may not be reachable at that moment, which is exactly when it matters. Passwords are never kept.
function saveDraft(e) {
    const form = e.target instanceof Element && e.target.closest("[data-draft]");
    if (!form) return;
    const values = {};
    form.querySelectorAll("input[id], textarea[id], select[id]").forEach(el => {
        if (el.type === "hidden" || el.type === "password") return;
        values[el.id] = el.type === "checkbox" || el.type === "radio" ? el.checked : el.value;
    });
    try { sessionStorage.setItem("fleet-draft:" + form.dataset.draft, JSON.stringify(values)); } catch { /* storage full or off */ }
}
document.addEventListener("input", saveDraft);
document.addEventListener("change", saveDraft);
