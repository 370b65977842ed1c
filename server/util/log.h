/*
 * log: the one logging sink of majlisd; formats a line to stderr and must never receive personal data
 * or secrets (log a short hash from secret_short() instead).
 */
#ifndef MAJLIS_UTIL_LOG_H
#define MAJLIS_UTIL_LOG_H

enum log_level { LOG_LEVEL_ERR = 0, LOG_LEVEL_WARN, LOG_LEVEL_NOTICE, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* Lines above this level are dropped. Set once at start-up by main; read by any thread. */
void log_set_level(enum log_level max);

/* Emit one line "<ISO time> <level> <func>: <message>". Thread-safe (one write(2) per line). */
void log_emit(enum log_level level, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_err(...)	log_emit(LOG_LEVEL_ERR, __func__, __VA_ARGS__)
#define log_warn(...)	log_emit(LOG_LEVEL_WARN, __func__, __VA_ARGS__)
#define log_notice(...) log_emit(LOG_LEVEL_NOTICE, __func__, __VA_ARGS__)
#define log_info(...)	log_emit(LOG_LEVEL_INFO, __func__, __VA_ARGS__)
#define log_debug(...)	log_emit(LOG_LEVEL_DEBUG, __func__, __VA_ARGS__)

#endif
