/* deadline.c: a clock per connection for the arrival of a request's headers; a watcher
 * thread shuts down connections whose headers are late, so that clients sending their
 * headers slowly (or not at all) cannot hold the server's connections for long. */
#include "build-config.h"

#include "deadline.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "util.h"

struct deadline_entry {
	struct deadline_entry *prev, *next;
	int fd;
	bool running;
	struct timespec due;
};

struct deadlines {
	pthread_mutex_t lock; /* guards everything below */
	pthread_cond_t wake;
	struct deadline_entry head; /* a ring of the connections */
	long timeout_ms;
	bool stopping;
	pthread_t thread;
};

/* The watcher looks at least this often, whatever it is waiting for. */
#define WATCH_MS 1000

static struct timespec after_ms(long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Shuts down the connections whose clock has run out; the server's thread of each sees
 * the end of its stream and closes it. Returns when the next one may run out. */
static struct timespec shut_late(struct deadlines *d)
{
	struct timespec now = after_ms(0), next = after_ms(WATCH_MS);
	struct deadline_entry *e;

	for (e = d->head.next; e != &d->head; e = e->next) {
		if (!e->running)
			continue;
		if (!before(&now, &e->due)) {
			shutdown(e->fd, SHUT_RDWR);
			e->running = false;
		} else if (before(&e->due, &next)) {
			next = e->due;
		}
	}
	return next;
}

static void *watch(void *arg)
{
	struct deadlines *d = arg;

	pthread_mutex_lock(&d->lock);
	while (!d->stopping) {
		struct timespec next = shut_late(d);

		pthread_cond_timedwait(&d->wake, &d->lock, &next);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

struct deadlines *deadlines_new(long timeout_ms)
{
	struct deadlines *d = xcalloc(1, sizeof(*d));
	pthread_condattr_t attr;

	d->timeout_ms = timeout_ms;
	d->head.next = d->head.prev = &d->head;
	if (pthread_mutex_init(&d->lock, NULL) != 0)
		die("cannot create a mutex");
	if (pthread_condattr_init(&attr) != 0 ||
	    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&d->wake, &attr) != 0)
		die("cannot create a condition variable");
	pthread_condattr_destroy(&attr);
	if (pthread_create(&d->thread, NULL, watch, d) != 0) {
		pthread_cond_destroy(&d->wake);
		pthread_mutex_destroy(&d->lock);
		free(d);
		return NULL;
	}
	return d;
}

void deadlines_free(struct deadlines *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->stopping = true;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	while (d->head.next != &d->head)
		deadlines_remove(d, d->head.next);
	pthread_cond_destroy(&d->wake);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

struct deadline_entry *deadlines_add(struct deadlines *d, int fd)
{
	struct deadline_entry *e = xcalloc(1, sizeof(*e));

	e->fd = fd;
	pthread_mutex_lock(&d->lock);
	e->next = &d->head;
	e->prev = d->head.prev;
	d->head.prev->next = e;
	d->head.prev = e;
	pthread_mutex_unlock(&d->lock);
	deadlines_restart_clock(d, e);
	return e;
}

void deadlines_stop_clock(struct deadlines *d, struct deadline_entry *e)
{
	pthread_mutex_lock(&d->lock);
	e->running = false;
	pthread_mutex_unlock(&d->lock);
}

void deadlines_restart_clock(struct deadlines *d, struct deadline_entry *e)
{
	pthread_mutex_lock(&d->lock);
	e->due = after_ms(d->timeout_ms);
	e->running = true;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->lock);
}

void deadlines_remove(struct deadlines *d, struct deadline_entry *e)
{
	pthread_mutex_lock(&d->lock);
	e->prev->next = e->next;
	e->next->prev = e->prev;
	pthread_mutex_unlock(&d->lock);
	free(e);
}
