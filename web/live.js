// live: the one way majlisd's pages follow /live (subprotocol majlis-live.v2, docs/live.md) — opens the
// socket with the page's topics and credential, hands every message (a frame may be one object or an
// array of them) to the page in order, reconnects with a growing delay and replays from the last seq seen
// (since=), tells the page to refetch its snapshot on resync, and stops for good on close code 4001 (the
// credential no longer holds). It renders nothing: the page decides what a message changes.
'use strict';

(function () {
	const M = window.Majlis;
	const PROTOCOL = 'majlis-live.v2';
	const REPLACED = 4001;

	// open({topics, token, onMessage(msg), onResync(), onEnd(code)}): follows topics (token: a participant's
	// personal token, sent as ?token=; without it the browser's own credentials). Returns {close()}.
	function open(opts) {
		const o = opts || {};
		let ws = null;
		let seq = null; // the last change seen: a reconnect replays what came after it
		let delay = 1000;
		let timer = null;
		let closed = false;

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
			ws.addEventListener('open', () => {
				delay = 1000;
			});
			ws.addEventListener('message', (ev) => {
				let data;
				try {
					data = JSON.parse(ev.data);
				} catch (e) {
					return;
				}
				for (const msg of Array.isArray(data) ? data : [data]) handle(msg);
			});
			ws.addEventListener('close', (ev) => {
				ws = null;
				if (ev.code === REPLACED) {
					closed = true;
					if (o.onEnd) o.onEnd(ev.code);
					return;
				}
				later();
			});
		}

		connect();
		return {
			close() {
				closed = true;
				if (timer) clearTimeout(timer);
				timer = null;
				if (ws) ws.close(1000);
			},
		};
	}

	M.live = { open };
})();
