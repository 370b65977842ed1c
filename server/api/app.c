/* app: forwards committed changes to whoever main.c wired as the sink, and frees what the handlers kept
 * in the app; it holds no state of its own. */
#include "api/app.h"

#include <stdlib.h>

void app_changed(struct app *app, int64_t seq)
{
	if (seq > 0 && app->sink.changed)
		app->sink.changed(app->sink.ctx, seq);
}

static void app_page_release(struct app_page *page)
{
	encodings_clear(&page->enc);
	page->tried = false;
}

void app_release(struct app *app)
{
	for (size_t i = 0; i < APP_PAGES_MAX; i++)
		app_page_release(&app->pages[i]);
}
