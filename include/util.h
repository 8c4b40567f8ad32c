/* util.h: allocation wrappers that abort on exhaustion, and small string helpers. */
#ifndef FRONTLINE_UTIL_H
#define FRONTLINE_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Print "PROGRAM: message" to stderr and exit(1). For broken invariants and start-up errors. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The name errors are reported under (argv[0]'s basename); set once at start. */
void util_set_progname(const char *argv0);
const char *util_progname(void);

/* Allocation wrappers: never return NULL; abort with a message when memory runs out. */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse a whole decimal string as a long long in [min, max]; returns 0 on success, -1 else. */
int util_parse_ll(const char *s, long long min, long long max, long long *out);

/* Read the first line of a file (without its newline) into a new string; NULL on error
 * (errno set). The caller frees it. */
char *util_read_first_line(const char *path);

/* Creates path and its missing parents with mode; 0, or -1 with errno set. */
int util_mkdir_p(const char *path, unsigned mode);

#endif
