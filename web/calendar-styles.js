// calendar-styles: lets FullCalendar 6 style itself under the strict CSP (style-src 'self'). FullCalendar 6
// keeps its CSS in its script and puts it into a <style data-fullcalendar> element it creates, which the CSP
// refuses (a console error, and a calendar without layout). Before its script runs, this places an element
// it finds by that selector instead: not an HTML <style> (no inline style for the CSP to refuse), whose
// "sheet" is a constructed stylesheet adopted by the document; FullCalendar then adds its rules to it one by
// one through the CSSOM (insertRule), which the CSP allows — all but its icon font, a data: URL that the
// CSP's font-src 'self' refuses (the calendar uses text buttons instead). Loaded (defer) just before
// /vendor/fullcalendar/index.global.min.js. A browser without constructed stylesheets gets the element
// without a sheet: FullCalendar then leaves its styles out (a warning), and the page stays usable.
'use strict';

(function () {
	const holder = document.createElementNS('urn:x-majlis:fullcalendar', 'style');
	holder.setAttribute('data-fullcalendar', '');
	try {
		const sheet = new CSSStyleSheet();
		const insert = sheet.insertRule.bind(sheet);
		// FullCalendar numbers its rules as it adds them: one left out shifts the next ones' places
		sheet.insertRule = (rule, index) => (/^\s*@font-face/i.test(rule) ? sheet.cssRules.length
			: insert(rule, Math.min(index, sheet.cssRules.length)));
		document.adoptedStyleSheets = [sheet].concat(Array.from(document.adoptedStyleSheets || []));
		Object.defineProperty(holder, 'sheet', { value: sheet });
	} catch (e) {
		// no constructed stylesheets (an old browser): no sheet, FullCalendar's own check leaves it be
	}
	document.head.appendChild(holder);
})();
