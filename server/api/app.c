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
	app_page_release(&app->r_page);
	app_page_release(&app->e_page);
	app_page_release(&app->checkin_page);
	app_page_release(&app->login_page);
	app_page_release(&app->admin_page);
	app_page_release(&app->bo_page);
	app_page_release(&app->calendar_page);
	app_page_release(&app->event_edit_page);
	app_page_release(&app->venues_page);
	app_page_release(&app->dash_page);
}
