// icaljs_check: parses an iCalendar text from stdin with the npm package ical.js (as web calendar
// clients do) and prints JSON {calendar: {...}, events: [{uid, start_utc, end_utc, status, sequence,
// summary, description, location, url, categories, organizer, attendees}]}; it judges nothing itself.
// Exit status 2 when the text does not parse.
import ICAL from 'ical.js';
import { readStdin } from './stdin.mjs';

function iso(t) {
	if (!t) return null;
	if (t.zone && t.zone.tzid !== 'UTC' && t.zone !== ICAL.Timezone.utcTimezone) {
		return { floating_or_zoned: t.toString() };
	}
	return t.toJSDate().toISOString().replace('.000Z', 'Z');
}

const text = await readStdin();
let comp;
try {
	comp = new ICAL.Component(ICAL.parse(text));
} catch (e) {
	process.stderr.write(`ical.js could not parse the feed: ${e}\n`);
	process.exit(2);
}
const calendar = {
	name: comp.getFirstPropertyValue('x-wr-calname'),
	timezone: comp.getFirstPropertyValue('x-wr-timezone'),
	method: comp.getFirstPropertyValue('method'),
	version: comp.getFirstPropertyValue('version'),
	prodid: comp.getFirstPropertyValue('prodid'),
	refresh_interval: String(comp.getFirstPropertyValue('refresh-interval') ?? ''),
};
const events = comp.getAllSubcomponents('vevent').map((v) => {
	const ev = new ICAL.Event(v);
	const organizer = v.getFirstProperty('organizer');
	return {
		uid: ev.uid,
		start_utc: iso(ev.startDate),
		end_utc: iso(ev.endDate),
		status: v.getFirstPropertyValue('status'),
		sequence: ev.sequence,
		summary: ev.summary,
		description: ev.description,
		location: ev.location,
		url: v.getFirstPropertyValue('url'),
		categories: v.getAllProperties('categories').flatMap((p) => p.getValues()),
		organizer: organizer ? { value: organizer.getFirstValue(), cn: organizer.getParameter('cn') } : null,
		attendees: v.getAllProperties('attendee').map((p) => ({
			value: p.getFirstValue(),
			cn: p.getParameter('cn') ?? null,
			partstat: p.getParameter('partstat') ?? null,
		})),
	};
});
process.stdout.write(JSON.stringify({ calendar, events }) + '\n');
