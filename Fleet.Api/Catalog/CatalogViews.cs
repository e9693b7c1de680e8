using Fleet.Api.Headsets;
using Fleet.Contracts.Api;
using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;

namespace Fleet.Api.Catalog;

public static class CatalogViews
{
    public static WardView Ward(Ward w) => new(w.Id, w.Name, Policy(w.Policy), w.TimeZone);

    public static WardPolicyView Policy(HygienePolicy p) => new(
        (int)p.HangTime.TotalMinutes, (int)p.CleaningDue.TotalMinutes, p.DeepCleanAt.ToString("HH:mm"),
        (int)p.LateEntryWindow.TotalHours, (int)p.BatteryMargin.TotalMinutes, (int)p.OfflineAfter.TotalMinutes, p.RequireWipeBeforeUv);

    public static ModelView Model(HeadsetModel m) => new(m.Id, m.Manufacturer, m.Name, m.BatteryRuntimeMinutes, m.BatteryCycleRating,
        m.ServiceLifeYears, m.FacialInterfaceRating, m.HousingCleaningRating, m.AllowedClasses.Select(HeadsetViews.MethodName).ToList());

    public static ProductView Product(DisinfectantProduct p) =>
        new(p.Id, p.Name, HeadsetViews.MethodName(p.Class), p.ContactSeconds, p.DrySeconds, p.Active, p.Sporicidal);
}
