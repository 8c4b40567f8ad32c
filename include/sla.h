/* sla.h: the response clock. From a queue's policy and a conversation's times, when the
 * agent's answer is due, how much time is left, and which warnings and breaches to tell,
 * each once per deadline. Pure: "now" is always an argument (server time). Time zones are
 * read from the zone database, never by switching TZ, so nothing here changes the
 * process's environment while other threads run. */
#ifndef FRONTLINE_SLA_H
#define FRONTLINE_SLA_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

#define SLA_MAX_WARN	      4
#define SLA_MAX_RANGES	      4
#define SLA_WEEK_MINUTES      10080
#define SLA_MAX_WEEK	      28 /* open intervals of a week from the backend */
#define SLA_MAX_EXCEPTIONS    24 /* dated exceptions (holidays) from the backend */
#define SLA_SCHEDULE_NAME_MAX 128

/* An open interval in minutes: of the week from Monday 00:00 (a backend's schedule), or
 * of one day from midnight (an exception), local time, [start, end). */
struct sla_interval {
	int start, end;
};

/* A date whose regular hours are replaced: closed all day (n_ranges 0) or open only in
 * ranges (minutes from that local midnight). recurring: every year on month/day. */
struct sla_exception {
	int year, month, day;
	bool recurring;
	struct sla_interval ranges[SLA_MAX_RANGES];
	int n_ranges;
};

/* Business hours: the clock only runs inside them. */
struct sla_hours {
	bool enabled;
	unsigned char days; /* bit 0 Sunday ... bit 6 Saturday */
	struct {
		int start, end; /* minutes after local midnight; end <= start runs past midnight */
	} ranges[SLA_MAX_RANGES];
	int n_ranges;
	char tz[64]; /* IANA zone name, e.g. "Europe/Warsaw"; "" means UTC, and so does a
		      * zone sla_zone_check rejects (configuration refuses those) */
	/* Hours from the backend (sla_hours_from_week): with n_week > 0, these intervals of
	 * the week replace days and ranges. Sorted, merged, 0 <= start < end <= 10080. */
	struct sla_interval week[SLA_MAX_WEEK];
	int n_week;
	struct sla_exception exceptions[SLA_MAX_EXCEPTIONS];
	int n_exceptions;
	/* Where the hours come from: "" written in the configuration; "backend" the queue's
	 * schedule at the backend; else the name of a backend's schedule. Until the backend
	 * tells them, enabled is false and the clock never stops. */
	char schedule[SLA_SCHEDULE_NAME_MAX];
};

/* A backend's office hours schedule, ready for the clock. */
struct sla_schedule {
	int64_t id;
	char name[SLA_SCHEDULE_NAME_MAX];
	struct sla_hours hours; /* with its exceptions; tz is the schedule's zone */
	char problem[160];	/* why the hours cannot be used; "" when they can */
};

/* Fills h's business hours from a backend's office hours schedule: n open intervals of
 * the week (minutes from Monday 00:00 in zone tz, each 0 <= start < end <= 10080, in any
 * order, overlapping or touching ones merged). h->schedule is kept; its exceptions are
 * cleared. twenty-four-seven is the one interval 0-10080; n == 0 is never open, which
 * the clock treats as no business hours. Returns 0, or -1 with a message in err (a zone
 * sla_zone_check rejects, an interval out of range, more than SLA_MAX_WEEK). */
int sla_hours_from_week(struct sla_hours *h, const char *tz, const struct sla_interval *iv,
			size_t n, char *err, size_t errlen);
/* Adds an exception: date "YYYY-MM-DD", closed (n == 0) or open in n ranges of minutes
 * from that day's midnight (0 <= start < end <= 1440). Returns 0, or -1 with a message. */
int sla_hours_add_exception(struct sla_hours *h, const char *date, bool recurring,
			    const struct sla_interval *iv, size_t n, char *err, size_t errlen);

/* Whether the zone database ($TZDIR, or /usr/share/zoneinfo) has zone tz with rules that
 * load; "" and "UTC" always do. Returns 0, or -1 with errno ENOENT for an unknown or
 * unreadable zone (EINVAL for a name longer than sla_hours.tz holds). Reads the zone file,
 * never TZ: like everything here, it leaves the environment alone. */
int sla_zone_check(const char *tz);

#define SLA_MAX_NAMED 8
#define SLA_NAME_MAX 64

/* The targets a conversation is held to. */
struct sla_targets {
	int64_t first_response;	    /* seconds allowed for the first reply */
	int64_t next_response;	    /* seconds allowed for each later reply */
	int64_t warn[SLA_MAX_WARN]; /* lead times before the deadline, largest first */
	int n_warn;
};

/* Targets for the conversations the backend gave the SLA named name ([sla NAME]); a
 * target left 0 (n_warn -1) keeps the queue's. */
struct sla_named {
	char name[SLA_NAME_MAX];
	struct sla_targets targets;
};

struct sla_policy {
	int64_t first_response;	     /* seconds allowed for the first reply */
	int64_t next_response;	     /* seconds allowed for each later reply */
	int64_t warn[SLA_MAX_WARN];  /* lead times before the deadline, largest first */
	int n_warn;
	bool pause_snoozed;	     /* no clock while snoozed (default true) */
	struct sla_hours hours;
	/* By priority level (enum conv_priority): 0 keeps first_response / next_response. */
	int64_t first_by_priority[PRIORITY_LEVELS];
	int64_t next_by_priority[PRIORITY_LEVELS];
	/* Backend SLAs by name; they win over the queue's targets, by priority or not. */
	struct sla_named named[SLA_MAX_NAMED];
	int n_named;
};

/* The targets p holds c to: the queue's, then its target for c's priority, then the
 * backend's own SLA's thresholds c carries (sla_first_target, sla_next_target), then
 * those of the configured [sla NAME] of the SLA c carries (sla_name), each where set. */
void sla_targets_for(const struct sla_policy *p, const struct conversation *c,
		     struct sla_targets *out);

enum sla_kind { SLA_KIND_NONE, SLA_KIND_FIRST, SLA_KIND_NEXT };
/* SLA_UNKNOWN: the customer may be waiting, but the record lacks what the clock needs
 * (see sla_evaluate): no deadline, never a warning or a breach. */
enum sla_state { SLA_NONE, SLA_PAUSED, SLA_UNKNOWN, SLA_OK, SLA_WARNING, SLA_BREACHED };

/* The clock of one conversation at one moment. */
struct sla_clock {
	enum sla_kind kind;
	enum sla_state state;
	fl_time started;  /* what the deadline counts from */
	fl_time deadline; /* wall-clock time the answer is due */
	int64_t left;	  /* seconds left (business seconds with hours); <= 0 once breached:
			   * the deadline's own second already counts as breached */
	int warn_level;	  /* 0, or 1 + index of the smallest lead time reached (warn[] is
			   * largest first, so the level rises as time runs out); 0 while paused */
};

/* Fills the default policy: first 2 min / next 2 min (real-time) or 1 h / 1 h. */
void sla_policy_default(struct sla_policy *p, bool realtime);

/* Computes c's clock under p at now. paused is the number of seconds the client saw the
 * conversation snoozed since the clock started (added to the deadline). A deadline comes
 * only from fields that were present and mean what the clock needs:
 * - closed: no clock (SLA_NONE); a state that could not be read: SLA_UNKNOWN;
 * - waiting_since missing: SLA_UNKNOWN; null: the customer is not waiting, SLA_NONE;
 * - whether an admin replied (statistics.first_admin_reply_at) cannot be told (statistics
 *   null or missing): SLA_UNKNOWN, since the first- and next-response clocks differ;
 * - an admin replied: next response, from waiting_since;
 * - none did: first response, from statistics.first_contact_reply_at, or from
 *   waiting_since when the statistics have none; SLA_UNKNOWN when it cannot be told.
 *   Never from created_at: an old conversation may have waited only a minute;
 * - snoozed (and the policy pauses): SLA_PAUSED, the deadline as if it ran. */
void sla_evaluate(const struct sla_policy *p, const struct conversation *c, int64_t paused,
		  fl_time now, struct sla_clock *out);

/* What to tell, once: a warning when a larger lead level is reached, a breach once. */
enum sla_event { SLA_EVENT_NONE, SLA_EVENT_WARNING, SLA_EVENT_BREACHED };

/* Remembers what was told for a conversation's current deadline. */
struct sla_memory {
	enum sla_kind kind;
	fl_time started;
	int warn_level;
	bool breached;
};

/* Compares clock with memory: returns the event to emit now (if any) and updates memory.
 * A new deadline (other kind or start) starts afresh. */
enum sla_event sla_track(struct sla_memory *m, const struct sla_clock *clock);

/* Business-time arithmetic, exposed for tests: the wall-clock time `seconds` of
 * business time after start, and the business seconds from a to b (negative if b < a). */
fl_time sla_hours_add(const struct sla_hours *h, fl_time start, int64_t seconds);
int64_t sla_hours_between(const struct sla_hours *h, fl_time a, fl_time b);

/* Parses a duration "90s", "2m", "1h30m", "1d" or plain seconds "45" into seconds (units
 * largest first, each once, no spaces); returns 0, or -1 on error (out left untouched). */
int sla_parse_duration(const char *s, int64_t *out);

#endif
