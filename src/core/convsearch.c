/* convsearch.c: the agent's conversation search query (convsearch.h). */
#include "convsearch.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Whether s (len bytes) is all digits, and then copies them to id. */
static bool parse_id(const char *s, size_t len, char *id)
{
	if (len == 0 || len >= CONVSEARCH_ID_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	memcpy(id, s, len);
	id[len] = '\0';
	return true;
}

/* Appends len bytes of word to dst (space-separated), or fails when it does not fit. */
static bool append(char *dst, const char *word, size_t len)
{
	size_t used = strlen(dst);

	if (used + (used ? 1 : 0) + len >= CONVSEARCH_TEXT_MAX)
		return false;
	if (used)
		dst[used++] = ' ';
	memcpy(dst + used, word, len);
	dst[used + len] = '\0';
	return true;
}

int convsearch_parse(const char *s, struct convsearch *q, char *err, size_t errlen)
{
	memset(q, 0, sizeof(*q));
	while (*s) {
		const char *w;
		size_t len;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		w = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		len = (size_t)(s - w);
		if (len > 6 && !strncmp(w, "email:", 6)) {
			if (q->email[0] || !append(q->email, w + 6, len - 6)) {
				snprintf(err, errlen, "give one email:ADDRESS, of at most %d bytes",
					 CONVSEARCH_TEXT_MAX - 1);
				return -1;
			}
		} else if (len > 6 && !strncmp(w, "state:", 6)) {
			const char *v = w + 6;
			size_t vl = len - 6;

			if (vl == 4 && !strncmp(v, "open", 4))
				q->state = CONV_OPEN;
			else if (vl == 6 && !strncmp(v, "closed", 6))
				q->state = CONV_CLOSED;
			else if (vl == 7 && !strncmp(v, "snoozed", 7))
				q->state = CONV_SNOOZED;
			else {
				snprintf(err, errlen, "state: takes open, closed or snoozed");
				return -1;
			}
			q->has_state = true;
		} else if ((w[0] == '#' && parse_id(w + 1, len - 1, q->id)) ||
			   (len > 3 && !strncmp(w, "id:", 3) && parse_id(w + 3, len - 3, q->id)) ||
			   parse_id(w, len, q->id)) {
			/* the id is set */
		} else if (!append(q->text, w, len)) {
			snprintf(err, errlen, "the text to search for is longer than %d bytes",
				 CONVSEARCH_TEXT_MAX - 1);
			return -1;
		}
	}
	if (!q->text[0] && !q->email[0] && !q->id[0] && !q->has_state) {
		snprintf(err, errlen, "nothing to search for: give text, email:ADDRESS, #ID or "
				      "state:open|closed|snoozed");
		return -1;
	}
	return 0;
}
