/* write.c: the words of the write kinds. */
#include "build-config.h"

#include "write.h"

#include <string.h>

#include "directory.h"

static const char *const kind_words[] = {
    [WRITE_REPLY] = "reply",   [WRITE_NOTE] = "note",	[WRITE_CLOSE] = "close",
    [WRITE_SNOOZE] = "snooze", [WRITE_OPEN] = "open",	[WRITE_ASSIGN_ME] = "assign_me",
    [WRITE_TAG] = "tag",       [WRITE_UNTAG] = "untag",	[WRITE_PRIORITY] = "priority",
    [WRITE_ASSIGN_ADMIN] = "assign_admin", [WRITE_ASSIGN_TEAM] = "assign_team",
    [WRITE_UNASSIGN] = "unassign", [WRITE_READ] = "read",
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

int write_assign_resolve(const struct directory *d, const char *who, struct write_op *w,
			 char *err, size_t errlen)
{
	enum directory_assignee_kind kind;
	int64_t id;

	if (directory_find_assignee(d, who, &kind, &id, err, errlen) < 0)
		return -1;
	w->tag = 0;
	switch (kind) {
	case DIRECTORY_ASSIGN_ME: w->kind = WRITE_ASSIGN_ME; break;
	case DIRECTORY_ASSIGN_NOBODY: w->kind = WRITE_UNASSIGN; break;
	case DIRECTORY_ASSIGN_TEAMMATE:
		w->kind = id == d->me ? WRITE_ASSIGN_ME : WRITE_ASSIGN_ADMIN;
		w->tag = w->kind == WRITE_ASSIGN_ADMIN ? id : 0;
		break;
	case DIRECTORY_ASSIGN_TEAM:
		w->kind = WRITE_ASSIGN_TEAM;
		w->tag = id;
		break;
	}
	return 0;
}
