/* model.c: the lifecycle of a conversation record (deep copy and release of what it owns). */
#include "build-config.h"

#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void conversation_release(struct conversation *c)
{
	free(c->title);
	free(c->customer);
	free(c->preview);
	free(c->tag_ids);
	memset(c, 0, sizeof(*c));
}

static char *string_copy(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void conversation_copy(struct conversation *dst, const struct conversation *src)
{
	*dst = *src;
	dst->title = string_copy(src->title);
	dst->customer = string_copy(src->customer);
	dst->preview = string_copy(src->preview);
	/* A record without a tag array has no tags, whatever n_tags says: never let the
	 * copy promise entries it does not hold. */
	dst->tag_ids = NULL;
	dst->n_tags = 0;
	if (src->tag_ids && src->n_tags > 0) {
		dst->tag_ids = xcalloc(src->n_tags, sizeof(*dst->tag_ids));
		memcpy(dst->tag_ids, src->tag_ids, src->n_tags * sizeof(*dst->tag_ids));
		dst->n_tags = src->n_tags;
	}
}
