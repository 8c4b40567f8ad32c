/* text.h: customer text made safe for a terminal, and the countdown's wording. */
#ifndef FRONTLINE_TEXT_H
#define FRONTLINE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A copy of s that cannot change the terminal's state: invalid UTF-8 becomes U+FFFD,
 * C0 controls and DEL become their visible Control Pictures (ESC shows as U+241B),
 * C1 controls and bidirectional overrides and isolates become U+FFFD. With
 * keep_newlines, '\n' stays and '\t' becomes a space; without, both become spaces.
 * Returns a new string; the caller frees it. NULL gives "". */
char *text_sanitize(const char *s, bool keep_newlines);

/* Decodes one UTF-8 character at s (len bytes left) into *cp; returns its length, or 0
 * when the bytes are not a valid, shortest-form character (surrogates and values past
 * U+10FFFF included). */
size_t text_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* The countdown as the queue shows it: "1:42" under 10 minutes, "42m", "3h05m", "2d04h";
 * after a breach the same with a minus sign ("-0:13"). */
void text_countdown(int64_t seconds, char *buf, size_t len);

#endif
