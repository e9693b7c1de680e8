using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Users;
using Fleet.Domain;
using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Seeding;

/// <summary>
/// A small hospital to try Fleet on: 2 wards, 3 models, the default disinfectants, 12 headsets (all Dirty,
/// because Fleet never assumes clean) and one user per role. Only in Development, and only into an empty database.
/// The model ratings are illustrative figures for planning, not manufacturer specifications.
/// </summary>
public static class DevelopmentSeed
{
    public const string DevelopmentPassword = "fleet";

    public static readonly IReadOnlyList<(string User, string Role)> Users =
    [
        ("nurse", Roles.Nurse), ("scheduler", Roles.Scheduler), ("biomed", Roles.Biomed), ("infection", Roles.InfectionControl), ("admin", Roles.Admin),
    ];

    /// <summary>Names the pages show for the development logins ("Alex Kim, nurse").</summary>
    private static readonly IReadOnlyDictionary<string, string> DisplayNames = new Dictionary<string, string>
    {
        ["nurse"] = "Alex Kim", ["scheduler"] = "Sam Patel", ["biomed"] = "Jordan Lee", ["infection"] = "Morgan Reyes", ["admin"] = "Robin Shaw",
    };

    public static async Task SeedAsync(FleetDb db, AuditTrail audit, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.Wards.AnyAsync(ct)) return;

        db.Wards.AddRange(
            new Ward { Id = "paediatrics", Name = "Paediatric oncology" },
            new Ward { Id = "burns", Name = "Burns unit" });

        db.Models.AddRange(
            new HeadsetModel
            {
                Id = "quest-3", Manufacturer = "Meta", Name = "Quest 3", BatteryRuntimeMinutes = 132, BatteryCycleRating = 500,
                ServiceLifeYears = 3, FacialInterfaceRating = 60, HousingCleaningRating = 1500,
                AllowedClasses = [ProductClass.QuaternaryAmmonium, ProductClass.HydrogenPeroxide, ProductClass.HypochloriteSporicidal, ProductClass.UvcCabinet],
            },
            new HeadsetModel
            {
                Id = "pico-4e", Manufacturer = "PICO", Name = "4 Enterprise", BatteryRuntimeMinutes = 150, BatteryCycleRating = 500,
                ServiceLifeYears = 4, FacialInterfaceRating = 150, HousingCleaningRating = 2000,
                AllowedClasses = [ProductClass.QuaternaryAmmonium, ProductClass.Alcohol70, ProductClass.HydrogenPeroxide, ProductClass.HypochloriteSporicidal, ProductClass.UvcCabinet],
            },
            new HeadsetModel
            {
                Id = "vive-focus-3", Manufacturer = "HTC", Name = "Vive Focus 3", BatteryRuntimeMinutes = 120, BatteryCycleRating = 800,
                ServiceLifeYears = 4, FacialInterfaceRating = 200, HousingCleaningRating = 2500,
                AllowedClasses = [ProductClass.QuaternaryAmmonium, ProductClass.Alcohol70, ProductClass.HydrogenPeroxide, ProductClass.UvcCabinet],
            });

        db.Products.AddRange(
            new DisinfectantProduct { Id = "quat-wipe", Name = "Quaternary ammonium wipe", Class = ProductClass.QuaternaryAmmonium, ContactSeconds = 120 },
            new DisinfectantProduct { Id = "alcohol-wipe", Name = "70 % alcohol wipe", Class = ProductClass.Alcohol70, ContactSeconds = 60 },
            new DisinfectantProduct { Id = "peroxide-wipe", Name = "Hydrogen peroxide wipe", Class = ProductClass.HydrogenPeroxide, ContactSeconds = 60 },
            new DisinfectantProduct { Id = "hypochlorite-wipe", Name = "Hypochlorite sporicidal wipe", Class = ProductClass.HypochloriteSporicidal, ContactSeconds = 180 },
            new DisinfectantProduct { Id = "uvc-cabinet", Name = "UV-C cabinet cycle", Class = ProductClass.UvcCabinet, ContactSeconds = 60 });

        string[] models = ["quest-3", "pico-4e", "vive-focus-3"];
        for (var i = 1; i <= 12; i++)
        {
            var id = $"HS-{i:0000}";
            db.Headsets.Add(Headset.Register(id, $"SN-{models[(i - 1) % 3].ToUpperInvariant()}-{1000 + i}", $"VR-{i:000}",
                models[(i - 1) % 3], i <= 6 ? "paediatrics" : "burns", now));
        }

        foreach (var (user, role) in Users)
            db.Add(new UserAccount { Username = user, PasswordHash = Passwords.Hash(DevelopmentPassword), Roles = [role], CreatedAt = now, DisplayName = DisplayNames[user] });

        audit.Record(Actor.System("seed"), "development.seeded", "fleet", "fleet", "Development start-up on an empty database.");
    }
}
