using System.Globalization;
using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Contracts.Api;
using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Catalog;

/// <summary>Wards and their hygiene policy, headset models, disinfectant products.</summary>
public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("", "Catalogue");
        api.MapGet("/wards", async (FleetDb db, CancellationToken ct) =>
            TypedResults.Ok((await db.Wards.AsNoTracking().OrderBy(w => w.Id).ToListAsync(ct)).Select(CatalogViews.Ward).ToList()));
        api.MapPost("/wards", CreateWard).RequireAuthorization(Policies.Admin).ReadsBody().Refuses(409);
        api.MapPut("/wards/{id}", RenameWard).RequireAuthorization(Policies.Admin).ReadsBody().Refuses(404);
        api.MapGet("/wards/{id}/policy", GetPolicy).RequireAuthorization(Policies.HygienePolicy).Refuses(404);
        api.MapPut("/wards/{id}/policy", PutPolicy).RequireAuthorization(Policies.HygienePolicy).ReadsBody().Refuses(404);

        api.MapGet("/models", async (FleetDb db, CancellationToken ct) =>
            TypedResults.Ok((await db.Models.AsNoTracking().OrderBy(m => m.Id).ToListAsync(ct)).Select(CatalogViews.Model).ToList()));
        api.MapPost("/models", (ModelRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail a) => SaveModel(null, body, w, db, a))
            .RequireAuthorization(Policies.Admin).ReadsBody().Refuses(409);
        api.MapPut("/models/{id}", (string id, ModelRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail a) => SaveModel(id, body, w, db, a))
            .RequireAuthorization(Policies.Admin).ReadsBody();

        api.MapGet("/products", async (FleetDb db, CancellationToken ct) =>
            TypedResults.Ok((await db.Products.AsNoTracking().OrderBy(p => p.Id).ToListAsync(ct)).Select(CatalogViews.Product).ToList()));
        api.MapPost("/products", (ProductRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail a) => SaveProduct(null, body, w, db, a))
            .RequireAuthorization(Policies.HygienePolicy).ReadsBody().Refuses(409);
        api.MapPut("/products/{id}", (string id, ProductRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail a) => SaveProduct(id, body, w, db, a))
            .RequireAuthorization(Policies.HygienePolicy).ReadsBody();
        return app;
    }

    private static async Task<Results<Created<WardView>, ProblemHttpResult>> CreateWard(
        WardRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail audit)
    {
        var v = new Validator();
        var id = v.Identifier("id", body.Id, 40);
        var name = v.Required("name", body.Name);
        var zone = TimeZoneOf(v, body.TimeZone) ?? WardClock.DefaultTimeZone;
        if (v.Failed) return v.Problem();
        return await w.ChangeAsync(async Task<Results<Created<WardView>, ProblemHttpResult>> (_) =>
        {
            if (await db.Wards.AnyAsync(x => x.Id == id, w.Ct)) return Problems.Conflict($"Ward '{id}' already exists.");
            var ward = new Ward { Id = id, Name = name, TimeZone = zone };
            db.Wards.Add(ward);
            audit.Record(w.Actor, "ward.created", "ward", id, data: new { name, timeZone = zone });
            return TypedResults.Created($"/api/v1/wards/{id}", CatalogViews.Ward(ward));
        });
    }

    private static async Task<Results<Ok<WardView>, ProblemHttpResult>> RenameWard(
        string id, WardRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail audit)
    {
        var v = new Validator();
        v.SameId(body.Id, id);
        var name = v.Required("name", body.Name);
        var zone = TimeZoneOf(v, body.TimeZone);
        if (v.Failed) return v.Problem();
        return await w.ChangeAsync(async Task<Results<Ok<WardView>, ProblemHttpResult>> (_) =>
        {
            if (await db.Wards.FindAsync([id], w.Ct) is not { } ward) return Problems.NotFound("Ward", id);
            ward.Name = name;
            if (zone is not null) ward.TimeZone = zone;
            audit.Record(w.Actor, "ward.renamed", "ward", id, data: new { name, timeZone = ward.TimeZone });
            return TypedResults.Ok(CatalogViews.Ward(ward));
        });
    }

    /// <summary>The zone id as given when this machine knows it (null when left out); the jobs read it with <see cref="WardClock"/>.</summary>
    private static string? TimeZoneOf(Validator v, string? id)
    {
        if (id is null) return null;
        if (WardClock.Find(id.Trim()) is null)
        {
            v.Add("timeZone", "is not a time zone this server knows; use an IANA name such as Europe/London or UTC.");
            return null;
        }
        return id.Trim();
    }

    private static async Task<Results<Ok<WardPolicyView>, ProblemHttpResult>> GetPolicy(string id, FleetDb db, CancellationToken ct) =>
        await db.Wards.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct) is { } ward
            ? TypedResults.Ok(CatalogViews.Policy(ward.Policy))
            : Problems.NotFound("Ward", id);

    /// <summary>Rules read the policy from the database on every evaluation, so a change applies at once, without a restart.</summary>
    private static async Task<Results<Ok<WardPolicyView>, ProblemHttpResult>> PutPolicy(
        string id, WardPolicyRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail audit)
    {
        var v = new Validator();
        var hang = v.Range("hangTimeMinutes", body.HangTimeMinutes, 1, 7 * 24 * 60);
        var due = v.Range("cleaningDueMinutes", body.CleaningDueMinutes, 1, 24 * 60);
        var late = v.Range("lateEntryWindowHours", body.LateEntryWindowHours, 0, 72);
        var margin = v.Range("batteryMarginMinutes", body.BatteryMarginMinutes, 0, 240);
        var offline = v.Range("offlineAfterMinutes", body.OfflineAfterMinutes, 1, 24 * 60, (int)HygienePolicy.Default.OfflineAfter.TotalMinutes);
        if (!TimeOnly.TryParseExact(body.DeepCleanAt ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var deepClean))
            v.Add("deepCleanAt", "must be a time of day as HH:mm, e.g. 06:00.");
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async Task<Results<Ok<WardPolicyView>, ProblemHttpResult>> (_) =>
        {
            if (await db.Wards.FindAsync([id], w.Ct) is not { } ward) return Problems.NotFound("Ward", id);
            var before = CatalogViews.Policy(ward.Policy);
            ward.Policy = new HygienePolicy
            {
                HangTime = TimeSpan.FromMinutes(hang), CleaningDue = TimeSpan.FromMinutes(due), DeepCleanAt = deepClean,
                LateEntryWindow = TimeSpan.FromHours(late), BatteryMargin = TimeSpan.FromMinutes(margin),
                OfflineAfter = TimeSpan.FromMinutes(offline), RequireWipeBeforeUv = body.RequireWipeBeforeUv ?? false,
            };
            var after = CatalogViews.Policy(ward.Policy);
            audit.Record(w.Actor, "ward.policy_changed", "ward", id, data: new { before, after });
            return TypedResults.Ok(after);
        });
    }

    private static async Task<Results<Ok<ModelView>, Created<ModelView>, ProblemHttpResult>> SaveModel(
        string? existingId, ModelRequest body, WriteContext w, FleetDb db, AuditTrail audit)
    {
        var v = new Validator();
        if (existingId is not null) v.SameId(body.Id, existingId);
        var id = existingId ?? v.Identifier("id", body.Id, 40);
        var manufacturer = v.Required("manufacturer", body.Manufacturer, 100);
        var name = v.Required("name", body.Name, 100);
        var runtime = v.Range("batteryRuntimeMinutes", body.BatteryRuntimeMinutes, 1, 24 * 60);
        var cycles = v.Range("batteryCycleRating", body.BatteryCycleRating, 1, 100_000);
        var face = v.Range("facialInterfaceRating", body.FacialInterfaceRating, 1, 100_000);
        var housing = v.Range("housingCleaningRating", body.HousingCleaningRating, 1, 1_000_000);
        if (body.ServiceLifeYears is not (> 0 and <= 50)) v.Add("serviceLifeYears", "must be between 0 and 50 years.");
        var methods = new List<ProductClass>();
        foreach (var m in body.AllowedMethods ?? [])
        {
            if (HeadsetViews.TryParseMethod(m, out var c)) methods.Add(c);
            else v.Add("allowedMethods", $"'{m}' is not a method; use {string.Join(", ", Methods.All)}.");
        }
        if (methods.Count == 0) v.Add("allowedMethods", "needs at least one cleaning method the maker allows.");
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async Task<Results<Ok<ModelView>, Created<ModelView>, ProblemHttpResult>> (_) =>
        {
            var model = await db.Models.FindAsync([id], w.Ct);
            if (existingId is not null && model is null) return Problems.NotFound("Model", id);
            if (existingId is null && model is not null) return Problems.Conflict($"Model '{id}' already exists.");
            if (model is null)
            {
                model = new HeadsetModel
                {
                    Id = id, Manufacturer = manufacturer, Name = name, BatteryRuntimeMinutes = runtime, BatteryCycleRating = cycles,
                    ServiceLifeYears = body.ServiceLifeYears!.Value, FacialInterfaceRating = face, HousingCleaningRating = housing,
                };
                db.Models.Add(model);
            }
            model.Manufacturer = manufacturer;
            model.Name = name;
            model.BatteryRuntimeMinutes = runtime;
            model.BatteryCycleRating = cycles;
            model.ServiceLifeYears = body.ServiceLifeYears!.Value;
            model.FacialInterfaceRating = face;
            model.HousingCleaningRating = housing;
            model.AllowedClasses = methods.Distinct().ToList();
            var view = CatalogViews.Model(model);
            audit.Record(w.Actor, existingId is null ? "model.created" : "model.updated", "model", id, data: view);
            return existingId is null ? TypedResults.Created($"/api/v1/models/{id}", view) : TypedResults.Ok(view);
        });
    }

    private static async Task<Results<Ok<ProductView>, Created<ProductView>, ProblemHttpResult>> SaveProduct(
        string? existingId, ProductRequest body, WriteContext w, FleetDb db, AuditTrail audit)
    {
        var v = new Validator();
        if (existingId is not null) v.SameId(body.Id, existingId);
        var id = existingId ?? v.Identifier("id", body.Id, 40);
        var name = v.Required("name", body.Name);
        if (!HeadsetViews.TryParseMethod(body.Method, out var method)) v.Add("method", $"must be one of {string.Join(", ", Methods.All)}.");
        var contact = v.Range("contactSeconds", body.ContactSeconds, 1, 3600);
        if (body.DrySeconds is not null) v.Range("drySeconds", body.DrySeconds, 0, 3600);
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async Task<Results<Ok<ProductView>, Created<ProductView>, ProblemHttpResult>> (_) =>
        {
            var product = await db.Products.FindAsync([id], w.Ct);
            if (existingId is not null && product is null) return Problems.NotFound("Product", id);
            if (existingId is null && product is not null) return Problems.Conflict($"Product '{id}' already exists.");
            if (product is null)
            {
                product = new DisinfectantProduct { Id = id, Name = name, Class = method, ContactSeconds = contact };
                db.Products.Add(product);
            }
            // Cleanings keep the contact time they were judged by, so editing a product never rewrites history.
            product.Name = name;
            product.Class = method;
            product.ContactSeconds = contact;
            product.DrySeconds = body.DrySeconds;
            product.Active = body.Active ?? true;
            var view = CatalogViews.Product(product);
            audit.Record(w.Actor, existingId is null ? "product.created" : "product.updated", "product", id, data: view);
            return existingId is null ? TypedResults.Created($"/api/v1/products/{id}", view) : TypedResults.Ok(view);
        });
    }
}
