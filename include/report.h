/* report.h: the figures of `frontline report`, pure: reply times collected into groups
 * (a queue, an agent), their median, 90th percentile, share within target, breaches and
 * longest waits; a histogram's bins, a sparkline and bars drawn with Unicode blocks or
 * plain ASCII; and the times a report's range is written in. */
#ifndef FRONTLINE_REPORT_H
#define FRONTLINE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define REPORT_LONGEST 5 /* longest waits kept by a group */
#define REPORT_BINS    9 /* histogram bins: 8 up to twice the target, and beyond */
#define REPORT_HOURS   24

/* Parses WHEN into a Unix time: "now", "today" and "yesterday" (local midnight), a
 * duration before now ("90m", "24h", "7d", "1h30m": sla_parse_duration's forms), a date
 * "2026-12-01" (local midnight) or an ISO 8601 date and time ("2026-12-01T09:30",
 * "2026-12-01 09:30:00Z", "...+01:00"; local time without a zone), read by GLib's
 * g_date_time_new_from_iso8601. zone: an IANA zone name for "local", "" the process's.
 * Returns 0, or -1 with a message in err. */
int report_parse_when(const char *s, fl_time now, const char *zone, fl_time *out, char *err,
		      size_t errlen);

/* One reply time: the conversation, the seconds its customer waited for the reply (on the
 * clock of the queue: business seconds under its hours), the target it was held to and
 * the hour of the day (0-23, local) the wait began. */
struct report_sample {
	int64_t conversation;
	int64_t seconds;
	int64_t target;
	int hour;
};

/* The figures of one group. */
struct report_group {
	struct report_sample *samples; /* owned */
	size_t conversations;	       /* the conversations with a sample or unanswered */
	size_t n, cap;
	size_t unanswered; /* waiting, no reply yet: in no figure but this */
	/* by report_group_finish: */
	int64_t median, p90;		 /* nearest rank: the value at ceil(p * n) of the sorted */
	size_t within;			 /* replied before the target's second (the clock's rule:
					  * the deadline's own second is already a breach) */
	size_t breaches;		 /* n - within */
	int64_t longest[REPORT_LONGEST]; /* conversation ids, longest wait first, each once */
	size_t n_longest;
	size_t hour_total[REPORT_HOURS], hour_within[REPORT_HOURS];
};

void report_group_add(struct report_group *g, const struct report_sample *s);
struct sla_policy;
/* cv's first reply on a queue's clock p (its business hours and targets): fills s's target
 * and seconds and returns true; false when no teammate has replied yet. */
bool report_first_sample(const struct sla_policy *p, const struct conversation *cv,
			 struct report_sample *s);
/* One wait a reply ended, as a conversation's parts tell it: from the customer's first
 * unanswered message (the first wait from statistics.first_contact_reply_at) to the
 * teammate's public reply, by whom, and the wall-clock seconds of it the conversation
 * spent snoozed. */
enum report_wait_kind { REPORT_WAIT_FIRST, REPORT_WAIT_NEXT };
struct report_wait {
	enum report_wait_kind kind;
	fl_time from, to;
	int64_t admin;
	int64_t snoozed;
};

/* What a conversation's parts tell the report, cached by (id, updated_at). */
struct report_thread {
	int64_t id;
	fl_time updated_at;
	struct report_wait *waits; /* owned; oldest first */
	size_t n_waits;
	bool waiting; /* after a first reply, the customer waits for the next now */
};

/* Replays t's parts (oldest first) the way the SLA clock and the backend count waits:
 * the customer waits from first_contact (statistics.first_contact_reply_at) and again from
 * each message while not waiting; a teammate's public comment ends the wait (the first ever
 * is the first reply, any later the next); a close ends it unanswered; a note, an
 * assignment or a bot's part changes nothing. A snooze (part "snoozed") lasts until the
 * customer writes, a teammate opens or closes it, or its timer wakes it
 * ("timer_unsnooze"); the part of a wait it covers is the wait's snoozed seconds. Fills out
 * (id and updated_at from t->conv); report_thread_release frees it. */
void report_thread_replay(const struct thread *t, fl_time first_contact, struct report_thread *out);
void report_thread_release(struct report_thread *t);
/* out's waits as text for a cache ("K FROM TO ADMIN SNOOZED;" each), and back: 0, or -1
 * when text is not such a list. A new string. */
char *report_waits_text(const struct report_thread *t);
int report_waits_parse(const char *text, struct report_thread *out);

/* A wait's sample on a queue's clock p: its seconds (business seconds with hours) less
 * the snoozed seconds (as the SLA clock adds them to the deadline), never below 0, and
 * the target of its kind. */
void report_wait_sample(const struct sla_policy *p, const struct conversation *cv,
			const struct report_wait *w, struct report_sample *s);

/* Sorts the samples (by seconds) and fills the figures; an empty group has zeros. */
void report_group_finish(struct report_group *g);
void report_group_release(struct report_group *g);

/* The value at nearest rank pct (1-100) of sorted values (n > 0): sorted[ceil(pct*n/100)-1]. */
int64_t report_percentile(const int64_t *sorted, size_t n, int pct);

/* The histogram of seconds against target (> 0): bins[0..7] each target/4 wide from 0, so
 * the target is the edge between bins 3 and 4, and bins[8] at twice the target or more.
 * Returns the width of a bin (at least 1 second). */
int64_t report_histogram(const struct report_sample *samples, size_t n, int64_t target,
			 size_t bins[REPORT_BINS]);

/* A sparkline of n shares (0..1, or negative for "no data"), one character each: the eight
 * blocks ▁..█, or with ascii "_.:-=+*#"; no data is "·", or with ascii a space.
 * Returns a new string. */
char *report_sparkline(const double *shares, size_t n, bool ascii);
/* A bar of count against max, at most width cells: full blocks and one eighth-step block
 * at the end, or '#' with ascii. Returns a new string. */
char *report_bar(size_t count, size_t max, int width, bool ascii);
/* "45s", "2m", "2m05s", "1h", "1h02m", "3d04h". buf of at least 16 bytes. */
const char *report_duration(int64_t seconds, char *buf, size_t size);

#endif
