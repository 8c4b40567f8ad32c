/* util.h: allocation wrappers that abort on exhaustion, and small string helpers. */
#ifndef FRONTLINE_UTIL_H
#define FRONTLINE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Print "PROGRAM: message" to stderr and exit(1). For broken invariants and start-up errors. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The name errors are reported under (argv[0]'s basename); set once at start. */
void util_set_progname(const char *argv0);
const char *util_progname(void);

/* Tunes the C library's allocator for many small JSON blocks (a no-op where it cannot);
 * call first thing in main. */
void util_malloc_tune(void);

/* Allocation wrappers: never return NULL; abort with a message when memory runs out. */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Growing arrays, as tmux's xreallocarray: array_ptr is the address of the array's
 * pointer (a T ** for a T *; read and written with memcpy, so any T will do), *cap the
 * elements it has room for, size the size of one (sizeof(**array_ptr)). Makes room for at
 * least need elements, doubling the room (at least UTIL_GROW_MIN) so that appending one
 * at a time costs amortised O(1). Returns 0, or -1 with errno EOVERFLOW when need
 * elements would not fit in a size_t (or in an object: PTRDIFF_MAX bytes), ENOMEM when
 * memory runs out; then the array and *cap are as they were. need <= *cap does nothing. */
#define UTIL_GROW_MIN 8
int util_grow(void *array_ptr, size_t *cap, size_t need, size_t size);
/* util_grow for callers with no way to fail: aborts as xmalloc does. */
void xgrow(void *array_ptr, size_t *cap, size_t need, size_t size);

/* Returns a newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse a whole decimal string as a long long in [min, max]; returns 0 on success, -1 else. */
int util_parse_ll(const char *s, long long min, long long max, long long *out);

/* Read the first line of a file (without its newline) into a new string; NULL on error
 * (errno set). The caller frees it. */
char *util_read_first_line(const char *path);

/* Creates path and its missing parents with mode; 0, or -1 with errno set. */
int util_mkdir_p(const char *path, unsigned mode);

/* Makes the file at path private (0600) before SQLite opens it: created empty if missing,
 * else its mode set by name. Never opens an existing file: closing a descriptor of a file
 * this process has open in SQLite (the outbox and the caches share one) would drop the
 * process's POSIX locks on it, and another process would then take the database for
 * unused, checkpoint it and delete the write-ahead log this one still writes to. 0, or -1
 * with errno set (ELOOP for a symbolic link). */
int util_private_file(const char *path);

/* s as man(7) text: a backslash or a minus would be read as markup, a leading dot as a
 * request. */
void util_man_put(FILE *out, const char *s);

#endif
