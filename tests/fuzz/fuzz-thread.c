/* fuzz-thread.c: one answer of GET /conversations/{id}: the record and its parts (the
 * opening message and every reply, note and event), bodies read both as HTML and as
 * plain text, then made safe for the thread view. */
#include "build-config.h"

#include <jansson.h>

#include "fuzz.h"
#include "intercom.h"
#include "model.h"
#include "text.h"

static void parts_check(json_t *j, bool html)
{
	struct intercom_part *parts = NULL;
	size_t n = 0, i;
	char err[256], *s;

	if (intercom_parse_parts(j, html, &parts, &n, err, sizeof(err)) < 0)
		return;
	for (i = 0; i < n; i++) {
		s = text_sanitize(parts[i].body, true);
		fuzz_check_inert(s, true);
		free(s);
		s = text_sanitize(parts[i].author_name, false);
		fuzz_check_inert(s, false);
		free(s);
	}
	intercom_parts_free(parts, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conversation c, copy;
	json_t *j = json_loadb((const char *)data, size, 0, NULL);
	char *preview;

	if (!j)
		return 0;
	if (intercom_parse_conversation(j, &c) == 0) {
		conversation_copy(&copy, &c);
		preview = conversation_preview(&copy);
		free(preview);
		conversation_release(&copy);
		conversation_release(&c);
	}
	parts_check(j, false);
	parts_check(j, true);
	json_decref(j);
	return 0;
}
