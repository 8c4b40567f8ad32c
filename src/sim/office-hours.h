/* office-hours.h: the workspace's office hours schedules and their exceptions (holidays),
 * served as Intercom's /office_hours_schedules. */
#ifndef SIM_OFFICE_HOURS_H
#define SIM_OFFICE_HOURS_H

#include <time.h>

#include "api.h"

struct world;

/* Creates the tables if needed and, when the world has no schedule yet, generates them
 * from the world's seed. Returns 0, or -1 on a database error. */
int office_hours_open(struct world *w, time_t now);

/* GET /office_hours_schedules, GET and PUT /office_hours_schedules/{id}, GET and POST
 * /office_hours_schedules/{id}/office_hours_exceptions. */
void office_hours_list(struct sim *s, struct api_request *rq, struct api_reply *rp);
void office_hours_get(struct sim *s, struct api_request *rq, struct api_reply *rp);
void office_hours_update(struct sim *s, struct api_request *rq, struct api_reply *rp);
void office_hours_exceptions(struct sim *s, struct api_request *rq, struct api_reply *rp);
void office_hours_add_exception(struct sim *s, struct api_request *rq, struct api_reply *rp);

/* The business hours of team_id's schedule (the one whose team it is), with its
 * exceptions, as the response clock reads them: 1 and out filled, 0 when the team has no
 * schedule (out zeroed: no hours), -1 on a database error or hours the clock refuses. */
struct sla_hours;
int office_hours_of_team(struct world *w, long long team_id, struct sla_hours *out);

#endif
