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
    // A draft may hold a patient reference on a shared tablet: it lasts 30 minutes (long enough to outlive a lost
    // connection or a restarted server, which is what drafts are for; after that it is more likely someone else's
    // text than lost work) and none outlives a sign-out.
    drafts: {
        prefix: "fleet-draft:",
        maxAgeMs: 30 * 60 * 1000,
        read(key) {
            let draft = null;
            try { draft = JSON.parse(sessionStorage.getItem(fleet.drafts.prefix + key) || "null"); } catch { /* unreadable: none */ }
            if (!draft || typeof draft.savedAt !== "number" || !(Date.now() - draft.savedAt < fleet.drafts.maxAgeMs)) {
                fleet.drafts.clear(key);
                return null;
            }
            return draft.values;
        },
        clear(key) { sessionStorage.removeItem(fleet.drafts.prefix + key); },
        clearAll() {
            try {
                Object.keys(sessionStorage).filter(k => k.startsWith(fleet.drafts.prefix)).forEach(k => sessionStorage.removeItem(k));
            } catch { /* storage off: nothing kept */ }
        },
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
    try { sessionStorage.setItem(fleet.drafts.prefix + form.dataset.draft, JSON.stringify({ savedAt: Date.now(), values })); } catch { /* storage full or off */ }
}
document.addEventListener("input", saveDraft);
document.addEventListener("change", saveDraft);

// Signing out forgets every draft of this tab. Twice over: as the sign-out form is sent, and again wherever a page says
// nobody is signed in (data-clear-drafts, the sign-in page), which holds even when the first did not run.
document.addEventListener("submit", e => {
    if (e.target instanceof Element && e.target.matches("form[data-signout]")) fleet.drafts.clearAll();
});
function clearDraftsWhenSignedOut() {
    if (document.querySelector("[data-clear-drafts]")) fleet.drafts.clearAll();
}
document.addEventListener("DOMContentLoaded", clearDraftsWhenSignedOut);
// Reaching the sign-in page through enhanced navigation loads no document: Blazor says so instead.
document.addEventListener("DOMContentLoaded", () => window.Blazor?.addEventListener?.("enhancedload", clearDraftsWhenSignedOut));
