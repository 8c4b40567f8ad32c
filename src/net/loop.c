/* loop.c: the one event loop: poll() over file descriptors, timers, and signals turned
 * into events through a self-pipe. Handlers change state; nothing in it blocks. */
#include "build-config.h"

#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define LOOP_MAX_SIGNALS 8

struct watch {
	int fd;
	short events;
	loop_fd_fn fn;
	void *arg;
};

struct timer {
	uint64_t id;
	int64_t due;
	loop_timer_fn fn;
	void *arg;
};

struct signal_handler {
	int signo;
	loop_signal_fn fn;
	void *arg;
};

struct loop {
	struct watch *watches;
	size_t n_watches, cap_watches;
	struct pollfd *pfds;
	size_t cap_pfds;
	struct timer *timers; /* kept sorted by due time, then id */
	size_t n_timers, cap_timers;
	uint64_t next_timer_id;
	struct signal_handler signals[LOOP_MAX_SIGNALS];
	size_t n_signals;
	int pipe[2];
	bool stopped;
};

/* The self-pipe's write end, for the async-signal-safe handler. One loop per process. */
static volatile sig_atomic_t signal_pipe_fd = -1;

static void on_signal(int signo)
{
	int saved = errno;
	unsigned char b = (unsigned char)signo;

	if (signal_pipe_fd >= 0 && write(signal_pipe_fd, &b, 1) < 0) {
		/* The pipe is full: the loop already has signals to read; nothing to do. */
	}
	errno = saved;
}

int64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t loop_ms_to_next_second(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return 1000 - ts.tv_nsec / 1000000;
}

static void read_signals(void *arg, int fd, short revents)
{
	struct loop *l = arg;
	unsigned char buf[64];
	ssize_t n, i;
	size_t k;

	(void)revents;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			for (k = 0; k < l->n_signals; k++)
				if (l->signals[k].signo == buf[i])
					l->signals[k].fn(l->signals[k].arg, buf[i]);
}

struct loop *loop_new(void)
{
	struct loop *l = xcalloc(1, sizeof(*l));

	if (pipe2(l->pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
		free(l);
		return NULL;
	}
	l->next_timer_id = 1;
	signal_pipe_fd = l->pipe[1];
	if (loop_watch(l, l->pipe[0], POLLIN, read_signals, l) < 0) {
		loop_free(l);
		return NULL;
	}
	return l;
}

void loop_free(struct loop *l)
{
	size_t i;

	if (!l)
		return;
#ifdef FRONTLINE_DEBUG_CHECKS
	/* Every owner cancels its timers when it is released: a timer still set here points
	 * at an owner that is gone, and would have run on freed memory had the loop gone on. */
	if (l->n_timers) {
		fprintf(stderr, "%s: loop_free: %zu timer(s) still set, the first for %p\n",
			util_progname(), l->n_timers, (void *)l->timers[0].arg);
		abort();
	}
#endif
	for (i = 0; i < l->n_signals; i++)
		signal(l->signals[i].signo, SIG_DFL);
	signal_pipe_fd = -1;
	close(l->pipe[0]);
	close(l->pipe[1]);
	free(l->watches);
	free(l->pfds);
	free(l->timers);
	free(l);
}

int loop_watch(struct loop *l, int fd, short events, loop_fd_fn fn, void *arg)
{
	size_t i;

	if (fd < 0)
		return -1;
	for (i = 0; i < l->n_watches; i++)
		if (l->watches[i].fd == fd)
			break;
	if (i == l->n_watches) {
		if (util_grow(&l->watches, &l->cap_watches, i + 1, sizeof(*l->watches)) < 0)
			return -1;
		l->n_watches++;
	}
	l->watches[i] = (struct watch){fd, events, fn, arg};
	return 0;
}

void loop_unwatch(struct loop *l, int fd)
{
	size_t i;

	for (i = 0; i < l->n_watches; i++)
		if (l->watches[i].fd == fd) {
			l->watches[i] = l->watches[--l->n_watches];
			return;
		}
}

uint64_t loop_timer_add(struct loop *l, int64_t delay_ms, loop_timer_fn fn, void *arg)
{
	struct timer t = {l->next_timer_id++, loop_now_ms() + (delay_ms < 0 ? 0 : delay_ms), fn, arg};
	size_t i;

	xgrow(&l->timers, &l->cap_timers, l->n_timers + 1, sizeof(*l->timers));
	for (i = l->n_timers; i > 0 && l->timers[i - 1].due > t.due; i--)
		l->timers[i] = l->timers[i - 1];
	l->timers[i] = t;
	l->n_timers++;
	return t.id;
}

void loop_timer_cancel(struct loop *l, uint64_t id)
{
	size_t i;

	for (i = 0; i < l->n_timers; i++)
		if (l->timers[i].id == id) {
			memmove(&l->timers[i], &l->timers[i + 1],
				(l->n_timers - i - 1) * sizeof(*l->timers));
			l->n_timers--;
			return;
		}
}

int loop_signal(struct loop *l, int signo, loop_signal_fn fn, void *arg)
{
	struct sigaction sa;

	if (l->n_signals == LOOP_MAX_SIGNALS)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(signo, &sa, NULL) != 0)
		return -1;
	l->signals[l->n_signals++] = (struct signal_handler){signo, fn, arg};
	return 0;
}

static void run_due_timers(struct loop *l)
{
	int64_t now = loop_now_ms();

	/* Only timers due when the pass began run, so a handler that re-arms itself with
	 * delay 0 cannot keep the loop from polling its descriptors. */
	while (l->n_timers > 0 && l->timers[0].due <= now && !l->stopped) {
		struct timer t = l->timers[0];

		memmove(&l->timers[0], &l->timers[1], (l->n_timers - 1) * sizeof(*l->timers));
		l->n_timers--;
		t.fn(t.arg);
	}
}

int loop_run_once(struct loop *l, int64_t max_wait_ms)
{
	int64_t wait = max_wait_ms;
	size_t i, n;
	int rc;

	if (l->n_timers > 0) {
		int64_t until = l->timers[0].due - loop_now_ms();

		if (until < 0)
			until = 0;
		if (wait < 0 || until < wait)
			wait = until;
	}
	if (util_grow(&l->pfds, &l->cap_pfds, l->n_watches, sizeof(*l->pfds)) < 0)
		return -1; /* errno ENOMEM */
	n = l->n_watches;
	for (i = 0; i < n; i++)
		l->pfds[i] = (struct pollfd){.fd = l->watches[i].fd, .events = l->watches[i].events};
	rc = poll(l->pfds, (nfds_t)n, wait > INT32_MAX ? INT32_MAX : (int)wait);
	if (rc < 0 && errno != EINTR)
		return -1;
	for (i = 0; rc > 0 && i < n && !l->stopped; i++) {
		size_t k;

		if (!l->pfds[i].revents)
			continue;
		/* A handler may have unwatched or replaced this fd: look it up again. */
		for (k = 0; k < l->n_watches; k++)
			if (l->watches[k].fd == l->pfds[i].fd) {
				struct watch w = l->watches[k];

				w.fn(w.arg, w.fd, l->pfds[i].revents);
				break;
			}
	}
	run_due_timers(l);
	return 0;
}

int loop_run(struct loop *l)
{
	while (!l->stopped)
		if (loop_run_once(l, -1) < 0)
			return -1;
	return 0;
}

void loop_stop(struct loop *l)
{
	l->stopped = true;
}

bool loop_stopped(const struct loop *l)
{
	return l->stopped;
}
