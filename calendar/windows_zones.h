/*
 * windows_zones: the table from Windows time zone names (as Outlook and Exchange write them in TZID) to
 * tz database names, after CLDR's windowsZones.xml (territory "001"); it converts no time itself.
 */
#ifndef MAJLIS_CALENDAR_WINDOWS_ZONES_H
#define MAJLIS_CALENDAR_WINDOWS_ZONES_H

/* The tz database name for a Windows zone name ("Morocco Standard Time" -> "Africa/Casablanca"),
 * compared without regard to ASCII case; NULL when the name is not in the table. Pure, any thread. */
const char *windows_zone_to_iana(const char *windows_name);

#endif
