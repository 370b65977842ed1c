/*
 * store_phones: what the store needs to hold phones in E.164 — the SQL function majlis_phone_e164()
 * that migration 0004 normalises with, and the start-up report of phones that stay as typed.
 */
#ifndef MAJLIS_STORE_STORE_PHONES_H
#define MAJLIS_STORE_STORE_PHONES_H

struct db;

/* Registers majlis_phone_e164(text) on db's connection: text_phone_e164 of its argument, NULL when
 * that is NULL or no phone number. Thread of the connection. Returns 0 or STORE_ERROR. */
int store_phones_register(struct db *db);
/* Logs (a warning, ids only, at most 20 of them) how many people keep a phone that is not E.164,
 * i.e. that text_phone_e164 could not read when migration 0004 ran. Returns 0 or a store_rc. */
int store_phones_report(struct db *db);

#endif
