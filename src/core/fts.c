/* fts.c: free text turned into a safe SQLite FTS5 query, for the help-center searches of
 * both the client's local index and frontline-sim. */
#include "build-config.h"

#include "fts.h"

#include <stdio.h>
#include <stdlib.h>

#include "util.h"

/* Letters and digits of ASCII, and every byte of a multi-byte UTF-8 character: FTS5's
 * unicode61 tokenizer splits those further itself. */
static bool word_byte(unsigned char c)
{
	return c >= 128 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

char *fts_query(const char *text, int max_terms, bool prefix_last)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	const char *p = text, *last = NULL;
	int last_len = 0, terms = 0;

	if (!f)
		die("out of memory");
	while (*p && terms < max_terms) {
		const char *start;

		while (*p && !word_byte((unsigned char)*p))
			p++;
		start = p;
		while (*p && word_byte((unsigned char)*p))
			p++;
		if (p > start) {
			fprintf(f, "%s\"%.*s\"", terms ? " OR " : "", (int)(p - start), start);
			last = start;
			last_len = (int)(p - start);
			terms++;
		}
	}
	if (prefix_last && last && !*p)
		fprintf(f, " OR \"%.*s\"*", last_len, last);
	if (fclose(f) != 0)
		die("out of memory");
	if (terms == 0) {
		free(out);
		return NULL;
	}
	return out;
}
