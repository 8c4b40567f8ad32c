/* fuzz.h: what the libFuzzer targets share: a NUL-terminated copy of the input, a JSON
 * value from it, and a check that customer text made safe for the terminal is safe. */
#ifndef FRONTLINE_FUZZ_H
#define FRONTLINE_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libFuzzer's entry points, which replay.c also calls. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The input as a C string (the caller frees it). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Decodes one UTF-8 character of s into *cp; returns its length, 0 if invalid. */
static inline size_t fuzz_utf8(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, *cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, *cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, *cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return n;
}

/* Aborts unless s (from text_sanitize) is valid UTF-8 without C0 controls but '\n' (when
 * newlines are kept), DEL, C1 controls or bidirectional overrides and isolates: nothing in
 * it can act on a terminal or reorder what follows it. */
static inline void fuzz_check_inert(const char *s, bool newlines_kept)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	while (*p) {
		n = fuzz_utf8(p, &cp);
		if (n == 0) {
			fprintf(stderr, "invalid UTF-8 left at byte %zu\n",
				(size_t)(p - (const unsigned char *)s));
			abort();
		}
		if ((cp < 0x20 && !(cp == '\n' && newlines_kept)) || (cp >= 0x7f && cp <= 0x9f) ||
		    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
			fprintf(stderr, "U+%04X left in sanitised text\n", (unsigned)cp);
			abort();
		}
		p += n;
	}
}

#endif
