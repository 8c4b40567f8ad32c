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

struct desktop_item {
	int64_t id;
	enum notify_kind kind;
	char *summary, *body;
};

/* Shared by the caller and the thread; the last of the two to let go frees it. */
struct notify_desktop {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	struct desktop_item items[DESKTOP_QUEUE_MAX]; /* a ring */
	size_t head, count;
	unsigned long dropped;
	bool stop, finished;
	int refs;
	char status[256];
	bool status_new, status_told;
};

static void desktop_item_free(struct desktop_item *it)
{
	free(it->summary);
	free(it->body);
	memset(it, 0, sizeof(*it));
}

static void desktop_free(struct notify_desktop *d)
{
	while (d->count) {
		desktop_item_free(&d->items[d->head]);
		d->head = (d->head + 1) % DESKTOP_QUEUE_MAX;
		d->count--;
	}
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

static void desktop_show(struct notify_desktop *d, struct desktop_shown *shown, size_t *next,
			 const struct desktop_item *it)
{
	NotifyNotification *nn = desktop_notification(shown, next, it);
	GError *error = NULL;

	if (!nn)
		return;
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
	}
}

static void *desktop_main(void *arg)
{
	struct notify_desktop *d = arg;
	struct desktop_shown shown[DESKTOP_REPLACE_MAX] = {{0}};
	struct desktop_item it;
	size_t next = 0, i;
	bool ok = notify_init("frontline"), last;

	if (!ok)
		desktop_fail(d, "libnotify could not start");
	pthread_mutex_lock(&d->lock);
	for (;;) {
		while (!d->stop && !d->count)
			pthread_cond_wait(&d->wake, &d->lock);
		if (d->stop)
			break;
		it = d->items[d->head];
		memset(&d->items[d->head], 0, sizeof(it));
		d->head = (d->head + 1) % DESKTOP_QUEUE_MAX;
		d->count--;
		pthread_mutex_unlock(&d->lock);
		if (ok)
			desktop_show(d, shown, &next, &it); /* may block: the lock is free */
		desktop_item_free(&it);
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
			 const char *summary, const char *body)
{
	struct desktop_item *it;

	pthread_mutex_lock(&d->lock);
	if (d->count == DESKTOP_QUEUE_MAX) {
		desktop_item_free(&d->items[d->head]);
		d->head = (d->head + 1) % DESKTOP_QUEUE_MAX;
		d->count--;
		d->dropped++;
	}
	it = &d->items[(d->head + d->count) % DESKTOP_QUEUE_MAX];
	it->id = id;
	it->kind = kind;
	it->summary = xstrdup(summary);
	it->body = xstrdup(body);
	d->count++;
	pthread_cond_signal(&d->wake);
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
	dropped = d->dropped;
	pthread_mutex_unlock(&d->lock);
	return dropped;
}
