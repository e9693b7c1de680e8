using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Fleet.Api.Tests.Clinical;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Fleet.Testing.Identity;
using Microsoft.IdentityModel.Tokens;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Auth;

/// <summary>
/// With Fleet:Auth:Oidc configured the API takes the hospital identity provider's access tokens (a local test issuer
/// with its own JWKS) beside its own, maps the provider's role values to Fleet roles, and refuses every bad token.
/// </summary>
public sealed class HospitalSignInTests : IAsyncLifetime
{
    private TestIdentityProvider _idp = null!;
    private FleetApp _app = null!;

    public async Task InitializeAsync()
    {
        _idp = await TestIdentityProvider.StartAsync();
        _app = new FleetApp()
            .WithSetting("Fleet:Auth:Oidc:Authority", _idp.Issuer)
            .WithSetting("Fleet:Auth:Oidc:Audience", _idp.ApiAudience)
            .WithSetting("Fleet:Auth:Oidc:RequireHttpsMetadata", "false")
            .WithSetting("Fleet:Auth:Oidc:RoleMap:VR-Nurses", "nurse")
            .WithSetting("Fleet:Auth:Oidc:RoleMap:VR-Biomed", "biomed");
    }

    private DateTime Now => _app.Time.GetUtcNow().UtcDateTime;

    private HttpClient ClientWith(string token)
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task AProviderTokenWithAMappedRoleWorksAndTheAuditTrailNamesTheProviderIdentity()
    {
        var alice = ClientWith(_idp.Mint("alice", ["VR-Nurses", "Hospital-Staff"], now: Now));

        var me = await alice.Get<WhoAmI>("/api/v1/auth/me");
        me.Username.ShouldBe("oidc:alice");
        me.Roles.ShouldBe(["nurse"]); // an unmapped value gives no role
        me.SignedInWith.ShouldBe("oidc");

        await (await alice.Post("/api/v1/headsets/HS-0003/dirty", new MarkDirtyRequest("Dropped on the floor."))).ShouldBe(HttpStatusCode.OK);
        var trail = await (await _app.ClientAs("admin")).Get<List<AuditEntryView>>("/api/v1/audit?entityId=HS-0003");
        trail.ShouldContain(e => e.Action == "headset.marked_dirty" && e.Actor == "user:oidc:alice");

        await (await alice.GetAsync("/fhir/r4/Device/HS-0003")).ShouldBe(HttpStatusCode.OK);
        // Nurse, not biomed: the role the mapping gave is the only one.
        await (await alice.GetAsync("/fhir/r4/DeviceUseStatement?patient=MRN-A")).ShouldBe(HttpStatusCode.Forbidden);
        // Fleet's own tokens keep working beside the provider's.
        (await (await _app.ClientAs("nurse")).Get<WhoAmI>("/api/v1/auth/me")).Username.ShouldBe("nurse");
        // The capability statement names the provider as a way in.
        (await _app.CreateClient().FhirAsync("/fhir/r4/metadata")).Str("rest.0.security.description").ShouldContain(_idp.Issuer);
    }

    public static TheoryData<string> BadTokens => ["wrong issuer", "wrong audience", "expired", "alg none", "unknown key", "not a token"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task ABadProviderTokenIsRefusedWith401(string bad)
    {
        using var otherKey = RSA.Create(2048);
        var roles = new[] { "VR-Biomed" };
        var token = bad switch
        {
            "wrong issuer" => _idp.Mint("mallory", roles, issuer: "http://127.0.0.1:1/elsewhere", now: Now),
            "wrong audience" => _idp.Mint("mallory", roles, audience: "another-app", now: Now),
            "expired" => _idp.Mint("mallory", roles, now: Now.AddHours(-2), lifetime: TimeSpan.FromHours(1)),
            "alg none" => _idp.Mint("mallory", roles, now: Now, unsigned: true),
            "unknown key" => _idp.Mint("mallory", roles, now: Now, key: new RsaSecurityKey(otherKey) { KeyId = _idp.Key.KeyId }),
            _ => "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln",
        };

        var response = await ClientWith(token).GetAsync("/api/v1/headsets");

        await response.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldContain("unauthorized");
    }

    [Fact]
    public async Task AProviderTokenWithoutAMappedRoleIsForbidden()
    {
        var bob = ClientWith(_idp.Mint("bob", ["Hospital-Staff"], now: Now));
        await (await bob.GetAsync("/api/v1/headsets")).ShouldBe(HttpStatusCode.Forbidden);
        await (await bob.GetAsync("/api/v1/auth/me")).ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task WithoutTheConfigurationProviderTokensAreRefusedAndNothingElseChanges()
    {
        using var plain = new FleetApp();
        var client = plain.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _idp.Mint("alice", ["VR-Nurses"], now: Now));
        await (await client.GetAsync("/api/v1/headsets")).ShouldBe(HttpStatusCode.Unauthorized);
        (await (await plain.ClientAs("nurse")).Get<WhoAmI>("/api/v1/auth/me")).SignedInWith.ShouldBe("fleet");
        (await plain.CreateClient().FhirAsync("/fhir/r4/metadata")).Str("rest.0.security.description").ShouldNotContain("identity provider");
    }

    [Theory]
    [InlineData("Fleet:Auth:Oidc:RoleMap:VR-Nurses", "matron", "not a Fleet role")]
    [InlineData("Fleet:Auth:Oidc:Audience", "", "Audience")]
    public void AConfigurationThatWouldLetAnyoneInOrNoOneIsRefusedAtStart(string key, string value, string message)
    {
        using var app = new FleetApp()
            .WithSetting("Fleet:Auth:Oidc:Authority", _idp.Issuer)
            .WithSetting("Fleet:Auth:Oidc:Audience", _idp.ApiAudience)
            .WithSetting("Fleet:Auth:Oidc:RoleMap:VR-Nurses", "nurse")
            .WithSetting(key, value);
        Should.Throw<InvalidOperationException>(() => app.CreateClient()).Message.ShouldContain(message);
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _idp.DisposeAsync();
    }
}
