/*
 * qr: QR codes as SVG images (libqrencode), for tickets a phone can show at the door; it renders
 * only what it is given and keeps nothing.
 */
#ifndef MAJLIS_UTIL_QR_H
#define MAJLIS_UTIL_QR_H

#include "util/buf.h"

/* Appends to out an SVG of text as a QR code (error correction M, 4-module quiet zone, black on white,
 * scalable). Returns 0, or -1 when text does not fit a QR code or out is full. Any thread. */
int qr_svg(const char *text, struct buf *out);

#endif
