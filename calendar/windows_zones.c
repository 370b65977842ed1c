/* windows_zones: a fixed table of Windows zone names to tz database names (CLDR windowsZones, territory
 * "001"); it must not compile in offsets or rules — those come from the system tz database. */
#include "calendar/windows_zones.h"

#include <stddef.h>
#include <strings.h>

/* One mapping; static, read-only, any thread. */
struct windows_zone {
	const char *windows;
	const char *iana;
};

static const struct windows_zone windows_zones[] = {
    {"Morocco Standard Time", "Africa/Casablanca"},
    {"UTC", "UTC"},
    {"Coordinated Universal Time", "UTC"},
    {"GMT Standard Time", "Europe/London"},
    {"Greenwich Standard Time", "Atlantic/Reykjavik"},
    {"W. Europe Standard Time", "Europe/Berlin"},
    {"Central Europe Standard Time", "Europe/Budapest"},
    {"Romance Standard Time", "Europe/Paris"},
    {"Central European Standard Time", "Europe/Warsaw"},
    {"W. Central Africa Standard Time", "Africa/Lagos"},
    {"E. Europe Standard Time", "Europe/Chisinau"},
    {"GTB Standard Time", "Europe/Bucharest"},
    {"FLE Standard Time", "Europe/Kiev"},
    {"Turkey Standard Time", "Europe/Istanbul"},
    {"Russian Standard Time", "Europe/Moscow"},
    {"Egypt Standard Time", "Africa/Cairo"},
    {"South Africa Standard Time", "Africa/Johannesburg"},
    {"Libya Standard Time", "Africa/Tripoli"},
    {"Sudan Standard Time", "Africa/Khartoum"},
    {"South Sudan Standard Time", "Africa/Juba"},
    {"E. Africa Standard Time", "Africa/Nairobi"},
    {"Namibia Standard Time", "Africa/Windhoek"},
    {"Sao Tome Standard Time", "Africa/Sao_Tome"},
    {"Israel Standard Time", "Asia/Jerusalem"},
    {"Jordan Standard Time", "Asia/Amman"},
    {"Middle East Standard Time", "Asia/Beirut"},
    {"Syria Standard Time", "Asia/Damascus"},
    {"West Bank Standard Time", "Asia/Hebron"},
    {"Arab Standard Time", "Asia/Riyadh"},
    {"Arabic Standard Time", "Asia/Baghdad"},
    {"Arabian Standard Time", "Asia/Dubai"},
    {"Iran Standard Time", "Asia/Tehran"},
    {"Pakistan Standard Time", "Asia/Karachi"},
    {"India Standard Time", "Asia/Calcutta"},
    {"Bangladesh Standard Time", "Asia/Dhaka"},
    {"China Standard Time", "Asia/Shanghai"},
    {"Tokyo Standard Time", "Asia/Tokyo"},
    {"AUS Eastern Standard Time", "Australia/Sydney"},
    {"Cape Verde Standard Time", "Atlantic/Cape_Verde"},
    {"Azores Standard Time", "Atlantic/Azores"},
    {"Eastern Standard Time", "America/New_York"},
    {"Central Standard Time", "America/Chicago"},
    {"Mountain Standard Time", "America/Denver"},
    {"Pacific Standard Time", "America/Los_Angeles"},
    {"Atlantic Standard Time", "America/Halifax"},
    {"Canada Central Standard Time", "America/Regina"},
    {"SA Pacific Standard Time", "America/Bogota"},
    {"E. South America Standard Time", "America/Sao_Paulo"},
    {"Argentina Standard Time", "America/Buenos_Aires"},
    {"Hawaiian Standard Time", "Pacific/Honolulu"},
};

const char *windows_zone_to_iana(const char *windows_name)
{
	if (!windows_name)
		return NULL;
	for (size_t i = 0; i < sizeof(windows_zones) / sizeof(windows_zones[0]); i++)
		if (!strcasecmp(windows_zones[i].windows, windows_name))
			return windows_zones[i].iana;
	return NULL;
}
