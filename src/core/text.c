/* text.c: customer text made safe for a terminal, and the countdown's wording. */
#include "build-config.h"

#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util.h"

size_t text_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Writes c as UTF-8 at w; returns the byte after it. */
static char *put_utf8(char *w, uint32_t c)
{
	if (c < 0x80) {
		*w++ = (char)c;
	} else if (c < 0x800) {
		*w++ = (char)(0xc0 | (c >> 6));
		*w++ = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*w++ = (char)(0xe0 | (c >> 12));
		*w++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*w++ = (char)(0x80 | (c & 0x3f));
	} else {
		*w++ = (char)(0xf0 | (c >> 18));
		*w++ = (char)(0x80 | ((c >> 12) & 0x3f));
		*w++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*w++ = (char)(0x80 | (c & 0x3f));
	}
	return w;
}

/* Bidirectional embeddings, overrides and isolates: they reorder what follows them on
 * the line, so customer text could disguise itself or the columns after it. */
static bool is_bidi_control(uint32_t c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Characters a terminal acts on rather than shows, past ASCII's C0: DEL, the C1 controls
 * (U+009B is CSI, U+009D OSC) and the bidirectional controls. */
static bool is_unsafe_beyond_c0(uint32_t c)
{
	return c == 0x7f || (c >= 0x80 && c <= 0x9f) || is_bidi_control(c);
}

char *text_sanitize(const char *s, bool keep_newlines)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t left = strlen((const char *)p);
	/* At most three bytes out for each byte in: a byte that is no character, or a
	 * one-byte control, becomes a three-byte symbol; a longer character stays as long or
	 * becomes U+FFFD (three bytes). Sized once: this runs for every row drawn and every
	 * notification. */
	char *out = xmalloc(left * 3 + 1), *w = out;

	while (left > 0) {
		uint32_t c;
		size_t n = text_utf8_decode(p, left, &c);

		if (n == 0) {
			w = put_utf8(w, 0xfffd);
			p++;
			left--;
			continue;
		}
		p += n;
		left -= n;
		if (c == '\n')
			*w++ = keep_newlines ? '\n' : ' ';
		else if (c == '\t')
			*w++ = ' ';
		else if (c < 0x20)
			w = put_utf8(w, 0x2400 + c);
		else if (c == 0x7f)
			w = put_utf8(w, 0x2421);
		else if (is_unsafe_beyond_c0(c))
			w = put_utf8(w, 0xfffd);
		else
			w = put_utf8(w, c);
	}
	*w = '\0';
	return out;
}

char *text_json_inert(const char *json)
{
	const unsigned char *p = (const unsigned char *)json;
	size_t left = strlen(json);
	/* at most six bytes out for each byte in: DEL becomes \u007F */
	char *out = xmalloc(left * 6 + 1), *w = out;

	while (left > 0) {
		uint32_t c;
		size_t n = text_utf8_decode(p, left, &c);

		if (n > 0 && is_unsafe_beyond_c0(c)) {
			w += sprintf(w, "\\u%04X", (unsigned)c); /* as jansson writes them */
		} else {
			n = n ? n : 1; /* not jansson's: copied as it is */
			memcpy(w, p, n);
			w += n;
		}
		p += n;
		left -= n;
	}
	*w = '\0';
	return out;
}

void text_countdown(int64_t seconds, char *buf, size_t len)
{
	const char *sign = seconds < 0 ? "-" : "";
	uint64_t s = seconds < 0 ? (uint64_t)(-(seconds + 1)) + 1 : (uint64_t)seconds;

	if (s < 600)
		snprintf(buf, len, "%s%u:%02u", sign, (unsigned)(s / 60), (unsigned)(s % 60));
	else if (s < 3600)
		snprintf(buf, len, "%s%um", sign, (unsigned)(s / 60));
	else if (s < 86400)
		snprintf(buf, len, "%s%uh%02um", sign, (unsigned)(s / 3600), (unsigned)(s % 3600 / 60));
	else
		snprintf(buf, len, "%s%llud%02uh", sign, (unsigned long long)(s / 86400),
			 (unsigned)(s % 86400 / 3600));
}

/* ---- the reply's file for the editor ---- */

const char text_draft_scissors[] = "# ------------------------ >8 ------------------------";

char *text_draft_clean(const char *raw)
{
	const char *cut = raw;
	size_t n = strlen(raw), len = strlen(text_draft_scissors);

	/* the scissors line and everything after it are not the agent's text */
	while ((cut = strstr(cut, text_draft_scissors)) != NULL) {
		if (cut == raw || cut[-1] == '\n') {
			n = (size_t)(cut - raw);
			break;
		}
		cut += len;
	}
	return xstrndup(raw, n);
}

/* Appends each line of s (sanitised) to f as a comment, indented by indent. */
static void quote_lines(FILE *f, const char *s, const char *indent)
{
	char *safe = text_sanitize(s, true), *line = safe, *end;

	for (;;) {
		end = strchr(line, '\n');
		fprintf(f, "# %s%.*s\n", indent, end ? (int)(end - line) : (int)strlen(line), line);
		if (!end)
			break;
		line = end + 1;
	}
	free(safe);
}

char *text_draft_quote(const struct thread *t, const struct directory *d)
{
	char *out = NULL, *head, *gap;
	size_t len = 0, i;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return xstrdup("");
	fprintf(f, "\n%s\n# Do not change or remove the line above: it and everything below it\n"
		   "# are not sent. The conversation, for reference:\n#\n",
		text_draft_scissors);
	if (t->conv.title && *t->conv.title)
		quote_lines(f, t->conv.title, "");
	for (i = 0; i <= t->n_parts; i++) {
		if (i == thread_gap_index(t) && (gap = thread_gap_text(t)) != NULL) {
			fputs("#\n", f);
			quote_lines(f, gap, "··· ");
			free(gap);
		}
		if (i == t->n_parts)
			break;
		head = thread_part_head(t, i, d);
		fputs("#\n", f);
		quote_lines(f, head, "");
		free(head);
		if (t->parts[i].body && *t->parts[i].body)
			quote_lines(f, t->parts[i].body, "   ");
	}
	if (fclose(f) != 0) {
		free(out);
		return xstrdup("");
	}
	return out;
}
