/*
 * csv: RFC 4180 text for spreadsheets — a cell quoted when it holds a comma, a quote or a line break, and a
 * cell a spreadsheet would read as a formula neutralised; it knows no resource and no language.
 */
#ifndef MAJLIS_UTIL_CSV_H
#define MAJLIS_UTIL_CSV_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

/* The UTF-8 byte order mark a CSV file begins with, so that Excel reads it as UTF-8 (Arabic intact). */
#define CSV_BOM "\xEF\xBB\xBF"

/*
 * Appends cell s (NULL: empty) to b, after a comma unless first. A cell beginning with '=', '+', '-', '@', a
 * tab or a carriage return (what spreadsheets take for a formula) gets a leading apostrophe; a cell holding a
 * comma, a double quote, CR or LF is quoted, its quotes doubled. 0, or -1 when b is full (b's contents are
 * then incomplete).
 */
int csv_cell(struct buf *b, const char *s, bool first);
/* Appends the number v as a cell (never neutralised: digits only, with a sign when negative). 0 or -1. */
int csv_int(struct buf *b, int64_t v, bool first);
/* Ends the record (CRLF). 0 or -1. */
int csv_row_end(struct buf *b);

#endif
