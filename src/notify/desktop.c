/* desktop.c: desktop notifications: the one thread that talks to libnotify, fed by a
 * bounded queue. notify_notification_show is a blocking D-Bus call (a hung server holds
 * it for up to the D-Bus timeout), so nothing else ever waits on it. */
#include "build-config.h"

#include "desktop.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifdef HAVE_LIBNOTIFY
#include <libnotify/notify.h>
#endif

#include "util.h"

#define DESKTOP_REPLACE_MAX 64	 /* notifications kept to be replaced, by conversation */
#define DESKTOP_STOP_MS	    1000 /* how long notify_desktop_stop waits for a busy thread */
#define DESKTOP_CATCH_UP_LINES 6 /* notifications a catch-up summary lists */

/* Shared by the caller and the thread; the last of the two to let go frees it. */
struct notify_desktop {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	struct desktop_queue queue;
	bool stop, finished;
	int refs;
	char status[256];
	bool status_new, status_told;
};

/* ---- the queue ---- */

void desktop_item_release(struct desktop_item *it)
{
	free(it->summary);
	free(it->body);
	memset(it, 0, sizeof(*it));
}

static struct desktop_item *queue_at(struct desktop_queue *q, size_t i)
{
	return &q->items[(q->head + i) % DESKTOP_QUEUE_MAX];
}

/* Takes the oldest waiting item into out (the caller releases it). */
static void queue_pop(struct desktop_queue *q, struct desktop_item *out)
{
	*out = *queue_at(q, 0);
	memset(queue_at(q, 0), 0, sizeof(*out));
	q->head = (q->head + 1) % DESKTOP_QUEUE_MAX;
	q->count--;
}

void desktop_queue_release(struct desktop_queue *q)
{
	struct desktop_item it;

	while (q->count) {
		queue_pop(q, &it);
		desktop_item_release(&it);
	}
}

void desktop_queue_post(struct desktop_queue *q, const struct desktop_item *src)
{
	struct desktop_item *it = NULL, gone;
	size_t i;

	/* Newer news of the same conversation (id > 0) replaces what waits: a breach its
	 * warning. */
	for (i = 0; src->id > 0 && i < q->count && !it; i++)
		if (queue_at(q, i)->id == src->id)
			it = queue_at(q, i);
	if (it) {
		desktop_item_release(it);
	} else {
		if (q->count == DESKTOP_QUEUE_MAX) {
			queue_pop(q, &gone);
			desktop_item_release(&gone);
			q->dropped++;
		}
		it = queue_at(q, q->count++);
	}
	*it = *src;
	it->summary = xstrdup(src->summary);
	it->body = xstrdup(src->body);
}

void desktop_queue_filter(struct desktop_queue *q, notify_desktop_still_true_fn *still_true,
			  void *ctx)
{
	size_t i, kept = 0, n = q->count;

	for (i = 0; i < n; i++) {
		struct desktop_item it = *queue_at(q, i);

		memset(queue_at(q, i), 0, sizeof(it));
		if (it.id > 0 && !still_true(ctx, it.id, it.kind, it.deadline))
			desktop_item_release(&it);
		else
			*queue_at(q, kept++) = it;
	}
	q->count = kept;
}

/* Kinds from the most urgent down. */
static const enum notify_kind urgency_order[NOTIFY_KINDS] = {
    NOTIFY_BREACH, NOTIFY_WARNING, NOTIFY_NEW_MESSAGE, NOTIFY_NEW_CONVERSATION};

/* Takes every waiting item into one catch-up summary: counts by kind in the title, the
 * first few in the body, one line each; the kind is the most urgent one's. */
static void queue_catch_up(struct desktop_queue *q, struct desktop_item *out)
{
	static const char *const words[NOTIFY_KINDS] = {
	    [NOTIFY_WARNING] = "due soon",
	    [NOTIFY_BREACH] = "breached",
	    [NOTIFY_NEW_CONVERSATION] = "new conversation",
	    [NOTIFY_NEW_MESSAGE] = "new message",
	};
	unsigned long counts[NOTIFY_KINDS] = {0}, listed = 0, waiting = q->count;
	char *title = NULL, *body = NULL;
	size_t title_len, body_len, i;
	FILE *t = open_memstream(&title, &title_len), *b = open_memstream(&body, &body_len);
	struct desktop_item it;

	if (!t || !b)
		die("out of memory");
	memset(out, 0, sizeof(*out));
	out->id = DESKTOP_CATCH_UP_ID;
	while (q->count) {
		queue_pop(q, &it);
		counts[it.kind] += it.count ? it.count : 1;
		out->count += it.count ? it.count : 1;
		if (listed++ < DESKTOP_CATCH_UP_LINES) {
			int line = (int)strcspn(it.body, "\n");

			fprintf(b, "%s%s%s%.*s", listed > 1 ? "\n" : "", it.summary,
				line ? ": " : "", line, it.body);
		}
		desktop_item_release(&it);
	}
	if (waiting > DESKTOP_CATCH_UP_LINES)
		fprintf(b, "\nand %lu more", waiting - DESKTOP_CATCH_UP_LINES);
	for (i = NOTIFY_KINDS; i-- > 0;)
		if (counts[urgency_order[i]])
			out->kind = urgency_order[i];
	for (i = 0; i < NOTIFY_KINDS; i++) {
		enum notify_kind k = urgency_order[i];
		bool plural = counts[k] > 1 && (k == NOTIFY_NEW_CONVERSATION || k == NOTIFY_NEW_MESSAGE);

		if (counts[k])
			fprintf(t, "%s%lu %s%s", ftell(t) ? ", " : "Catching up: ", counts[k],
				words[k], plural ? "s" : "");
	}
	if (fclose(t) != 0 || fclose(b) != 0)
		die("out of memory");
	out->summary = title;
	out->body = body;
}

bool desktop_queue_take(struct desktop_queue *q, bool stalled, struct desktop_item *out)
{
	if (!q->count)
		return false;
	if (stalled && q->count > 1)
		queue_catch_up(q, out);
	else
		queue_pop(q, out);
	return true;
}

/* ---- the thread ---- */

static void desktop_free(struct notify_desktop *d)
{
	desktop_queue_release(&d->queue);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->wake);
	free(d);
}

#ifdef HAVE_LIBNOTIFY
/* Called on the thread: remembers why, for the caller to tell once. */
static void desktop_fail(struct notify_desktop *d, const char *why)
{
	pthread_mutex_lock(&d->lock);
	if (!d->status_told) {
		snprintf(d->status, sizeof(d->status), "desktop notifications unavailable: %s",
			 why);
		d->status_new = d->status_told = true;
	}
	pthread_mutex_unlock(&d->lock);
}

struct desktop_shown {
	int64_t id;
	NotifyNotification *notification;
};

/* The notification of the same conversation (or summary) is updated, so the server
 * replaces it instead of stacking another. */
static NotifyNotification *desktop_notification(struct desktop_shown *shown, size_t *next,
						const struct desktop_item *it)
{
	size_t i;
	char *body = g_markup_escape_text(it->body, -1); /* servers may read markup */
	struct desktop_shown *slot;

	for (i = 0; i < DESKTOP_REPLACE_MAX; i++) {
		if (shown[i].notification && shown[i].id == it->id) {
			notify_notification_update(shown[i].notification, it->summary, body, NULL);
			g_free(body);
			return shown[i].notification;
		}
	}
	slot = &shown[*next];
	*next = (*next + 1) % DESKTOP_REPLACE_MAX;
	if (slot->notification)
		g_object_unref(slot->notification);
	slot->id = it->id;
	slot->notification = notify_notification_new(it->summary, body, NULL);
	g_free(body);
	return slot->notification;
}

/* Returns false when the server did not take it. */
static bool desktop_show(struct notify_desktop *d, struct desktop_shown *shown, size_t *next,
			 const struct desktop_item *it)
{
	NotifyNotification *nn = desktop_notification(shown, next, it);
	GError *error = NULL;

	if (!nn)
		return false;
	notify_notification_set_urgency(nn, it->kind == NOTIFY_BREACH	 ? NOTIFY_URGENCY_CRITICAL
					    : it->kind == NOTIFY_WARNING ? NOTIFY_URGENCY_NORMAL
									 : NOTIFY_URGENCY_LOW);
	notify_notification_set_category(nn, it->kind == NOTIFY_NEW_CONVERSATION ||
						     it->kind == NOTIFY_NEW_MESSAGE
						 ? "im.received"
						 : "im");
	if (!notify_notification_show(nn, &error)) {
		desktop_fail(d, error && error->message ? error->message : "the server refused");
		if (error)
			g_error_free(error);
		return false;
	}
	return true;
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

static void *desktop_main(void *arg)
{
	struct notify_desktop *d = arg;
	struct desktop_shown shown[DESKTOP_REPLACE_MAX] = {{0}};
	struct desktop_item it;
	struct timespec started;
	size_t next = 0, i;
	bool ok = notify_init("frontline"), last, stalled = false;

	if (!ok)
		desktop_fail(d, "libnotify could not start");
	pthread_mutex_lock(&d->lock);
	for (;;) {
		while (!d->stop && !d->queue.count)
			pthread_cond_wait(&d->wake, &d->lock);
		if (d->stop)
			break;
		/* After a stall, what waited (and is still true: notify_desktop_filter) goes
		 * out once, as one summary, not late one by one. */
		desktop_queue_take(&d->queue, stalled, &it);
		pthread_mutex_unlock(&d->lock);
		if (ok) {
			clock_gettime(CLOCK_MONOTONIC, &started);
			stalled = !desktop_show(d, shown, &next, &it); /* may block: lock free */
			stalled = stalled || elapsed_ms(&started) >= DESKTOP_STALL_MS;
		}
		desktop_item_release(&it);
		pthread_mutex_lock(&d->lock);
	}
	pthread_mutex_unlock(&d->lock);
	for (i = 0; i < DESKTOP_REPLACE_MAX; i++)
		if (shown[i].notification)
			g_object_unref(shown[i].notification);
	if (ok)
		notify_uninit();
	pthread_mutex_lock(&d->lock);
	d->finished = true;
	last = --d->refs == 0;
	pthread_cond_broadcast(&d->wake);
	pthread_mutex_unlock(&d->lock);
	if (last)
		desktop_free(d);
	return NULL;
}

/* A session bus to talk to: without one, GIO would try to autolaunch a daemon. */
static bool session_bus_exists(void)
{
	const char *address = getenv("DBUS_SESSION_BUS_ADDRESS");
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	char *path;
	bool found;

	if (address && *address)
		return true;
	if (!runtime || runtime[0] != '/')
		return false;
	path = xasprintf("%s/bus", runtime);
	found = stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
	free(path);
	return found;
}
#endif

struct notify_desktop *notify_desktop_start(char *why, size_t len)
{
#ifdef HAVE_LIBNOTIFY
	struct notify_desktop *d;
	sigset_t all, old;
	int rc;

	if (!session_bus_exists()) {
		snprintf(why, len, "no session bus");
		return NULL;
	}
	d = xcalloc(1, sizeof(*d));
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->wake, NULL);
	d->refs = 2;
	/* Signals stay with the main thread's loop: the thread (and GDBus's, started from
	 * it) blocks them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&d->thread, NULL, desktop_main, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		snprintf(why, len, "cannot start a thread: %s", strerror(rc));
		desktop_free(d);
		return NULL;
	}
	return d;
#else
	snprintf(why, len, "frontline was built without libnotify");
	return NULL;
#endif
}

bool notify_desktop_stop(struct notify_desktop *d)
{
	struct timespec until;
	bool last, finished;

	if (!d)
		return false;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += DESKTOP_STOP_MS / 1000;
	pthread_mutex_lock(&d->lock);
	d->stop = true;
	pthread_cond_broadcast(&d->wake);
	while (!d->finished)
		if (pthread_cond_timedwait(&d->wake, &d->lock, &until) == ETIMEDOUT)
			break;
	finished = d->finished;
	last = --d->refs == 0;
	pthread_mutex_unlock(&d->lock);
	if (finished)
		pthread_join(d->thread, NULL);
	else
		pthread_detach(d->thread);
	if (last)
		desktop_free(d);
	/* Even a finished thread leaves GDBus's worker thread and shared connection
	 * behind; exit handlers have been seen to stall on them under the sanitizers. */
	return true;
}

void notify_desktop_post(struct notify_desktop *d, int64_t id, enum notify_kind kind,
			 fl_time deadline, unsigned long count, const char *summary,
			 const char *body)
{
	struct desktop_item it = {.id = id,
				  .kind = kind,
				  .deadline = deadline,
				  .count = count,
				  .summary = (char *)summary,
				  .body = (char *)body};

	pthread_mutex_lock(&d->lock);
	desktop_queue_post(&d->queue, &it);
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->lock);
}

void notify_desktop_filter(struct notify_desktop *d, notify_desktop_still_true_fn *still_true,
			   void *ctx)
{
	pthread_mutex_lock(&d->lock);
	desktop_queue_filter(&d->queue, still_true, ctx);
	pthread_mutex_unlock(&d->lock);
}

bool notify_desktop_status(struct notify_desktop *d, char *buf, size_t len)
{
	bool told;

	pthread_mutex_lock(&d->lock);
	told = d->status_new;
	if (told)
		snprintf(buf, len, "%s", d->status);
	d->status_new = false;
	pthread_mutex_unlock(&d->lock);
	return told;
}

unsigned long notify_desktop_dropped(struct notify_desktop *d)
{
	unsigned long dropped;

	pthread_mutex_lock(&d->lock);
	dropped = d->queue.dropped;
	pthread_mutex_unlock(&d->lock);
	return dropped;
}
