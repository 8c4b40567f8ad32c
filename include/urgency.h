/* urgency.h: which of two running clocks is more urgent when their queues hold them to
 * different targets. A real-time chat 2 minutes late against a 2-minute target is more
 * urgent than an email 30 minutes late against an hour: lateness is weighed against the
 * target it broke. Pure: "now" is an argument. */
#ifndef FRONTLINE_URGENCY_H
#define FRONTLINE_URGENCY_H

#include <stdint.h>

#include "model.h"
#include "sla.h"

/* How urgent one conversation's clock is. */
struct sla_urgency {
	enum sla_state state; /* only SLA_OK, SLA_WARNING and SLA_BREACHED compete */
	int64_t left;	      /* seconds to the deadline; negative once late */
	int64_t target;	      /* seconds the deadline allowed (the first or next response
			       * target it counts); <= 0 when not known */
};

/* The urgency of clock at now, under the targets t it was computed with: left is
 * wall-clock seconds to the deadline, target the first or next response target by the
 * clock's kind. */
void sla_urgency_of(const struct sla_targets *t, const struct sla_clock *clock, fl_time now,
		    struct sla_urgency *out);

/* Negative when a is more urgent than b, positive when b is, 0 when neither:
 * 1. breached before warning before ok, and any of those before a clock not running;
 * 2. within a state, the smaller share of its own target left (left / target: -1.1 for a
 *    chat 2:13 late of 2 minutes, -0.5 for an email 30 minutes late of an hour);
 * 3. then the fewer seconds left.
 * A clock whose target is not known compares by seconds left alone. */
int sla_urgency_compare(const struct sla_urgency *a, const struct sla_urgency *b);

#endif
