/* app: forwards committed changes to whoever main.c wired as the sink; holds no state of its own. */
#include "api/app.h"

void app_changed(struct app *app, int64_t seq)
{
	if (seq > 0 && app->sink.changed)
		app->sink.changed(app->sink.ctx, seq);
}
