/* ratelimit: a fixed table of recent client addresses with their login, token-miss and lost-link counts
 * (struct ratelimit, the app's); it must stay bounded (no allocation) and never be the thing that does the
 * costly work. */
#include "api/ratelimit.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define RATELIMIT_PROBE 8 /* slots tried per address (open addressing); the stalest of them is reused */

static uint32_t ratelimit_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* Whether slot a is a better one to reuse than b: a free slot first, then one without logins in flight,
 * then the least recently seen. */
static bool ratelimit_before(const struct ratelimit_client *a, const struct ratelimit_client *b)
{
	if (!a->addr[0] || !b->addr[0])
		return !a->addr[0] && b->addr[0];
	if ((a->login_inflight > 0) != (b->login_inflight > 0))
		return a->login_inflight == 0;
	return a->seen < b->seen;
}

/* The slot of client, or (create) a fresh one replacing the stalest slot of its probe run; NULL when
 * client is unknown, too long, or absent and !create. */
static struct ratelimit_client *ratelimit_find(struct ratelimit *rl, const char *client, int64_t now,
					       bool create)
{
	struct ratelimit_client *victim = NULL;
	uint32_t h;

	if (!client || !client[0] || strlen(client) >= sizeof(rl->table[0].addr))
		return NULL;
	h = ratelimit_hash(client);
	for (int i = 0; i < RATELIMIT_PROBE; i++) {
		struct ratelimit_client *c = &rl->table[(h + (uint32_t)i) % RATELIMIT_CLIENTS];

		if (c->addr[0] && !strcmp(c->addr, client)) {
			c->seen = now > c->seen ? now : c->seen;
			return c;
		}
		if (!victim || ratelimit_before(c, victim))
			victim = c;
	}
	if (!create)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	snprintf(victim->addr, sizeof(victim->addr), "%s", client);
	victim->seen = now;
	return victim;
}

int ratelimit_login_begin(struct ratelimit *rl, const char *client, int64_t now, int64_t *retry_after)
{
	struct ratelimit_client *c = ratelimit_find(rl, client, now, true);

	*retry_after = 0;
	if (!c)
		return 0;
	if (now - c->login_window >= 60 || now < c->login_window) {
		c->login_window = now;
		c->login_count = 0;
	}
	if (c->login_inflight >= RATELIMIT_LOGIN_INFLIGHT) {
		*retry_after = 1;
		return -1;
	}
	if (c->login_count >= RATELIMIT_LOGIN_PER_MIN) {
		*retry_after = c->login_window + 60 - now;
		return -1;
	}
	c->login_count++;
	c->login_inflight++;
	return 0;
}

void ratelimit_login_done(struct ratelimit *rl, const char *client)
{
	struct ratelimit_client *c = ratelimit_find(rl, client, 0, false);

	if (c && c->login_inflight > 0)
		c->login_inflight--;
}

int ratelimit_token_check(struct ratelimit *rl, const char *client, int64_t now, int64_t *retry_after)
{
	struct ratelimit_client *c = ratelimit_find(rl, client, now, false);

	*retry_after = 0;
	if (!c || c->miss_count < RATELIMIT_MISS_MAX)
		return 0;
	if (now - c->miss_window >= RATELIMIT_MISS_WINDOW_S || now < c->miss_window) {
		c->miss_window = now;
		c->miss_count = 0;
		return 0;
	}
	*retry_after = c->miss_window + RATELIMIT_MISS_WINDOW_S - now;
	return -1;
}

void ratelimit_token_miss(struct ratelimit *rl, const char *client, int64_t now)
{
	struct ratelimit_client *c = ratelimit_find(rl, client, now, true);

	if (!c)
		return;
	if (now - c->miss_window >= RATELIMIT_MISS_WINDOW_S || now < c->miss_window) {
		c->miss_window = now;
		c->miss_count = 0;
	}
	c->miss_count++;
}

int ratelimit_link_check(struct ratelimit *rl, const char *client, int64_t now, int64_t *retry_after)
{
	struct ratelimit_client *c = ratelimit_find(rl, client, now, false);

	*retry_after = 0;
	if (!c || c->link_count < RATELIMIT_LINK_MAX)
		return 0;
	if (now - c->link_window >= RATELIMIT_LINK_WINDOW_S || now < c->link_window) {
		c->link_window = now;
		c->link_count = 0;
		return 0;
	}
	*retry_after = c->link_window + RATELIMIT_LINK_WINDOW_S - now;
	return -1;
}

void ratelimit_link_count(struct ratelimit *rl, const char *client, int64_t now)
{
	struct ratelimit_client *c = ratelimit_find(rl, client, now, true);

	if (!c)
		return;
	if (now - c->link_window >= RATELIMIT_LINK_WINDOW_S || now < c->link_window) {
		c->link_window = now;
		c->link_count = 0;
	}
	c->link_count++;
}

void ratelimit_reset(struct ratelimit *rl)
{
	memset(rl, 0, sizeof(*rl));
}
