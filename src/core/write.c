/* write.c: the words of the write kinds. */
#include "build-config.h"

#include "write.h"

#include <string.h>

static const char *const kind_words[] = {
    [WRITE_REPLY] = "reply",   [WRITE_NOTE] = "note",	[WRITE_CLOSE] = "close",
    [WRITE_SNOOZE] = "snooze", [WRITE_OPEN] = "open",	[WRITE_ASSIGN_ME] = "assign_me",
    [WRITE_TAG] = "tag",       [WRITE_UNTAG] = "untag",	[WRITE_PRIORITY] = "priority",
};

const char *write_kind_word(enum write_kind k)
{
	return (size_t)k < sizeof(kind_words) / sizeof(kind_words[0]) ? kind_words[k] : "?";
}

int write_kind_parse(const char *word)
{
	size_t i;

	for (i = 0; word && i < sizeof(kind_words) / sizeof(kind_words[0]); i++)
		if (!strcmp(kind_words[i], word))
			return (int)i;
	return -1;
}
