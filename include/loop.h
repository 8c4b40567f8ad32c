/* loop.h: the one event loop: poll() over file descriptors, timers, and signals turned
 * into events through a self-pipe. Handlers change state; nothing in it blocks. */
#ifndef FRONTLINE_LOOP_H
#define FRONTLINE_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop;

typedef void (*loop_fd_fn)(void *arg, int fd, short revents);
typedef void (*loop_timer_fn)(void *arg);
typedef void (*loop_signal_fn)(void *arg, int signo);

struct loop *loop_new(void);
/* Frees l. Every timer's owner has cancelled it by then (each _free or _release cancels
 * its own); a build with --enable-sanitizers aborts on a timer still set. */
void loop_free(struct loop *l);

/* Watches fd for events (POLLIN, POLLOUT); a second call for the same fd replaces the
 * first. Returns 0 or -1. */
int loop_watch(struct loop *l, int fd, short events, loop_fd_fn fn, void *arg);
void loop_unwatch(struct loop *l, int fd);

/* A one-shot timer after delay_ms (monotonic). Returns its id (> 0) for loop_timer_cancel. */
uint64_t loop_timer_add(struct loop *l, int64_t delay_ms, loop_timer_fn fn, void *arg);
void loop_timer_cancel(struct loop *l, uint64_t id);

/* Delivers signo to fn from the loop (not from the signal handler). */
int loop_signal(struct loop *l, int signo, loop_signal_fn fn, void *arg);

/* Runs until loop_stop; returns 0, or -1 if poll failed or memory ran out (errno says). */
int loop_run(struct loop *l);
/* One pass: waits at most max_wait_ms (-1: until something happens), runs what is due.
 * Returns 0, or -1 as loop_run. */
int loop_run_once(struct loop *l, int64_t max_wait_ms);
void loop_stop(struct loop *l);
bool loop_stopped(const struct loop *l);

/* Monotonic milliseconds. */
int64_t loop_now_ms(void);
/* Milliseconds until the wall clock's next whole second (for a tick aligned to it). */
int64_t loop_ms_to_next_second(void);

#endif
