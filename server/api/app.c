/* app: forwards committed changes to whoever main.c wired as the sink, and frees what the handlers kept
 * in the app; it holds no state of its own. */
#include "api/app.h"

#include <stdlib.h>

void app_changed(struct app *app, int64_t seq)
{
	if (seq > 0 && app->sink.changed)
		app->sink.changed(app->sink.ctx, seq);
}

void app_release(struct app *app)
{
	free(app->r_page.data);
	app->r_page.data = NULL;
	app->r_page.len = 0;
	app->r_page.tried = false;
}
