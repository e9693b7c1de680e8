using Fleet.Contracts.Api;
using Fleet.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Fleet.Web.Components;

/// <summary>
/// An interactive server page that re-renders from one consistent view of the data: <see cref="LoadAsync"/> reads
/// everything the page shows into a fresh <typeparamref name="TView"/>, which replaces the old one whole, on the first
/// render (prerendered on the server), after the person's own actions and whenever the API's stream says a headset
/// the page <see cref="Concerns"/> changed. A reload that a newer one overtook is dropped, so an older answer never
/// overwrites a newer one. While the person's own action is under way, changes wait until it is done.
/// </summary>
public abstract class LivePage<TView> : FleetComponent, IDisposable where TView : class
{
    [Inject] protected LiveFeed Feed { get; set; } = default!;
    [Inject] protected IJSRuntime Js { get; set; } = default!;

    /// <summary>Everything the page shows, read together.</summary>
    protected TView? View { get; private set; }

    /// <summary>True once the page runs in its circuit; until then its controls are disabled (prerendered HTML only).</summary>
    protected bool Interactive { get; private set; }

    /// <summary>An action of the person's is under way: its controls stay disabled so a second tap does nothing.</summary>
    protected bool Busy { get; private set; }

    /// <summary>What the person's last action did, in words.</summary>
    protected string? Message { get; set; }

    /// <summary>What changed elsewhere while the page was open, in words (single-headset pages fill it).</summary>
    protected string? ChangedElsewhere { get; set; }

    private int _version;
    private bool _read;
    private bool _stale;
    private Func<Task>? _interrupted;

    /// <summary>Reads the page's data; null when reading failed (<see cref="FleetComponent.Problem"/> says why).</summary>
    protected abstract Task<TView?> LoadAsync();

    /// <summary>Whether a change to this headset matters to the page (a ward's page ignores other wards).</summary>
    protected virtual bool Concerns(HeadsetChanged change) => true;

    /// <summary>Called when a change made elsewhere replaced <paramref name="old"/>: single-headset pages say what happened.</summary>
    protected virtual void Compare(TView old, TView fresh) { }

    /// <summary>
    /// The page's first read happens before its first render, so the interactive render replaces the prerendered HTML
    /// with a full page. Read in <c>OnInitializedAsync</c>, the view would still be null when Blazor first renders (after
    /// that method's first await): the page went blank for a moment, a nurse saw an empty cleaning queue, and a click
    /// in that moment met nothing.
    /// </summary>
    public override async Task SetParametersAsync(ParameterView parameters)
    {
        if (_read) { await base.SetParametersAsync(parameters); return; }
        _read = true;
        parameters.SetParameterProperties(this);
        ReadAddress();
        View = await LoadAsync();
        await base.SetParametersAsync(ParameterView.Empty);
    }

    /// <summary>Takes what the page needs from its address (ward, filters) before the first read.</summary>
    protected virtual void ReadAddress() { }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        Interactive = true;
        Feed.Changed += OnChangedAsync;
        Feed.StateChanged += OnFeedState;
        Session.Changed += OnFeedState;
        Feed.Start();
        StateHasChanged();
    }

    /// <summary>
    /// Runs one action of the person's: one at a time, the page reloaded afterwards. An expired session keeps the
    /// action so that signing in again from the dialog runs it with what was typed.
    /// </summary>
    protected async Task ActAsync(Func<Task> action)
    {
        if (Busy) return;
        Busy = true;
        Problem = null;
        Message = null;
        ChangedElsewhere = null;
        try
        {
            await action();
            if (Session.Expired) { _interrupted = action; return; }
            var version = ++_version;
            var fresh = await LoadAsync();
            if (fresh is not null && version == _version) View = fresh;
        }
        finally
        {
            Busy = false;
        }
        if (_stale)
        {
            _stale = false;
            await ReloadAsync(compare: false);
        }
    }

    /// <summary>After signing in again from the dialog: the action the expiry interrupted runs now.</summary>
    protected async Task ResumeAsync()
    {
        var action = _interrupted;
        _interrupted = null;
        _signInAsked = false;
        if (action is not null) await ActAsync(action);
        else await ReloadAsync(compare: false);
    }

    /// <summary>
    /// Once the page runs in its circuit: what the browser kept of its forms (see <see cref="Drafts.FormDrafts"/>) goes
    /// back into them. After a lost circuit the page starts over with empty fields; the draft is what was typed.
    /// </summary>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && await RestoreDraftsAsync()) StateHasChanged();
    }

    /// <summary>Puts the page's form drafts back; true when something was restored.</summary>
    protected virtual Task<bool> RestoreDraftsAsync() => Task.FromResult(false);

    /// <summary>Reads again (a change elsewhere); <paramref name="compare"/> lets the page say what changed.</summary>
    protected async Task ReloadAsync(bool compare = true)
    {
        var version = ++_version;
        var fresh = await LoadAsync();
        if (fresh is null || version != _version) return;
        var old = View;
        View = fresh;
        if (compare && old is not null) Compare(old, fresh);
        StateHasChanged();
    }

    private Task OnChangedAsync(IReadOnlyList<HeadsetChanged> changes)
    {
        if (changes.Count > 0 && !changes.Any(Concerns)) return Task.CompletedTask;
        return InvokeAsync(async () =>
        {
            if (Busy) { _stale = true; return; } // the action reloads when it is done
            await ReloadAsync();
        });
    }

    private void OnFeedState() => InvokeAsync(StateHasChanged);

    /// <summary>The live indicator's state, for <c>LiveStatus</c>: paused once the session's token is refused.</summary>
    protected LiveState FeedState => !Interactive ? LiveState.Starting : Session.Expired ? LiveState.Expired : Feed.State;

    /// <summary>
    /// The sign-in dialog opens when the person's own action met the expiry, or when they ask for it from the live
    /// indicator; a background refresh that meets it only pauses the indicator, never covers the page uninvited.
    /// </summary>
    protected bool SignInNeeded => Session.Expired && (_interrupted is not null || _signInAsked);

    private bool _signInAsked;

    /// <summary>From the live indicator's "Sign in again".</summary>
    protected void AskToSignIn() => _signInAsked = true;

    public virtual void Dispose()
    {
        Feed.Changed -= OnChangedAsync;
        Feed.StateChanged -= OnFeedState;
        Session.Changed -= OnFeedState;
    }
}
