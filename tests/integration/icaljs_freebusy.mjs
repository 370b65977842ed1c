// icaljs_freebusy: parses a free/busy iCalendar text from stdin with the npm package ical.js and prints
// JSON {freebusy: [{uid, dtstamp, start, end, periods: [{type, start, end}], organizer, attendees}]}
// with every instant in UTC ISO form; it judges nothing itself. Exit status 2 when the text does not parse.
import ICAL from 'ical.js';
import { readStdin } from './stdin.mjs';

function iso(t) {
	return t ? t.toJSDate().toISOString().replace('.000Z', 'Z') : null;
}

const text = await readStdin();
let comp;
try {
	comp = new ICAL.Component(ICAL.parse(text));
} catch (e) {
	process.stderr.write(`ical.js could not parse the free/busy text: ${e}\n`);
	process.exit(2);
}
const freebusy = comp.getAllSubcomponents('vfreebusy').map((fb) => ({
	uid: fb.getFirstPropertyValue('uid'),
	dtstamp: iso(fb.getFirstPropertyValue('dtstamp')),
	start: iso(fb.getFirstPropertyValue('dtstart')),
	end: iso(fb.getFirstPropertyValue('dtend')),
	periods: fb.getAllProperties('freebusy').flatMap((p) =>
		p.getValues().map((v) => ({ type: p.getParameter('fbtype'), start: iso(v.start), end: iso(v.getEnd()) })),
	),
	organizer: fb.getFirstPropertyValue('organizer'),
	attendees: fb.getAllProperties('attendee').length,
}));
process.stdout.write(JSON.stringify({ freebusy }) + '\n');
