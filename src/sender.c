/* sender.c: the outbox's sender: takes due items from the outbox (one per conversation,
 * in order), records each request before it goes out, and records what the backend
 * said; after a lost answer, looks for the reply in the conversation before sending it
 * again. Everything runs on the engine's loop; nothing blocks but SQLite's short
 * transactions. */
#include "build-config.h"

#include "sender.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "util.h"

#define MAX_IN_FLIGHT 8
#define DUE_BATCH     64
#define REOPEN_MS     5000
/* The server's and our clocks are known to a second each way: a reply part this much
 * before the first attempt (by the server's clock) may still be that attempt's. */
#define VERIFY_SLACK_S 5
/* A row shows "sent" this long after its last write went. */
#define ROW_SENT_S 600

struct flight {
	struct sender *s;
	struct outbox_item it;
	bool fresh; /* checking the thread right after this flight's own answer was lost */
};

struct watch {
	int64_t id; /* 0: removed */
	sender_item_fn fn;
	void *arg;
	enum outbox_state last;
};

struct row {
	int64_t conversation;
	enum outbox_state state;
};

struct sender {
	struct sender_link link; /* the engine, through a narrow door */
	enum sender_scope scope;
	int64_t poll_ms;
	struct outbox *ob;
	char error[256];
	bool lock_failed; /* error says why the lock could not be taken */
	int64_t reopen_at_ms;
	struct flight *flights[MAX_IN_FLIGHT];
	size_t n_flights;
	struct watch *watches;
	size_t n_watches, cap_watches;
	int64_t *scope_convs;
	size_t n_scope, cap_scope;
	uint64_t timer;
	int64_t data_version;
	struct row *rows;
	size_t n_rows, cap_rows;
	bool rows_dirty;
	/* The last look found nothing due or waiting for a backoff, and nothing changed
	 * since: the poll need not read the outbox again. */
	bool nothing_due;
	void (*listen_fn)(void *arg);
	void *listen_arg;
	uint64_t rng;
};

static void pump(struct sender *s);
static void send_item(struct flight *f);

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A number in [0, 1) for the backoff's jitter (xorshift64). */
static double jitter(struct sender *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return (double)(s->rng >> 11) / (double)(1ULL << 53);
}

static bool is_final(enum outbox_state st)
{
	return st == OUTBOX_SENT || st == OUTBOX_FAILED || st == OUTBOX_GONE;
}

static void on_timer(void *arg)
{
	struct sender *s = arg;

	s->timer = 0;
	pump(s);
}

static void schedule(struct sender *s, int64_t delay_ms)
{
	if (s->timer)
		loop_timer_cancel(s->link.loop, s->timer);
	s->timer = loop_timer_add(s->link.loop, delay_ms < 0 ? 0 : delay_ms, on_timer, s);
}

/* Something changed: the watchers of it hear of it (until it is final), the listener of
 * any change. Callbacks may submit, forget or discard. */
static void tell(struct sender *s, const struct outbox_item *it)
{
	struct watch *calls = NULL;
	size_t i, j, n = 0, cap = 0;

	s->rows_dirty = true;
	s->nothing_due = false;
	for (i = 0; it && i < s->n_watches; i++) {
		struct watch *w = &s->watches[i];

		if (w->id != it->id || w->last == it->state)
			continue;
		w->last = it->state;
		xgrow(&calls, &cap, n + 1, sizeof(*calls));
		calls[n++] = *w;
		if (is_final(it->state))
			w->id = 0;
	}
	for (i = j = 0; i < s->n_watches; i++)
		if (s->watches[i].id)
			s->watches[j++] = s->watches[i];
	s->n_watches = j;
	for (i = 0; i < n; i++)
		calls[i].fn(calls[i].arg, it);
	free(calls);
	if (s->listen_fn)
		s->listen_fn(s->listen_arg);
}

static void set_error(struct sender *s, const char *msg)
{
	snprintf(s->error, sizeof(s->error), "%s", msg ? msg : "");
	s->lock_failed = false;
}

/* ---- flights: the items this process is sending ---- */

static bool in_flight(const struct sender *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->n_flights; i++)
		if (s->flights[i]->it.id == id)
			return true;
	return false;
}

static void flight_drop(struct flight *f)
{
	struct sender *s = f->s;
	size_t i;

	s->nothing_due = false;
	for (i = 0; i < s->n_flights; i++)
		if (s->flights[i] == f) {
			s->flights[i] = s->flights[--s->n_flights];
			break;
		}
	outbox_item_release(&f->it);
	free(f);
}

/* The item reached state (error: why, for failed and retried items): tell, forget the
 * flight, and look for more to send. */
static void flight_end(struct flight *f, enum outbox_state state, const char *error)
{
	struct sender *s = f->s;
	struct outbox_item it = f->it;

	/* Out of flight first: a listener may discard or retry it. */
	memset(&f->it, 0, sizeof(f->it));
	flight_drop(f);
	it.state = state;
	free(it.error);
	it.error = error ? xstrdup(error) : NULL;
	tell(s, &it);
	outbox_item_release(&it);
	schedule(s, 0);
}

/* Records the outcome of an attempt in the database, then ends the flight. A failed
 * item keeps f->it.status, the refusal's HTTP status. */
static void flight_record(struct flight *f, enum outbox_state state, const char *error)
{
	struct sender *s = f->s;
	int64_t next = wall_ms() + outbox_backoff_ms(f->it.attempts, jitter(s));
	int rc;

	if (state == OUTBOX_SENT)
		rc = outbox_mark_sent(s->ob, f->it.id, time(NULL));
	else if (state == OUTBOX_FAILED)
		rc = outbox_mark_failed(s->ob, f->it.id, f->it.status, error);
	else
		rc = outbox_mark_retry(s->ob, f->it.id, state, next, error);
	/* Unrecorded, the item stays `sending`: the next look at it checks the thread. */
	set_error(s, rc < 0 ? "cannot record a write's outcome in the outbox" : NULL);
	flight_end(f, state, error);
}

static void verify(struct flight *f);

/* Ends the flight with a request's failure: failed for good when the backend refused it
 * (or it cannot be made), else to be tried again (ambiguous when it may have arrived). */
static void flight_failed(struct flight *f, const struct result *r, const char *message)
{
	if (r->cls == RESULT_PERMANENT) {
		f->it.status = r->status;
		flight_record(f, OUTBOX_FAILED, message);
	} else {
		flight_record(f, r->ambiguous ? OUTBOX_AMBIGUOUS : OUTBOX_PENDING, message);
	}
}

/* A write that sets what the conversation shows (an assignment, read): after a lost
 * answer the conversation itself says whether it arrived, and setting it twice is
 * harmless. */
static bool sets_state(enum write_kind k)
{
	return k == WRITE_ASSIGN_ME || k == WRITE_ASSIGN_ADMIN || k == WRITE_ASSIGN_TEAM ||
	       k == WRITE_UNASSIGN || k == WRITE_READ;
}

/* Whether c shows what the item sets. */
static bool state_reached(struct sender *s, const struct outbox_item *it,
			  const struct conversation *c)
{
	const struct directory *d = s->link.directory(s->link.arg);

	switch (it->kind) {
	case WRITE_ASSIGN_ME: return d->me && c->admin_assignee_id == d->me;
	case WRITE_ASSIGN_ADMIN: return c->admin_assignee_id == it->tag;
	case WRITE_ASSIGN_TEAM: return c->team_assignee_id == it->tag;
	case WRITE_UNASSIGN: return c->admin_assignee_id == 0;
	case WRITE_READ: return c->read;
	default: return false;
	}
}

static void on_written(void *arg, const struct result *r)
{
	struct flight *f = arg;
	bool checkable = f->it.kind == WRITE_REPLY || f->it.kind == WRITE_NOTE ||
			 sets_state(f->it.kind);

	if (r->cls == RESULT_OK) {
		flight_record(f, OUTBOX_SENT, NULL);
	} else if (r->cls != RESULT_PERMANENT && r->ambiguous && checkable) {
		/* Look at once: a dropped answer usually means it arrived. */
		if (outbox_mark_retry(f->s->ob, f->it.id, OUTBOX_AMBIGUOUS, 0, r->message) < 0)
			set_error(f->s, "cannot record a write's outcome in the outbox");
		f->it.state = OUTBOX_AMBIGUOUS;
		free(f->it.error);
		f->it.error = xstrdup(r->message);
		f->fresh = true;
		verify(f);
	} else {
		flight_failed(f, r, r->message);
	}
}

static void send_item(struct flight *f)
{
	struct sender *s = f->s;
	struct write_op w = {
	    .kind = f->it.kind,
	    .conversation = f->it.conversation,
	    .body = f->it.body,
	    .until = f->it.until,
	    .tag = f->it.tag,
	};
	fl_time now = time(NULL);
	struct outbox_item cur;

	/* Recorded before it goes: a crash from here on leaves it to be checked. */
	if (outbox_mark_sending(s->ob, f->it.id, now) < 0) {
		int found = outbox_get(s->ob, f->it.id, &cur);

		if (found == 1)
			outbox_item_release(&cur);
		if (found == 0) {
			flight_end(f, OUTBOX_GONE, NULL); /* discarded meanwhile */
		} else {
			set_error(s, "cannot write to the outbox: writes wait");
			flight_drop(f);
		}
		return;
	}
	if (!f->it.first_attempt)
		f->it.first_attempt = now;
	f->it.attempts++;
	f->it.state = OUTBOX_SENDING;
	tell(s, &f->it);
	s->link.write(s->link.arg, &w, on_written, f);
}

/* ---- after a lost answer: is the reply in the thread already? ---- */

/* Equal but for white space (runs count as one; ends do not count): the backend may
 * wrap or trim what it stores. */
static bool same_text(const char *a, const char *b)
{
	const char *ws = " \t\r\n";

	a += strspn(a, ws);
	b += strspn(b, ws);
	while (*a && *b) {
		bool sa = strchr(ws, *a) != NULL, sb = strchr(ws, *b) != NULL;

		if (sa || sb) {
			a += strspn(a, ws);
			b += strspn(b, ws);
			if (!sa || !sb)
				return !*a && !*b;
			if (!*a || !*b)
				break;
			continue;
		}
		if (*a++ != *b++)
			return false;
	}
	a += strspn(a, ws);
	b += strspn(b, ws);
	return !*a && !*b;
}

/* Parts of t by this admin of the item's kind with its text, from the first attempt on
 * (by the server's clock). */
static int matching_parts(struct sender *s, const struct outbox_item *it, const struct thread *t)
{
	const struct directory *d = s->link.directory(s->link.arg);
	fl_time since = it->first_attempt + s->link.clock_offset(s->link.arg) - VERIFY_SLACK_S;
	size_t i;
	int n = 0;

	for (i = 0; i < t->n_parts; i++) {
		const struct thread_part *p = &t->parts[i];
		bool note = p->kind && !strcmp(p->kind, "note");
		bool mine = p->author_id
				? p->author_id == d->me
				: p->author && d->me_name && !strcmp(p->author, d->me_name);

		if (p->from_admin && mine && note == (it->kind == WRITE_NOTE) && p->at >= since &&
		    p->body && it->body && same_text(p->body, it->body))
			n++;
	}
	return n;
}

static void on_verify_thread(void *arg, struct thread *t, const struct result *r)
{
	struct flight *f = arg;
	struct sender *s = f->s;
	char *why;
	int mine, others;

	if (r->cls != RESULT_OK) {
		if (r->cls == RESULT_PERMANENT && r->status == 404) {
			/* the conversation is gone: nothing can arrive there */
			flight_failed(f, r, r->message);
			return;
		}
		why = xasprintf("cannot check whether it arrived: %s", r->message);
		flight_record(f, OUTBOX_AMBIGUOUS, why);
		free(why);
		return;
	}
	if (sets_state(f->it.kind)) {
		mine = state_reached(s, &f->it, &t->conv);
		others = 0;
	} else {
		mine = matching_parts(s, &f->it, t);
		/* Parts that other items with the same text account for prove nothing here. */
		others = outbox_count_sent_like(s->ob, &f->it,
						f->it.first_attempt - VERIFY_SLACK_S);
	}
	if (others < 0) {
		flight_record(f, OUTBOX_AMBIGUOUS, "cannot read the outbox");
		return;
	}
	if (mine > others) {
		flight_record(f, OUTBOX_SENT, NULL);
	} else if (f->fresh) {
		/* Not there yet: a slow backend may still be carrying it out. Look again after
		 * a pause before sending it again. */
		why = xasprintf("not in the conversation yet (%s)", f->it.error ? f->it.error : "");
		flight_record(f, OUTBOX_AMBIGUOUS, why);
		free(why);
	} else {
		send_item(f);
	}
}

static void verify(struct flight *f)
{
	struct sender_link *l = &f->s->link;

	l->fetch_thread(l->arg, f->it.conversation, on_verify_thread, f);
}

/* ---- tags named, not numbered: found in the directory, or created ---- */

static void on_tag_created(void *arg, int64_t tag_id, const struct result *r)
{
	struct flight *f = arg;

	if (r->cls != RESULT_OK) {
		/* The backend refused it (an answer 4xx), or could not be asked. */
		flight_record(f, r->cls == RESULT_PERMANENT ? OUTBOX_FAILED : OUTBOX_PENDING,
			      r->message);
		return;
	}
	f->it.tag = tag_id;
	if (outbox_set_tag(f->s->ob, f->it.id, tag_id) < 0)
		set_error(f->s, "cannot write to the outbox");
	send_item(f);
}

static void resolve_tag(struct flight *f)
{
	struct sender_link *l = &f->s->link;
	const struct directory *d = l->directory(l->arg);
	const char *name = f->it.tag_name;
	int64_t id = directory_find(d->tags, d->n_tags, name);
	char *why;

	if (id) {
		struct result found = {.cls = RESULT_OK};

		on_tag_created(f, id, &found);
		return;
	}
	if (f->it.kind == WRITE_UNTAG) {
		why = xasprintf("no tag named \"%s\"", name);
		flight_record(f, OUTBOX_FAILED, why);
		free(why);
		return;
	}
	/* On its way already: its watchers hear of the outcome, a failure too. */
	f->it.state = OUTBOX_SENDING;
	tell(f->s, &f->it);
	l->create_tag(l->arg, name, on_tag_created, f);
}

/* ---- the pump ---- */

static void start(struct sender *s, struct outbox_item *it)
{
	struct flight *f = xcalloc(1, sizeof(*f));
	bool checkable =
	    it->kind == WRITE_REPLY || it->kind == WRITE_NOTE || sets_state(it->kind);

	f->s = s;
	f->it = *it;
	memset(it, 0, sizeof(*it));
	s->flights[s->n_flights++] = f;
	/* Not pending: an attempt went out and its answer never came back (here, or in a
	 * process that died), so a reply may be there already. */
	if (checkable && f->it.state != OUTBOX_PENDING && f->it.first_attempt)
		verify(f);
	else if ((f->it.kind == WRITE_TAG || f->it.kind == WRITE_UNTAG) && !f->it.tag &&
		 f->it.tag_name)
		resolve_tag(f);
	else
		send_item(f);
}

static bool in_scope(const struct sender *s, int64_t conversation)
{
	size_t i;

	if (s->scope == SENDER_ALL)
		return true;
	for (i = 0; i < s->n_scope; i++)
		if (s->scope_convs[i] == conversation)
			return true;
	return false;
}

/* Starts what is due; *next_ms: when the next item waiting for its backoff is. */
static void start_due(struct sender *s, int64_t now, int64_t *next_ms)
{
	struct outbox_item *items = NULL;
	size_t i, n = 0;

	if (outbox_due(s->ob, now, DUE_BATCH, &items, &n, next_ms) < 0) {
		set_error(s, "cannot read the outbox");
		return;
	}
	for (i = 0; i < n; i++)
		if (s->n_flights < MAX_IN_FLIGHT && in_scope(s, items[i].conversation) &&
		    !in_flight(s, items[i].id))
			start(s, &items[i]);
	outbox_items_free(items, n);
	/* Trusted only while other processes' changes can be seen (look_at_others). */
	s->nothing_due = !n && !*next_ms && !s->n_flights && s->data_version >= 0;
}

/* Another process changed the outbox: watched items may have moved. */
static void look_at_others(struct sender *s)
{
	int64_t v = outbox_data_version(s->ob);
	size_t i, n;
	int64_t *ids;

	if (v == s->data_version)
		return;
	s->data_version = v;
	s->rows_dirty = true;
	s->nothing_due = false;
	n = s->n_watches;
	ids = xcalloc(n ? n : 1, sizeof(*ids));
	for (i = 0; i < n; i++)
		ids[i] = s->watches[i].id;
	for (i = 0; i < n; i++) {
		struct outbox_item it;
		int rc;

		if (in_flight(s, ids[i]))
			continue;
		rc = outbox_get(s->ob, ids[i], &it);
		if (rc == 0) {
			memset(&it, 0, sizeof(it));
			it.id = ids[i];
			it.state = OUTBOX_GONE;
		}
		if (rc >= 0)
			tell(s, &it);
		if (rc == 1)
			outbox_item_release(&it);
	}
	free(ids);
	if (!n && s->listen_fn)
		s->listen_fn(s->listen_arg);
}

static bool try_open(struct sender *s)
{
	char err[256];

	if (!s->link.state_dir) {
		set_error(s, "no state directory for the outbox (set XDG_STATE_HOME or HOME)");
		return false;
	}
	s->ob = outbox_open(s->link.state_dir, s->link.account, err, sizeof(err));
	set_error(s, s->ob ? NULL : err);
	if (s->ob)
		s->data_version = outbox_data_version(s->ob);
	return s->ob != NULL;
}

/* Becomes the sending process if none is, and takes over what a dead one left. */
static void take_lock(struct sender *s)
{
	char *why;
	int rc = outbox_lock(s->ob), recovered;

	if (rc < 0) {
		why = xasprintf("cannot take the lock %s.lock: %s; writes wait (check the state "
				"directory's permissions)",
				outbox_path(s->ob), strerror(errno));
		set_error(s, why);
		free(why);
		s->lock_failed = true;
		return;
	}
	if (s->lock_failed)
		set_error(s, NULL);
	if (rc == 0)
		return;
	recovered = outbox_recover(s->ob);
	if (recovered < 0)
		set_error(s, "cannot read the outbox: writes wait");
	else if (recovered > 0)
		tell(s, NULL);
}

static void pump(struct sender *s)
{
	int64_t now = wall_ms(), next = 0, delay = s->poll_ms;

	if (!s->ob) {
		if (now < s->reopen_at_ms || !try_open(s)) {
			s->reopen_at_ms = now + REOPEN_MS;
			schedule(s, REOPEN_MS);
			return;
		}
		tell(s, NULL);
	}
	look_at_others(s);
	/* Only a sender that can send takes the lock: one that cannot reach the backend
	 * (or is refused) must not hold up the agent's other processes. */
	if (s->link.directory(s->link.arg)) {
		if (!outbox_locked(s->ob))
			take_lock(s);
		if (outbox_locked(s->ob) && !s->nothing_due)
			start_due(s, now, &next);
	}
	/* A slow poll wakes with the countdown's tick, not between two ticks. */
	if (delay >= 1000)
		delay = loop_ms_to_next_second();
	if (next > 0 && next - now < delay)
		delay = next - now;
	schedule(s, delay);
}

/* ---- the API ---- */

struct sender *sender_new(const struct sender_link *link, enum sender_scope scope,
			  int64_t poll_ms)
{
	struct sender *s = xcalloc(1, sizeof(*s));

	s->link = *link;
	s->scope = scope;
	s->poll_ms = poll_ms > 0 ? poll_ms : 1000;
	s->rng = ((uint64_t)getpid() << 32) ^ (uint64_t)wall_ms() ^ 0x9e3779b97f4a7c15ULL;
	s->rows_dirty = true;
	if (!try_open(s))
		s->reopen_at_ms = wall_ms() + REOPEN_MS;
	schedule(s, 0);
	return s;
}

void sender_free(struct sender *s)
{
	if (!s)
		return;
	if (s->timer)
		loop_timer_cancel(s->link.loop, s->timer);
	while (s->n_flights)
		flight_drop(s->flights[0]);
	outbox_close(s->ob);
	free(s->watches);
	free(s->scope_convs);
	free(s->rows);
	free(s);
}

const char *sender_error(const struct sender *s) { return s->error[0] ? s->error : NULL; }

void sender_watch(struct sender *s, int64_t id, sender_item_fn fn, void *arg)
{
	xgrow(&s->watches, &s->cap_watches, s->n_watches + 1, sizeof(*s->watches));
	s->watches[s->n_watches++] =
	    (struct watch){.id = id, .fn = fn, .arg = arg, .last = OUTBOX_PENDING};
}

void sender_forget(struct sender *s, void *arg)
{
	size_t i, j;

	for (i = j = 0; i < s->n_watches; i++)
		if (s->watches[i].arg != arg)
			s->watches[j++] = s->watches[i];
	s->n_watches = j;
}

int64_t sender_submit(struct sender *s, const struct write_op *w, const char *tag_name,
		      sender_item_fn fn, void *arg, char *err, size_t errlen)
{
	return sender_submit_at(s, w, tag_name, 0, fn, arg, err, errlen);
}

int64_t sender_submit_at(struct sender *s, const struct write_op *w, const char *tag_name,
			 int64_t not_before_ms, sender_item_fn fn, void *arg, char *err,
			 size_t errlen)
{
	int64_t id;

	if (!s->ob && !try_open(s)) {
		snprintf(err, errlen, "%s", s->error);
		return -1;
	}
	id = outbox_enqueue_at(s->ob, w, tag_name, time(NULL), not_before_ms, err, errlen);
	if (id < 0)
		return -1;
	if (!in_scope(s, w->conversation)) {
		xgrow(&s->scope_convs, &s->cap_scope, s->n_scope + 1, sizeof(*s->scope_convs));
		s->scope_convs[s->n_scope++] = w->conversation;
	}
	if (fn)
		sender_watch(s, id, fn, arg);
	tell(s, NULL);
	schedule(s, 0);
	return id;
}

void sender_listen(struct sender *s, void (*fn)(void *arg), void *arg)
{
	s->listen_fn = fn;
	s->listen_arg = arg;
}

int sender_counts(struct sender *s, struct outbox_counts *c)
{
	if (!s->ob) {
		memset(c, 0, sizeof(*c));
		return -1;
	}
	return outbox_counts(s->ob, c);
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->conversation < y->conversation ? -1 : x->conversation > y->conversation;
}

/* The rank of a row's mark: what needs the agent's eyes most wins. */
static int row_rank(enum outbox_state st)
{
	return st == OUTBOX_GONE ? 0 : st == OUTBOX_SENT ? 1 : st == OUTBOX_FAILED ? 3 : 2;
}

static void rows_refresh(struct sender *s)
{
	struct outbox_item *items = NULL;
	size_t i, n = 0, j;

	s->rows_dirty = false;
	s->n_rows = 0;
	if (!s->ob || outbox_list(s->ob, time(NULL), ROW_SENT_S, &items, &n) < 0)
		return;
	xgrow(&s->rows, &s->cap_rows, n ? n : 1, sizeof(*s->rows)); /* never NULL for qsort */
	for (i = 0; i < n; i++) {
		enum outbox_state st =
		    items[i].state == OUTBOX_SENDING || items[i].state == OUTBOX_AMBIGUOUS
			? OUTBOX_PENDING
			: items[i].state;

		for (j = 0; j < s->n_rows && s->rows[j].conversation != items[i].conversation; j++)
			;
		if (j == s->n_rows)
			s->rows[s->n_rows++] = (struct row){items[i].conversation, st};
		else if (row_rank(st) > row_rank(s->rows[j].state))
			s->rows[j].state = st;
	}
	outbox_items_free(items, n);
	qsort(s->rows, s->n_rows, sizeof(*s->rows), row_cmp);
}

enum outbox_state sender_conversation_state(struct sender *s, int64_t conversation)
{
	struct row key = {.conversation = conversation}, *r;

	if (s->rows_dirty)
		rows_refresh(s);
	r = s->n_rows ? bsearch(&key, s->rows, s->n_rows, sizeof(*s->rows), row_cmp) : NULL;
	return r ? r->state : OUTBOX_GONE;
}

int sender_items(struct sender *s, struct outbox_item **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	return s->ob ? outbox_list(s->ob, time(NULL), 0, items, n) : -1;
}

int sender_sent(struct sender *s, fl_time within, struct outbox_item **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	return s->ob ? outbox_list(s->ob, time(NULL), within, items, n) : -1;
}

int sender_item(struct sender *s, int64_t id, struct outbox_item *out)
{
	return s->ob ? outbox_get(s->ob, id, out) : -1;
}

int sender_retry(struct sender *s, int64_t id)
{
	int rc = s->ob ? outbox_retry(s->ob, id) : -1;

	if (rc == 0) {
		struct outbox_item it;

		s->nothing_due = false;
		if (outbox_get(s->ob, id, &it) == 1) {
			tell(s, &it);
			outbox_item_release(&it);
		}
		schedule(s, 0);
	}
	return rc;
}

int sender_discard(struct sender *s, int64_t id)
{
	struct outbox_item gone = {.id = id, .state = OUTBOX_GONE};
	int rc;

	if (!s->ob)
		return -1;
	/* In flight here: its answer decides (a check of the thread is in flight too). */
	if (in_flight(s, id))
		return 1;
	rc = outbox_discard(s->ob, id);
	if (rc == 0)
		tell(s, &gone);
	return rc;
}

size_t sender_in_flight(const struct sender *s) { return s->n_flights; }

bool sender_idle(struct sender *s)
{
	struct outbox_item *items = NULL;
	size_t i, n = 0;
	bool idle = true;

	if (!s->ob || s->n_flights)
		return false;
	if (outbox_list(s->ob, time(NULL), 0, &items, &n) < 0)
		return false;
	for (i = 0; i < n && idle; i++)
		if (items[i].state != OUTBOX_FAILED && in_scope(s, items[i].conversation))
			idle = false;
	outbox_items_free(items, n);
	return idle;
}
