/* width.c: text measured in screen columns (wcwidth), cut on character boundaries and
 * wrapped, so emoji, CJK and combining marks keep the columns of the queue aligned. */
#include "build-config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui-private.h"
#include "util.h"

#define ELLIPSIS    L'\u2026'
#define REPLACEMENT L'\ufffd'

/* s as wide characters; invalid sequences (there should be none after text_sanitize)
 * become U+FFFD instead of ending the string. */
static wchar_t *widen(const char *s, size_t *out_len)
{
	size_t len = strlen(s), n = 0;
	wchar_t *w = xcalloc(len + 1, sizeof(*w));
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	while (*s) {
		size_t r = mbrtowc(&w[n], s, len, &st);

		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			w[n] = REPLACEMENT;
			memset(&st, 0, sizeof(st));
			r = 1;
		}
		s += r;
		len -= r;
		n++;
	}
	w[n] = 0;
	*out_len = n;
	return w;
}

/* The columns c takes; what curses could not place (wcwidth -1) is replaced first. */
static int char_width(wchar_t *c)
{
	int w = wcwidth(*c);

	if (w < 0) {
		*c = REPLACEMENT;
		w = 1;
	}
	return w;
}

int ui_width(const char *s)
{
	size_t n, i;
	wchar_t *w = widen(s, &n);
	int cols = 0;

	for (i = 0; i < n; i++)
		cols += char_width(&w[i]);
	free(w);
	return cols;
}

wchar_t *ui_fit(const char *s, int width)
{
	size_t n, i, o = 0;
	wchar_t *w = widen(s ? s : "", &n);
	wchar_t *out = xcalloc(n + (size_t)(width > 0 ? width : 0) + 2, sizeof(*out));
	int total = 0, cols = 0, limit;

	for (i = 0; i < n; i++)
		total += char_width(&w[i]);
	/* Room for the mark only when something has to go. */
	limit = total > width ? width - 1 : width;
	for (i = 0; i < n && limit > 0; i++) {
		int cw = wcwidth(w[i]);

		/* A combining mark with nothing to combine with would join the column before. */
		if (cw == 0 && o == 0)
			continue;
		if (cols + cw > limit)
			break;
		out[o++] = w[i];
		cols += cw;
	}
	if (total > width && width > 0) {
		out[o++] = ELLIPSIS;
		cols++;
	}
	while (cols < width) {
		out[o++] = L' ';
		cols++;
	}
	out[o] = 0;
	free(w);
	return out;
}

/* Emits w[from, to) as one UTF-8 line. */
static void emit(const wchar_t *w, size_t from, size_t to, void (*fn)(void *arg, const char *line),
		 void *arg)
{
	char *buf = xmalloc((to - from) * MB_CUR_MAX + 1), *p = buf;
	mbstate_t st;
	size_t i;

	memset(&st, 0, sizeof(st));
	for (i = from; i < to; i++) {
		size_t r = wcrtomb(p, w[i], &st);

		if (r != (size_t)-1)
			p += r;
	}
	*p = '\0';
	fn(arg, buf);
	free(buf);
}

void ui_wrap(const char *s, int width, void (*fn)(void *arg, const char *line), void *arg)
{
	size_t n, start = 0, i, last_space;
	wchar_t *w = widen(s ? s : "", &n);
	int cols;

	if (width < 1)
		width = 1;
	while (start <= n) {
		cols = 0;
		last_space = (size_t)-1;
		for (i = start; i < n && w[i] != L'\n'; i++) {
			int cw = char_width(&w[i]);

			if (cols + cw > width && i > start)
				break;
			if (w[i] == L' ')
				last_space = i;
			cols += cw;
		}
		if (i >= n || w[i] == L'\n') {
			emit(w, start, i, fn, arg);
			start = i + 1;
			if (i >= n)
				break;
			continue;
		}
		/* Too long: break after the last space if there is one, else mid-word. */
		if (last_space != (size_t)-1 && last_space > start) {
			emit(w, start, last_space, fn, arg);
			start = last_space + 1;
		} else {
			emit(w, start, i, fn, arg);
			start = i;
		}
	}
	free(w);
}
