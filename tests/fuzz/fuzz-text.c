/* fuzz-text.c: customer text on its way to the screen: sanitised (with and without
 * newlines), measured, fitted to a column and wrapped to a width, as rows and the thread
 * view do; HTML bodies turned into text first. What comes out must be inert, a fitted
 * cell exactly as wide as asked, and every wrapped line no wider than the view. */
#include "build-config.h"

#include <locale.h>
#include <wchar.h>

#include "fuzz.h"
#include "html.h"
#include "text.h"
#include "ui-private.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		abort();
	return 0;
}

struct wrap_check {
	int width;
};

static void on_line(void *arg, const char *line)
{
	struct wrap_check *w = arg;

	fuzz_check_inert(line, false);
	if (ui_width(line) > w->width) {
		fprintf(stderr, "a wrapped line of %d columns in a view of %d\n", ui_width(line),
			w->width);
		abort();
	}
}

static void screen_check(const char *text, int width)
{
	char *flat = text_sanitize(text, false), *kept = text_sanitize(text, true);
	struct wrap_check w = {width};
	wchar_t *cell;
	int cols;

	fuzz_check_inert(flat, false);
	fuzz_check_inert(kept, true);
	cell = ui_fit(flat, width);
	cols = wcswidth(cell, wcslen(cell));
	if (cols != width) {
		fprintf(stderr, "ui_fit(%d) made a cell of %d columns\n", width, cols);
		abort();
	}
	free(cell);
	ui_wrap(kept, width, on_line, &w);
	free(flat);
	free(kept);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int width;
	char *text, *plain;

	if (size < 1)
		return 0;
	/* The first byte picks the width: 2 to 64 columns, a narrow pane to a wide one (one
	 * column cannot hold a wide character at all). */
	width = 2 + data[0] % 63;
	text = fuzz_string(data + 1, size - 1);
	screen_check(text, width);
	plain = html_to_text(text);
	if (plain) {
		screen_check(plain, width);
		free(plain);
	}
	free(text);
	return 0;
}
