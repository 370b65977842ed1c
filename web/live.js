// live: the one way majlisd's pages follow /live (subprotocol majlis-live.v2, docs/live.md) — opens the
// socket with the page's topics and credential, hands every message (a frame may be one object or an
// array of them) to the page in order, reconnects with a growing delay and replays from the last seq seen
// (since=), tells the page to refetch its snapshot on resync (and after a reconnect that has no seq to
// replay from), says when it is connected or not (the browser going offline counts at once), and stops for
// good on close code 4001 (the credential no longer holds). It renders nothing: the page decides what a
// message changes.
'use strict';

(function () {
	const M = window.Majlis;
	const PROTOCOL = 'majlis-live.v2';
	const REPLACED = 4001;

	// open({topics, token, onMessage(msg), onResync(), onEnd(code), onState(online)}): follows topics
	// (token: a participant's personal token, sent as ?token=; without it the browser's own credentials).
	// onState(true) when a socket opened, onState(false) when it closed or the browser went offline.
	// Returns {close()}.
	function open(opts) {
		const o = opts || {};
		let ws = null;
		let seq = null; // the last change seen: a reconnect replays what came after it
		let delay = 1000;
		let timer = null;
		let closed = false;
		let opened = false; // a socket was open once: the next one is a reconnect
		let online = null; // what onState was told last

		function tell(v) {
			if (v === online) return;
			online = v;
			if (o.onState) o.onState(v);
		}

		function url() {
			const q = new URLSearchParams();
			for (const topic of o.topics || []) q.append('topic', topic);
			if (o.token) q.set('token', o.token);
			if (seq !== null) q.set('since', String(seq));
			return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/live?' + q.toString();
		}

		function handle(msg) {
			if (!msg || typeof msg !== 'object') return;
			if (typeof msg.seq === 'number' && (seq === null || msg.seq > seq)) seq = msg.seq;
			if (msg.type === 'resync') {
				if (o.onResync) o.onResync();
				return;
			}
			if (o.onMessage) o.onMessage(msg);
		}

		function later() {
			if (closed || timer) return;
			// 1 s, 2 s, 4 s ... at most a minute, each with up to a fifth more at random
			const wait = delay + Math.floor(Math.random() * delay * 0.2);
			delay = Math.min(delay * 2, 60000);
			const go = () => {
				timer = null;
				window.removeEventListener('online', go);
				connect();
			};
			timer = setTimeout(go, wait);
			window.addEventListener('online', go, { once: true });
		}

		function connect() {
			if (closed) return;
			if (timer) {
				clearTimeout(timer);
				timer = null;
			}
			try {
				ws = new WebSocket(url(), PROTOCOL);
			} catch (e) {
				later();
				return;
			}
			const me = ws;
			me.addEventListener('open', () => {
				if (ws !== me) return;
				delay = 1000;
				tell(true);
				// nothing seen before the drop: nothing to replay from, the page reloads its snapshot
				if (opened && seq === null && o.onResync) o.onResync();
				opened = true;
			});
			me.addEventListener('message', (ev) => {
				if (ws !== me) return;
				let data;
				try {
					data = JSON.parse(ev.data);
				} catch (e) {
					return;
				}
				for (const msg of Array.isArray(data) ? data : [data]) handle(msg);
			});
			me.addEventListener('close', (ev) => {
				if (ws !== me) return;
				ws = null;
				tell(false);
				if (ev.code === REPLACED) {
					closed = true;
					if (o.onEnd) o.onEnd(ev.code);
					return;
				}
				later();
			});
		}

		// The browser says it lost the network: the socket is as good as gone (its close would wait for a
		// timeout), so it is dropped now and a new one opens when the network is back.
		function offline() {
			if (closed || !ws) return;
			const old = ws;
			ws = null;
			tell(false);
			try {
				old.close(1000);
			} catch (e) {
				// already closing
			}
			later();
		}

		window.addEventListener('offline', offline);
		connect();
		return {
			close() {
				closed = true;
				window.removeEventListener('offline', offline);
				if (timer) clearTimeout(timer);
				timer = null;
				if (ws) ws.close(1000);
				ws = null;
			},
		};
	}

	M.live = { open };
})();
