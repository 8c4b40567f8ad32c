/* urgency.c: the order of urgency across queues with other targets (urgency.h). */
#include "build-config.h"

#include "urgency.h"

void sla_urgency_of(const struct sla_targets *t, const struct sla_clock *clock, fl_time now,
		    struct sla_urgency *out)
{
	out->state = clock->state;
	out->left = clock->deadline - now;
	out->target = clock->kind == SLA_KIND_FIRST  ? t->first_response
		      : clock->kind == SLA_KIND_NEXT ? t->next_response
						     : 0;
}

/* 3 breached, 2 warning, 1 ok, 0 no running clock. */
static int state_rank(enum sla_state s)
{
	return s == SLA_BREACHED ? 3 : s == SLA_WARNING ? 2 : s == SLA_OK ? 1 : 0;
}

static int compare_int(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

int sla_urgency_compare(const struct sla_urgency *a, const struct sla_urgency *b)
{
	int ra = state_rank(a->state), rb = state_rank(b->state);

	if (ra != rb)
		return ra > rb ? -1 : 1;
	if (ra == 0)
		return 0;
	if (a->target > 0 && b->target > 0) {
		/* left_a / target_a against left_b / target_b, multiplied out: long double
		 * holds the products of two 63-bit numbers closely enough to order them. */
		long double x = (long double)a->left * (long double)b->target;
		long double y = (long double)b->left * (long double)a->target;

		if (x != y)
			return x < y ? -1 : 1;
	}
	return compare_int(a->left, b->left);
}
