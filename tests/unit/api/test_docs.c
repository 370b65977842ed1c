/* test_docs: keeps docs/api.md honest — every route in the router has its own section. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/router.h"

struct docs_ctx {
	char *text;
	int missing;
	int routes;
};

static char *docs_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = calloc(1, (size_t)n + 1);
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

static void docs_check_route(void *vctx, enum http_method m, const char *pattern)
{
	struct docs_ctx *ctx = vctx;
	char heading[512];

	snprintf(heading, sizeof(heading), "### %s %s\n", http_method_name(m), pattern);
	ctx->routes++;
	if (!strstr(ctx->text, heading)) {
		fprintf(stderr, "docs/api.md lacks a section \"%.*s\"\n", (int)strlen(heading) - 1, heading);
		ctx->missing++;
	}
}

static void every_route_is_documented(void **state)
{
	struct docs_ctx ctx = {0};

	(void)state;
	ctx.text = docs_read(MAJLIS_SOURCE_DIR "/docs/api.md");
	assert_non_null(ctx.text);
	router_each(docs_check_route, &ctx);
	free(ctx.text);
	assert_true(ctx.routes > 0);
	assert_int_equal(ctx.missing, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_route_is_documented),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
