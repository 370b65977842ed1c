/* qr: QR encoding through libqrencode and its SVG rendering; one path per dark run, no state. */
#include "util/qr.h"

#include <qrencode.h>
#include <string.h>

#define QR_QUIET 4 /* modules of white around the code, as the standard asks */

int qr_svg(const char *text, struct buf *out)
{
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	int size, rc = 0;

	if (!q)
		return -1;
	size = q->width + 2 * QR_QUIET;
	rc |= buf_printf(out,
			 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
			 "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\">"
			 "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
			 size, size, size, size);
	for (int y = 0; y < q->width && !rc; y++) {
		for (int x = 0; x < q->width;) {
			int run = 0;

			while (x + run < q->width && (q->data[y * q->width + x + run] & 1))
				run++;
			if (run) {
				rc |=
				    buf_printf(out, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, run, run);
				x += run;
			} else {
				x++;
			}
		}
	}
	rc |= buf_puts(out, "\"/></svg>\n");
	QRcode_free(q);
	return rc ? -1 : 0;
}
