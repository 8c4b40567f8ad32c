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

/* A copy of json, a text jansson dumped, in which DEL, the C1 controls and the
 * bidirectional controls are escaped (\u009B), so that the output cannot act on a
 * terminal; jansson already escapes C0. Everything else stays as it was, UTF-8 included.
 * They can only stand inside strings, where the escape means the same character. Returns
 * a new string; the caller frees it. */
char *text_json_inert(const char *json);

/* Decodes one UTF-8 character at s (len bytes left) into *cp; returns its length, or 0
 * when the bytes are not a valid, shortest-form character (surrogates and values past
 * U+10FFFF included). */
size_t text_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* The countdown as the queue shows it: "1:42" under 10 minutes, "42m", "3h05m", "2d04h";
 * after a breach the same with a minus sign ("-0:13"). */
void text_countdown(int64_t seconds, char *buf, size_t len);

/* The line above the quoted thread in a reply's file for the editor: it and everything
 * below it are not sent. */
extern const char text_draft_scissors[];
/* A draft file's text without the scissors line and what follows it. A new string. */
char *text_draft_clean(const char *raw);

struct thread;
struct directory;
/* The conversation quoted below the scissors line for the editor (the screen's and
 * `reply`'s): the scissors, a note on them, then each part's head as the conversation
 * view shows it and its text, every line a "# " comment, sanitised. A new string. */
char *text_draft_quote(const struct thread *t, const struct directory *d);

#endif
