/* deadline.h: a clock per connection for the arrival of a request's headers; a watcher
 * thread shuts down connections whose headers are late (slow or silent clients). */
#ifndef SIM_DEADLINE_H
#define SIM_DEADLINE_H

struct deadlines;
struct deadline_entry;

/* Starts the watcher; a connection gets timeout_ms for its headers. NULL if the thread
 * cannot start. Free with deadlines_free, after the server has stopped. */
struct deadlines *deadlines_new(long timeout_ms);
void deadlines_free(struct deadlines *d);

/* A new connection on fd, its clock running; the caller removes it before closing fd. */
struct deadline_entry *deadlines_add(struct deadlines *d, int fd);
/* The headers have arrived: the clock stops. */
void deadlines_stop_clock(struct deadlines *d, struct deadline_entry *e);
/* The connection waits for its next request: the clock starts again. */
void deadlines_restart_clock(struct deadlines *d, struct deadline_entry *e);
void deadlines_remove(struct deadlines *d, struct deadline_entry *e);

#endif
