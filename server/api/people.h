/*
 * people (api): how a person's JSON body becomes the domain's typed people_input — types and shapes
 * only, no rules (those are domain/people.c's); shared by the handlers and the people unit test.
 */
#ifndef MAJLIS_API_PEOPLE_H
#define MAJLIS_API_PEOPLE_H

#include <json-c/json.h>
#include <stdbool.h>

#include "domain/people.h"
#include "util/jsonx.h"

/* Reads body into in (strings borrowed from body, valid while it lives): known keys only (consent and
 * org_id on create only), each value of its type, kind and bound. 0, or -1 with je filled. */
int api_people_parse(struct json_object *body, bool create, struct people_input *in, struct jsonx_err *je);

#endif
