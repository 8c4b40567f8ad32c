/* write.h: one change an agent makes to a conversation (a reply, a note, a close, a
 * snooze, a reopening, an assignment, a tag added or removed, a priority), the same for every
 * backend. The screen and the command line make them, the outbox stores them, the sender
 * hands them to the engine, and a driver turns them into requests. */
#ifndef FRONTLINE_WRITE_H
#define FRONTLINE_WRITE_H

#include <stdint.h>

#include "model.h"

enum write_kind {
	WRITE_REPLY,
	WRITE_NOTE,
	WRITE_CLOSE,
	WRITE_SNOOZE,
	WRITE_OPEN,
	WRITE_ASSIGN_ME,
	WRITE_TAG,
	WRITE_UNTAG,
	WRITE_PRIORITY,
	WRITE_ASSIGN_ADMIN, /* to a teammate: tag holds the admin's id */
	WRITE_ASSIGN_TEAM,  /* to a team: tag holds the team's id */
	WRITE_UNASSIGN,	    /* to no teammate */
	WRITE_READ,	    /* mark read */
};

/* The fields a kind uses; the others are zero. The strings are the caller's. */
struct write_op {
	enum write_kind kind;
	int64_t conversation;
	const char *body; /* reply, note; priority: the level's word (priority_word) */
	fl_time until;	  /* snooze */
	int64_t tag;	  /* tag, untag; assign_admin, assign_team: the assignee's id */
};

/* The kind's word ("reply", "assign_me"...), as the outbox stores it and `frontline
 * outbox` shows it; "?" for a value that is not a kind. */
const char *write_kind_word(enum write_kind k);
/* The kind a word names, or -1 (a word a later or earlier build wrote). */
int write_kind_parse(const char *word);

struct directory;
/* Makes w (its kind and assignee) the assignment to who, as directory_find_assignee reads
 * it. Returns 0, or -1 with a message in err. */
int write_assign_resolve(const struct directory *d, const char *who, struct write_op *w,
			 char *err, size_t errlen);

#endif
