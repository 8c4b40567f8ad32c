/* util.c: allocation wrappers that abort on exhaustion, and small string helpers. */
#include "build-config.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(HAVE_MALLOC_H) && defined(HAVE_MALLOPT)
#include <malloc.h>
#endif

static const char *progname = "frontline";

void util_set_progname(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	if (argv0 && *argv0)
		progname = slash ? slash + 1 : argv0;
}

const char *util_progname(void)
{
	return progname;
}

void util_malloc_tune(void)
{
#if defined(HAVE_MALLOC_H) && defined(HAVE_MALLOPT) && defined(M_MXFAST)
	/* glibc's fast bins hold the small blocks jansson frees by the hundred thousand after
	 * each page; every larger request (the next response's buffer) then consolidates them
	 * all. Without fast bins (the per-thread cache still serves small blocks) a cold sync
	 * of 100,000 conversations takes about 40 % less CPU. A refusal (another allocator,
	 * as under a sanitizer) leaves the defaults, which work too. */
	(void)mallopt(M_MXFAST, 0);
#endif
}

void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *check_alloc(void *p)
{
	if (!p) {
		fprintf(stderr, "%s: out of memory\n", progname);
		abort();
	}
	return p;
}

void *xmalloc(size_t size)
{
	return check_alloc(malloc(size ? size : 1));
}

void *xcalloc(size_t nmemb, size_t size)
{
	return check_alloc(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

int util_grow(void *array_ptr, size_t *cap, size_t need, size_t size)
{
	size_t max, room;
	void *array;

	if (need <= *cap)
		return 0;
	if (size == 0)
		size = 1;
	max = (size_t)PTRDIFF_MAX / size;
	room = *cap < UTIL_GROW_MIN ? UTIL_GROW_MIN : *cap;
	if (need > max) {
		errno = EOVERFLOW;
		return -1;
	}
	while (room < need)
		room = room > max / 2 ? max : room * 2;
	if (room > max)
		room = max;
	memcpy(&array, array_ptr, sizeof(array));
	array = realloc(array, room * size);
	if (!array) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(array_ptr, &array, sizeof(array));
	*cap = room;
	return 0;
}

void xgrow(void *array_ptr, size_t *cap, size_t need, size_t size)
{
	if (util_grow(array_ptr, cap, need, size) < 0)
		(void)check_alloc(NULL); /* tells and aborts */
}

char *xstrdup(const char *s)
{
	return check_alloc(strdup(s));
}

char *xstrndup(const char *s, size_t n)
{
	return check_alloc(strndup(s, n));
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		check_alloc(NULL);
	return s;
}

int util_parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

char *util_read_first_line(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int saved;

	if (!f)
		return NULL;
	n = getline(&line, &cap, f);
	saved = errno;
	fclose(f);
	if (n < 0) {
		free(line);
		errno = n < 0 && saved ? saved : EINVAL;
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

int util_mkdir_p(const char *path, unsigned mode)
{
	char *copy = xstrdup(path), *p;
	int rc = 0;

	for (p = copy + 1; *p && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, (mode_t)mode) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (rc == 0 && mkdir(copy, (mode_t)mode) != 0 && errno != EEXIST)
		rc = -1;
	free(copy);
	return rc;
}

int util_private_file(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd >= 0)
		return close(fd); /* new: nothing in this process has it open */
	if (errno != EEXIST || lstat(path, &st) != 0)
		return -1;
	if (S_ISLNK(st.st_mode)) {
		errno = ELOOP;
		return -1;
	}
	return (st.st_mode & 0777) == 0600 ? 0 : chmod(path, 0600);
}

void util_man_put(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}
