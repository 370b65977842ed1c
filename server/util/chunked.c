/* chunked: the chunked transfer coding's decoder for request bodies; no I/O, no allocation of its own. */
#include "util/chunked.h"
#include "util/text.h"

#include <string.h>

enum {
	CK_SIZE = 0, /* hex digits of a chunk size */
	CK_EXT,	     /* after the size: whitespace and extensions, up to CR */
	CK_SIZE_LF,  /* LF after the size line */
	CK_DATA,     /* the chunk's data */
	CK_DATA_CR,  /* CR after the data */
	CK_DATA_LF,  /* LF after the data */
	CK_TRAILER,  /* at the start of a trailer line, or of the final CRLF */
	CK_TRAILER_LINE,
	CK_TRAILER_LF,
	CK_FINAL_LF,
	CK_DONE
};

#define CHUNKED_LINE_MAX 4096 /* an extension or trailer line longer than this is refused */

void chunked_init(struct chunked *ck)
{
	memset(ck, 0, sizeof(*ck));
}

enum chunked_rc chunked_decode(struct chunked *ck, const char *in, size_t n, size_t *used, struct buf *out,
			       size_t limit)
{
	size_t i = 0;

	while (i < n && ck->state != CK_DONE) {
		char c = in[i];

		switch (ck->state) {
		case CK_SIZE: {
			int v = text_hex_digit(c);

			if (v >= 0) {
				/* the limit bounds the size long before 64 bits could overflow */
				ck->size = ck->size * 16 + (uint64_t)v;
				ck->digits++;
				if (ck->size > limit - ck->total) {
					*used = i;
					return CHUNKED_TOO_LARGE;
				}
				i++;
				break;
			}
			if (!ck->digits || (c != ';' && c != ' ' && c != '\t' && c != '\r'))
				goto bad;
			ck->state = c == '\r' ? CK_SIZE_LF : CK_EXT;
			ck->line = 0;
			i++;
			break;
		}
		case CK_EXT:
			if (c == '\r')
				ck->state = CK_SIZE_LF;
			else if (c == '\n' || ++ck->line > CHUNKED_LINE_MAX)
				goto bad;
			i++;
			break;
		case CK_SIZE_LF:
			if (c != '\n')
				goto bad;
			ck->state = ck->size ? CK_DATA : CK_TRAILER;
			i++;
			break;
		case CK_DATA: {
			size_t take = n - i < ck->size ? n - i : (size_t)ck->size;

			if (out && buf_append(out, in + i, take)) {
				*used = i;
				return CHUNKED_TOO_LARGE;
			}
			ck->total += take;
			ck->size -= take;
			i += take;
			if (!ck->size)
				ck->state = CK_DATA_CR;
			break;
		}
		case CK_DATA_CR:
			if (c != '\r')
				goto bad;
			ck->state = CK_DATA_LF;
			i++;
			break;
		case CK_DATA_LF:
			if (c != '\n')
				goto bad;
			ck->state = CK_SIZE;
			ck->digits = 0;
			i++;
			break;
		case CK_TRAILER:
			ck->state = c == '\r' ? CK_FINAL_LF : CK_TRAILER_LINE;
			ck->line = 0;
			i++;
			break;
		case CK_TRAILER_LINE:
			if (c == '\r')
				ck->state = CK_TRAILER_LF;
			else if (c == '\n' || ++ck->line > CHUNKED_LINE_MAX)
				goto bad;
			i++;
			break;
		case CK_TRAILER_LF:
		case CK_FINAL_LF:
			if (c != '\n')
				goto bad;
			ck->state = ck->state == CK_FINAL_LF ? CK_DONE : CK_TRAILER;
			i++;
			break;
		default:
			goto bad;
		}
	}
	*used = i;
	return ck->state == CK_DONE ? CHUNKED_DONE : CHUNKED_MORE;
bad:
	*used = i;
	return CHUNKED_BAD;
}
