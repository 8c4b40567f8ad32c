/* world.c: the simulated workspace in SQLite: schema, generation from a seed, the customers'
 * behaviour over time, and every state change a request or a customer causes. */
#include "build-config.h"

#include "world.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "office-hours.h"
#include "util.h"
#include "wdb.h"

/* At most this many arrivals or customer events are played per advance, so a sim that
 * slept for a week does not stall its next request. */
#define ADVANCE_BATCH 1000

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value);"
	"CREATE TABLE IF NOT EXISTS teams(id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	" realtime INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS admins(id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	" email TEXT NOT NULL, job_title TEXT NOT NULL, team_mask INTEGER NOT NULL,"
	" away INTEGER NOT NULL DEFAULT 0, bot INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE IF NOT EXISTS contacts(id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	" email TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS companies(id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	" plan TEXT);"
	"CREATE TABLE IF NOT EXISTS contact_profiles(contact_id INTEGER PRIMARY KEY,"
	" company_id INTEGER, city TEXT, region TEXT, country TEXT, created_at INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS deleted_contacts(id INTEGER PRIMARY KEY);"
	"CREATE TABLE IF NOT EXISTS contact_tags(contact_id INTEGER NOT NULL,"
	" tag_id INTEGER NOT NULL, applied_at INTEGER NOT NULL, applied_by INTEGER NOT NULL,"
	" PRIMARY KEY(contact_id, tag_id)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS tags(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS conversations(id INTEGER PRIMARY KEY,"
	" created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, waiting_since INTEGER,"
	" snoozed_until INTEGER, state TEXT NOT NULL, read INTEGER NOT NULL DEFAULT 0,"
	" priority TEXT NOT NULL DEFAULT 'none', admin_assignee_id INTEGER NOT NULL DEFAULT 0,"
	" team_assignee_id INTEGER NOT NULL DEFAULT 0, title TEXT, body TEXT NOT NULL,"
	" contact_id INTEGER NOT NULL, first_contact_reply_at INTEGER,"
	" last_contact_reply_at INTEGER, first_admin_reply_at INTEGER,"
	" last_admin_reply_at INTEGER, first_close_at INTEGER, last_close_at INTEGER,"
	" last_closed_by_id INTEGER, count_reopens INTEGER NOT NULL DEFAULT 0,"
	" count_assignments INTEGER NOT NULL DEFAULT 0, sla_name TEXT, sla_target INTEGER,"
	" sla_hits INTEGER NOT NULL DEFAULT 0, sla_misses INTEGER NOT NULL DEFAULT 0,"
	" sla_cancelled INTEGER NOT NULL DEFAULT 0,"
	" last_assignment_at INTEGER);"
	"CREATE INDEX IF NOT EXISTS conversations_updated ON conversations(updated_at);"
	"CREATE INDEX IF NOT EXISTS conversations_state ON conversations(state, snoozed_until);"
	"CREATE TABLE IF NOT EXISTS conversation_tags(conversation_id INTEGER NOT NULL,"
	" tag_id INTEGER NOT NULL, applied_at INTEGER NOT NULL, applied_by INTEGER NOT NULL,"
	" PRIMARY KEY(conversation_id, tag_id)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS conversation_tags_tag ON conversation_tags(tag_id);"
	"CREATE TABLE IF NOT EXISTS parts(id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL,"
	" part_type TEXT NOT NULL, body TEXT, created_at INTEGER NOT NULL,"
	" author_type TEXT NOT NULL, author_id INTEGER NOT NULL, assigned_type TEXT,"
	" assigned_id INTEGER, is_html INTEGER NOT NULL DEFAULT 0, tags TEXT);"
	"CREATE INDEX IF NOT EXISTS parts_conversation ON parts(conversation_id, id);"
	"CREATE TABLE IF NOT EXISTS articles(id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
	" description TEXT NOT NULL, body TEXT NOT NULL, author_id INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, description, body,"
	" content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
	"CREATE TABLE IF NOT EXISTS events(at INTEGER NOT NULL, conversation_id INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS events_at ON events(at);"
	/* The ground truth of every reply time played: a customer's wait (from waiting_since)
	 * ended by an admin's reply, first or next, with the team and assignee it had, and
	 * the seconds of it the conversation spent snoozed. */
	"CREATE TABLE IF NOT EXISTS reply_times(conversation_id INTEGER NOT NULL,"
	" first INTEGER NOT NULL, waited_from INTEGER NOT NULL, replied_at INTEGER NOT NULL,"
	" admin_id INTEGER NOT NULL, team_id INTEGER NOT NULL, assignee_id INTEGER NOT NULL,"
	" snoozed INTEGER NOT NULL DEFAULT 0);"
	/* Every snooze played through the API, from its part to its end (a customer's
	 * message, an admin's open or close, the timer); ended is NULL while it lasts. The
	 * snoozes of a generated world have no history and are not here. */
	"CREATE TABLE IF NOT EXISTS snoozes(conversation_id INTEGER NOT NULL,"
	" started INTEGER NOT NULL, ended INTEGER);"
	"CREATE INDEX IF NOT EXISTS snoozes_conversation ON snoozes(conversation_id);";

static const char *const team_names[WORLD_TEAMS] = {"Live chat", "Support"};
static const long long first_team_id = 5001;
static const long long first_admin_id = 901001;
static const long long first_tag_id = 7001;
static const long long first_article_id = 3001;

static int tx_begin(struct world *w)
{
	return wdb_exec(w, "BEGIN IMMEDIATE", "") < 0 ? -1 : 0;
}

/* Commits when rc is 0, rolls back otherwise; returns rc, or -1 if the commit failed. */
static int tx_end(struct world *w, int rc)
{
	if (rc == 0 && wdb_exec(w, "COMMIT", "") >= 0)
		return 0;
	wdb_exec(w, "ROLLBACK", "");
	return -1;
}

int world_transaction(struct world *w, int (*fn)(struct world *w, void *arg), void *arg)
{
	return tx_begin(w) < 0 ? -1 : tx_end(w, fn(w, arg));
}

static time_t exp_interval(struct prng *r, long per_hour)
{
	double u = prng_unit(r);
	double secs = -log(1.0 - u) * 3600.0 / (double)per_hour;

	return secs < 1.0 ? 1 : (time_t)secs;
}

/* Bodies that arrive through the API are HTML, as in Intercom; the simulated customers
 * and agents write plain text. is_html says which, so answers can give either form. */
static int insert_part(struct world *w, long long id, const char *type, const char *body,
		       bool is_html, time_t at, const char *author_type, long long author_id)
{
	return wdb_exec(w,
			"INSERT INTO parts(conversation_id, part_type, body, created_at,"
			" author_type, author_id, is_html) VALUES(?, ?, ?, ?, ?, ?, ?)",
			"ittitii", id, type, body, (long long)at, author_type, author_id,
			(long long)is_html) < 0
		       ? -1
		       : 0;
}

/* The snooze of conversation id that lasts, if any, ended at at. */
static int snooze_end(struct world *w, long long id, time_t at)
{
	return wdb_exec(w, "UPDATE snoozes SET ended = ?1 WHERE conversation_id = ?2 AND ended IS NULL",
			"ii", (long long)at, id) < 0
		       ? -1
		       : 0;
}

static long long conversation_contact(struct world *w, long long id)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT contact_id FROM conversations WHERE id = ?", "i", id);
	long long contact = 0;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		contact = sqlite3_column_int64(st, 0);
	return contact;
}

static int add_customer_message(struct world *w, long long id, const char *body, bool is_html,
				time_t at)
{
	long long contact = conversation_contact(w, id);

	if (contact <= 0)
		return -1;
	if (insert_part(w, id, "comment", body, is_html, at, "user", contact) < 0 ||
	    snooze_end(w, id, at) < 0)
		return -1;
	return wdb_exec(w,
			"UPDATE conversations SET waiting_since = COALESCE(waiting_since, ?1),"
			" updated_at = MAX(updated_at, ?1, ?3), last_contact_reply_at = ?1,"
			" first_contact_reply_at = COALESCE(first_contact_reply_at, ?1),"
			" count_reopens = count_reopens + (state = 'closed'),"
			" state = 'open', snoozed_until = NULL, read = 0 WHERE id = ?2",
			"iii", (long long)at, id, (long long)w->clock) < 0
		       ? -1
		       : 0;
}

static int add_admin_reply(struct world *w, long long id, long long admin, bool note, const char *body,
			   bool is_html, time_t at)
{
	if (insert_part(w, id, note ? "note" : "comment", body, is_html, at, "admin", admin) < 0)
		return -1;
	if (note)
		return wdb_exec(w, "UPDATE conversations SET updated_at = MAX(updated_at, ?1) WHERE id = ?2",
				"ii", (long long)at, id) < 0
			       ? -1
			       : 0;
	/* The reply time it ends, if the customer was waiting, before the row forgets: with
	 * the seconds of the wait spent snoozed (a snooze that lasts counts up to the reply). */
	if (wdb_exec(w,
		     "INSERT INTO reply_times SELECT id, first_admin_reply_at IS NULL, waiting_since,"
		     " ?1, ?3, team_assignee_id, admin_assignee_id,"
		     " (SELECT COALESCE(SUM(MAX(0, MIN(COALESCE(s.ended, ?1), ?1)"
		     " - MAX(s.started, c.waiting_since))), 0) FROM snoozes s"
		     " WHERE s.conversation_id = c.id) FROM conversations c"
		     " WHERE id = ?2 AND waiting_since IS NOT NULL",
		     "iii", (long long)at, id, admin) < 0)
		return -1;
	/* The SLA's event for this reply (all on the row as it was): hit in time, else
	 * missed, and only now: like Intercom's, a missed SLA is told at the late reply. */
	return wdb_exec(w,
			"UPDATE conversations SET sla_hits = sla_hits + (sla_name IS NOT NULL AND"
			" waiting_since IS NOT NULL AND ?1 - waiting_since <= sla_target),"
			" sla_misses = sla_misses + (sla_name IS NOT NULL AND"
			" waiting_since IS NOT NULL AND ?1 - waiting_since > sla_target),"
			" waiting_since = NULL, updated_at = MAX(updated_at, ?1),"
			" first_admin_reply_at = COALESCE(first_admin_reply_at, ?1),"
			" last_admin_reply_at = ?1, read = 1 WHERE id = ?2",
			"ii", (long long)at, id) < 0
		       ? -1
		       : 0;
}

/* The workspace's simulated workflow: real-time conversations get the "Real-time 2m" SLA,
 * standard ones of high or urgent priority "Priority 30m", the others none. A
 * conversation made through the control endpoint may name its own (or "" for none). */
static void workflow_sla(const struct world_new_conversation *c, const char **name,
			 long long *target)
{
	const char *priority = c->priority ? c->priority : "none";

	*name = NULL;
	*target = 0;
	if (c->sla_name) {
		*name = *c->sla_name ? c->sla_name : NULL;
		*target = c->sla_target > 0 ? (long long)c->sla_target : WORLD_SLA_STANDARD_SECONDS;
	} else if (c->team == WORLD_TEAM_REALTIME) {
		*name = "Real-time 2m";
		*target = WORLD_SLA_REALTIME_SECONDS;
	} else if (!strcmp(priority, "high") || !strcmp(priority, "urgent")) {
		*name = "Priority 30m";
		*target = WORLD_SLA_PRIORITY_SECONDS;
	}
}

/* A customer's company and place, chosen from the contact's id (no draw of the customer
 * generator, so worlds seeded before keep their names): one customer in five has neither,
 * as leads who never told. */
static const struct {
	const char *company, *plan, *city, *region, *country;
} profiles[] = {
	{"Acme Logistics", "Pro", "Dublin", "Leinster", "Ireland"},
	{"Brightside Health", "Enterprise", "New York", "New York", "United States"},
	{"Cobalt Studio", "Starter", "Berlin", "Berlin", "Germany"},
	{"Dune Analytics", "Pro", "Sydney", "New South Wales", "Australia"},
	{"Evergreen Foods", NULL, "Tokyo", "Tokyo", "Japan"},
	{"Fjord Systems", "Enterprise", "Oslo", "Oslo", "Norway"},
	{"Granite Bank", "Enterprise", "Chicago", "Illinois", "United States"},
	{"Harbor Travel", "Starter", "Lisbon", "Lisboa", "Portugal"},
};

/* The tags a customer carries, chosen from the contact's id like the profile: every third
 * customer with a company "vip", every fourth "churn-risk", every seventh "onboarding". */
static int insert_contact_tags(struct world *w, long long contact, time_t at)
{
	static const struct {
		int every, rest;
		const char *name;
	} rules[] = {{3, 1, "vip"}, {4, 2, "churn-risk"}, {7, 3, "onboarding"}};
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (contact % rules[i].every == rules[i].rest &&
		    wdb_exec(w,
			     "INSERT OR IGNORE INTO contact_tags(contact_id, tag_id, applied_at,"
			     " applied_by) SELECT ?, id, ?, ? FROM tags WHERE name = ?",
			     "iiit", contact, (long long)at, first_admin_id, rules[i].name) < 0)
			return -1;
	return 0;
}

static int insert_contact_profile(struct world *w, long long contact, time_t at)
{
	size_t n = sizeof(profiles) / sizeof(profiles[0]), i = (size_t)contact % n;
	long long company = 0;
	sqlite3_stmt *st;

	if (contact % 5 == 0)
		return wdb_exec(w, "INSERT INTO contact_profiles(contact_id, created_at) VALUES(?, ?)",
				"ii", contact, (long long)at);
	if (insert_contact_tags(w, contact, at) < 0)
		return -1;
	st = wdb_query(w, "SELECT id FROM companies WHERE name = ?", "t", profiles[i].company);
	if (st && sqlite3_step(st) == SQLITE_ROW)
		company = sqlite3_column_int64(st, 0);
	if (!company) {
		if (wdb_exec(w, "INSERT INTO companies(name, plan) VALUES(?, ?)", "tt",
			     profiles[i].company, profiles[i].plan) < 0)
			return -1;
		company = sqlite3_last_insert_rowid(w->db);
	}
	return wdb_exec(w,
			"INSERT INTO contact_profiles(contact_id, company_id, city, region, country,"
			" created_at) VALUES(?, ?, ?, ?, ?, ?)",
			"iittti", contact, company, profiles[i].city, profiles[i].region,
			profiles[i].country, (long long)at);
}

static int insert_conversation(struct world *w, const struct world_new_conversation *c,
			       long long *id_out)
{
	const char *sla_name;
	long long sla_target;
	char *name = c->contact_name ? NULL : corpus_customer_name(&w->customer_rng);
	char *email = corpus_customer_email(&w->customer_rng, (unsigned long)++w->contact_serial);
	const char *state = c->state ? c->state : "open";
	long long contact, id;
	int rc;

	if (c->contact_id) {
		contact = c->contact_id;
		rc = 0;
	} else {
		rc = wdb_exec(w, "INSERT INTO contacts(name, email) VALUES(?, ?)", "tt",
			      c->contact_name ? c->contact_name : name, email);
		contact = rc < 0 ? 0 : sqlite3_last_insert_rowid(w->db);
		if (rc >= 0)
			rc = insert_contact_profile(w, contact, c->created_at);
	}
	free(name);
	free(email);
	if (rc < 0)
		return -1;
	rc = wdb_exec(w,
		      "INSERT INTO conversations(created_at, updated_at, waiting_since, snoozed_until,"
		      " state, priority, admin_assignee_id, team_assignee_id, title, body, contact_id,"
		      " first_contact_reply_at, last_contact_reply_at)"
		      " VALUES(?1, MAX(?1, ?11), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?1, ?1)",
		      "iIIttiittii", (long long)c->created_at,
		      (long long)(strcmp(state, "closed") == 0 ? 0
				  : c->waiting_since	       ? c->waiting_since
							       : c->created_at),
		      (long long)(strcmp(state, "snoozed") == 0 ? c->snoozed_until : 0), state,
		      c->priority ? c->priority : "none", c->admin_assignee_id,
		      w->team_ids[c->team], c->title, c->body, contact, (long long)w->clock);
	if (rc < 0)
		return -1;
	id = sqlite3_last_insert_rowid(w->db);
	*id_out = id;
	workflow_sla(c, &sla_name, &sla_target);
	if (sla_name &&
	    wdb_exec(w, "UPDATE conversations SET sla_name = ?, sla_target = ? WHERE id = ?", "tii",
		     sla_name, sla_target, id) < 0)
		return -1;
	return 0;
}

/* A follow-up from the customer some time after an agent's reply, if this customer writes
 * again at all. */
static int maybe_schedule_followup(struct world *w, long long id, time_t at)
{
	if (prng_unit(&w->customer_rng) >= w->params.followup_rate)
		return 0;
	at += 20 + (time_t)prng_below(&w->customer_rng, 280);
	return wdb_exec(w, "INSERT INTO events(at, conversation_id) VALUES(?, ?)", "ii", (long long)at,
			id) < 0
		       ? -1
		       : 0;
}

static int new_arrival(struct world *w, int team, time_t at)
{
	struct world_new_conversation c = {.team = team, .created_at = at};
	char *title, *body;
	long long id;
	int rc;

	corpus_opening(&w->customer_rng, &title, &body);
	c.title = title;
	c.body = body;
	rc = insert_conversation(w, &c, &id);
	free(title);
	free(body);
	return rc;
}

/* ---- generation ---- */

static int generate_directory(struct world *w, time_t now)
{
	size_t n_admins, n_tags, i;
	const struct corpus_admin *admins = corpus_admins(&n_admins);
	const char *const *tags = corpus_tag_names(&n_tags);

	for (i = 0; i < WORLD_TEAMS; i++)
		if (wdb_exec(w, "INSERT INTO teams(id, name, realtime) VALUES(?, ?, ?)", "iti",
			     first_team_id + (long long)i, team_names[i], (long long)(i == 0)) < 0)
			return -1;
	for (i = 0; i < n_admins; i++) {
		/* The first admin (the token's owner) works both queues; the rest alternate. */
		long long mask = i == 0 ? 3 : (long long)(1 << (i % 2));

		if (wdb_exec(w, "INSERT INTO admins(id, name, email, job_title, team_mask, away)"
				" VALUES(?, ?, ?, ?, ?, ?)",
			     "itttIi", first_admin_id + (long long)i, admins[i].name, admins[i].email,
			     admins[i].job_title, mask, (long long)admins[i].away) < 0)
			return -1;
	}
	/* The bot after the teammates, in no team; generation never draws it. */
	if (wdb_exec(w, "INSERT INTO admins(id, name, email, job_title, team_mask, bot)"
			" VALUES(?, ?, ?, ?, 0, 1)",
		     "ittt", first_admin_id + (long long)n_admins, corpus_bot()->name,
		     corpus_bot()->email, corpus_bot()->job_title) < 0)
		return -1;
	for (i = 0; i < n_tags; i++)
		if (wdb_exec(w, "INSERT INTO tags(id, name, created_at) VALUES(?, ?, ?)", "iti",
			     first_tag_id + (long long)i, tags[i], (long long)now - 86400 * 90) < 0)
			return -1;
	return 0;
}

static int generate_articles(struct world *w, struct prng *r, time_t now)
{
	size_t n_admins;
	long i;

	corpus_admins(&n_admins);
	for (i = 0; i < w->params.articles; i++) {
		char *title, *description, *body;
		long long created = (long long)now - 86400 * (long long)(30 + prng_below(r, 700));
		long long updated = created + 86400 * (long long)prng_below(r, 30);
		int rc;

		corpus_article((size_t)i, &title, &description, &body);
		rc = wdb_exec(w, "INSERT INTO articles(id, title, description, body, author_id,"
				 " created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?)",
			      "itttiii", first_article_id + i, title, description, body,
			      first_admin_id + (long long)prng_below(r, n_admins), created, updated);
		free(title);
		free(description);
		free(body);
		if (rc < 0)
			return -1;
	}
	return wdb_exec(w, "INSERT INTO articles_fts(articles_fts) VALUES('rebuild')", "") < 0 ? -1 : 0;
}

/* Customers come back: every fourth conversation of a generated world is from the
 * customer of an earlier one (decided by count, so the draws and the rest of the world
 * stay as they were). 0: a new customer. */
static long long returning_contact(struct world *w)
{
	sqlite3_stmt *st;
	long long last = 0;

	if ((w->contact_serial + 1) % 4)
		return 0;
	st = wdb_query(w, "SELECT max(id) FROM contacts", "");
	if (st && sqlite3_step(st) == SQLITE_ROW)
		last = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return last > 1 ? last - 1 : 0;
}

/* The first reply of a conversation of the last minutes, in about half of them, and a
 * customer's message after it in half of those; the customer of the others waits. */
static int play_recent(struct world *w, struct prng *r, long long id, long long admin,
		       time_t created, time_t age, time_t now, long n_admins)
{
	long long replier;
	time_t reply_at;
	char *text;
	int rc;

	if (prng_unit(r) >= 0.45)
		return 0;
	replier = admin ? admin : first_admin_id + (long long)prng_below(r, (uint64_t)n_admins);
	reply_at = created + 1 + (time_t)((double)age * 0.6 * prng_unit(r));
	text = corpus_admin_reply(&w->customer_rng);
	rc = add_admin_reply(w, id, replier, false, text, false, reply_at);
	free(text);
	if (rc == 0 && prng_unit(r) < 0.5) {
		time_t again = reply_at + 1 + (time_t)((double)(now - reply_at) * prng_unit(r));

		text = corpus_followup(&w->customer_rng);
		rc = add_customer_message(w, id, text, false, again);
		free(text);
	}
	return rc;
}

/* A delay from lo to hi seconds, log-uniform: as likely from 10 s to 100 s as from 100 s
 * to 1000 s, as people's answers are. */
static time_t draw_delay(struct prng *r, double lo, double hi)
{
	return (time_t)(lo * pow(hi / lo, prng_unit(r)));
}

/* How long a teammate of the team takes to answer: the real-time team seconds to 20
 * minutes, the standard one half a minute to 8 hours. */
static time_t draw_reply_delay(struct prng *r, int team)
{
	return team == WORLD_TEAM_REALTIME ? draw_delay(r, 5, 1200) : draw_delay(r, 30, 8 * 3600);
}

static int close_conversation(struct world *w, long long id, long long admin_id, const char *body,
			      time_t at);

/* A conversation of a history (--history) created before its last hours: answered after
 * the team's delay, asked again and answered again in three of ten (and again in three
 * of ten of those), then closed by the teammate who answered; three in a hundred closed
 * unanswered (spam, duplicates). Nothing is played at or after now: a conversation whose
 * next step would come later stays open where it got to. */
static int play_past(struct world *w, struct prng *r, long long id, int team, long long admin,
		     time_t created, time_t now, long n_admins)
{
	long long replier =
	    admin ? admin : first_admin_id + (long long)prng_below(r, (uint64_t)n_admins);
	time_t at = created;
	int exchange, rc;
	char *text;

	if (prng_unit(r) < 0.03) {
		at += draw_delay(r, 60, 86400);
		return at < now ? close_conversation(w, id, replier, NULL, at) : 0;
	}
	for (exchange = 0; exchange < 3; exchange++) {
		if (exchange > 0) {
			if (prng_unit(r) >= 0.3)
				break;
			at += draw_delay(r, 20, 3 * 3600);
			if (at >= now)
				return 0;
			text = corpus_followup(&w->customer_rng);
			rc = add_customer_message(w, id, text, false, at);
			free(text);
			if (rc < 0)
				return -1;
		}
		at += draw_reply_delay(r, team);
		if (at >= now)
			return 0;
		text = corpus_admin_reply(&w->customer_rng);
		rc = add_admin_reply(w, id, replier, false, text, false, at);
		free(text);
		if (rc < 0)
			return -1;
	}
	at += draw_delay(r, 60, 2 * 3600);
	return at < now ? close_conversation(w, id, replier, NULL, at) : 0;
}

/* One conversation of the generated world, with a plausible history up to now: created
 * at created (0: in the last 90 minutes, as the draws say), open unless a history made
 * it old enough to be closed. */
static int generate_conversation(struct world *w, struct prng *r, time_t now, time_t created,
				 long n_admins, long n_tags)
{
	struct world_new_conversation c = {0};
	bool realtime = prng_unit(r) < 0.3;
	time_t age = created	? now - created
		     : realtime ? 10 + (time_t)prng_below(r, 240)
				: 60 + (time_t)prng_below(r, 5400);
	bool past = created && age > WORLD_HISTORY_OPEN_SECONDS;
	char *title, *body;
	long long id, admin = 0;
	int rc, k, ntag;

	c.team = realtime ? WORLD_TEAM_REALTIME : WORLD_TEAM_STANDARD;
	c.created_at = now - age;
	if (prng_unit(r) < 0.5)
		admin = first_admin_id + (long long)prng_below(r, (uint64_t)n_admins);
	c.admin_assignee_id = admin;
	c.priority = prng_unit(r) < 0.1 ? "urgent" : "none";
	c.contact_id = returning_contact(w);
	corpus_opening(&w->customer_rng, &title, &body);
	c.title = title;
	c.body = body;
	rc = insert_conversation(w, &c, &id);
	free(title);
	free(body);
	if (rc < 0)
		return -1;
	rc = past ? play_past(w, r, id, c.team, admin, c.created_at, now, n_admins)
		  : play_recent(w, r, id, admin, c.created_at, age, now, n_admins);
	if (rc < 0)
		return -1;
	ntag = (int)prng_below(r, 3);
	for (k = 0; k < ntag; k++)
		if (wdb_exec(w, "INSERT OR IGNORE INTO conversation_tags(conversation_id, tag_id,"
				" applied_at, applied_by) VALUES(?, ?, ?, ?)",
			     "iiii", id, first_tag_id + (long long)prng_below(r, (uint64_t)n_tags),
			     (long long)(created ? c.created_at : now - 1), first_admin_id) < 0)
			return -1;
	if (!past && prng_unit(r) < 0.05) {
		time_t until = now + 60 + (time_t)prng_below(r, 7200);

		if (wdb_exec(w, "UPDATE conversations SET state = 'snoozed', snoozed_until = ?"
				" WHERE id = ?", "ii", (long long)until, id) < 0)
			return -1;
	}
	return 0;
}

/* Whether t falls in working hours: weekdays, 08:00 to 18:00 UTC. */
static bool working_hour(time_t t)
{
	struct tm tm;

	return gmtime_r(&t, &tm) && tm.tm_wday >= 1 && tm.tm_wday <= 5 && tm.tm_hour >= 8 &&
	       tm.tm_hour < 18;
}

static int compare_times(const void *a, const void *b)
{
	time_t x = *(const time_t *)a, y = *(const time_t *)b;

	return (x > y) - (x < y);
}

/* When the n conversations of a history of span seconds before now were created: three
 * times as many an hour in working hours as outside them, oldest first, so ids grow with
 * creation as a workspace's do. Returns an array of n the caller frees. */
static time_t *history_times(struct prng *r, time_t now, long span, long n)
{
	time_t *times = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*times));
	long i;

	for (i = 0; i < n; i++) {
		do
			times[i] = now - span + (time_t)prng_below(r, (uint64_t)span);
		while (!working_hour(times[i]) && prng_unit(r) >= 1.0 / 3);
	}
	qsort(times, (size_t)n, sizeof(*times), compare_times);
	return times;
}

static int generate(struct world *w, time_t now)
{
	struct prng r;
	size_t n_admins, n_tags;
	time_t *created = NULL;
	long i;
	int rc = 0;

	prng_init(&r, w->params.seed * 0x2545f4914f6cdd1dULL + 7);
	corpus_admins(&n_admins);
	corpus_tag_names(&n_tags);
	if (generate_directory(w, now) < 0 || generate_articles(w, &r, now) < 0)
		return -1;
	if (w->params.history_seconds > 0)
		created =
		    history_times(&r, now, w->params.history_seconds, w->params.conversations);
	for (i = 0; i < w->params.conversations && rc == 0; i++)
		rc = generate_conversation(w, &r, now, created ? created[i] : 0, (long)n_admins,
					   (long)n_tags);
	free(created);
	if (rc < 0)
		return -1;
	return wdb_exec(w, "INSERT INTO meta(key, value) VALUES('seed', ?)", "i",
			(long long)w->params.seed) < 0
		       ? -1
		       : 0;
}

static int world_is_empty(struct world *w)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT count(*) FROM teams", "");

	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return -1;
	return sqlite3_column_int64(st, 0) == 0;
}

int world_open(struct world *w, const char *path, const struct world_params *params, time_t now,
	       char *err, size_t errlen)
{
	bool in_memory = !path || !*path;
	int empty, i;

	memset(w, 0, sizeof(*w));
	w->params = *params;
	for (i = 0; i < WORLD_TEAMS; i++)
		w->team_ids[i] = first_team_id + i;
	w->me_admin_id = first_admin_id;
	prng_init(&w->arrival_rng, params->seed ^ 0xa5a5a5a5ULL);
	prng_init(&w->customer_rng, params->seed * 31 + 1);
	if (sqlite3_open_v2(in_memory ? ":memory:" : path, &w->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path,
			 w->db ? sqlite3_errmsg(w->db) : "out of memory");
		world_close(w);
		return -1;
	}
	sqlite3_busy_timeout(w->db, 5000);
	if (sqlite3_exec(w->db,
			 in_memory ? "PRAGMA journal_mode=MEMORY;"
				   : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(w->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up database %s: %s", in_memory ? ":memory:" : path,
			 sqlite3_errmsg(w->db));
		world_close(w);
		return -1;
	}
	/* A database written before conversations had last_assignment_at gains it. */
	if (sqlite3_exec(w->db, "SELECT last_assignment_at FROM conversations LIMIT 0", NULL, NULL,
			 NULL) != SQLITE_OK)
		sqlite3_exec(w->db, "ALTER TABLE conversations ADD COLUMN last_assignment_at INTEGER",
			     NULL, NULL, NULL);
	/* ...one written before reply times had snoozed seconds gains them... */
	if (sqlite3_exec(w->db, "SELECT snoozed FROM reply_times LIMIT 0", NULL, NULL, NULL) !=
	    SQLITE_OK)
		sqlite3_exec(w->db,
			     "ALTER TABLE reply_times ADD COLUMN snoozed INTEGER NOT NULL DEFAULT 0",
			     NULL, NULL, NULL);
	/* ...and one written before parts had tags gains that. */
	if (sqlite3_exec(w->db, "SELECT tags FROM parts LIMIT 0", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(w->db, "ALTER TABLE parts ADD COLUMN tags TEXT", NULL, NULL, NULL);
	empty = world_is_empty(w);
	if (empty == 1 && (tx_begin(w) < 0 || tx_end(w, generate(w, now)) < 0)) {
		snprintf(err, errlen, "cannot generate the world: %s", sqlite3_errmsg(w->db));
		world_close(w);
		return -1;
	}
	if (empty == 0 || empty == 1) {
		if (office_hours_open(w, now) < 0) {
			snprintf(err, errlen, "cannot set up office hours: %s", sqlite3_errmsg(w->db));
			world_close(w);
			return -1;
		}
	}
	if (empty < 0) {
		snprintf(err, errlen, "%s is not a frontline-sim database: %s",
			 in_memory ? ":memory:" : path, sqlite3_errmsg(w->db));
		world_close(w);
		return -1;
	}
	for (i = 0; i < WORLD_TEAMS; i++)
		if (params->arrivals_per_hour > 0)
			w->next_arrival[i] = now + exp_interval(&w->arrival_rng, params->arrivals_per_hour);
	prng_init(&w->teammate_rng, params->seed ^ 0x7ea77ea7ULL);
	if (params->teammate_actions_per_hour > 0)
		w->next_teammate =
		    now + exp_interval(&w->teammate_rng, params->teammate_actions_per_hour);
	{
		sqlite3_stmt *st = wdb_query(w, "SELECT count(*) FROM contacts", "");

		if (st && sqlite3_step(st) == SQLITE_ROW)
			w->contact_serial = sqlite3_column_int64(st, 0);
	}
	return 0;
}

void world_close(struct world *w)
{
	wdb_release(w);
	if (w->db)
		sqlite3_close(w->db);
	w->db = NULL;
}

/* ---- time passing ---- */

static int play_arrivals(struct world *w, time_t now)
{
	int team, n;

	if (w->params.arrivals_per_hour <= 0)
		return 0;
	for (team = 0; team < WORLD_TEAMS; team++) {
		for (n = 0; w->next_arrival[team] <= now; n++) {
			if (n == ADVANCE_BATCH) {
				w->next_arrival[team] = now;
				break;
			}
			if (new_arrival(w, team, w->next_arrival[team]) < 0)
				return -1;
			w->next_arrival[team] += exp_interval(&w->arrival_rng, w->params.arrivals_per_hour);
		}
	}
	return 0;
}

static int play_followups(struct world *w, time_t now)
{
	long long ids[ADVANCE_BATCH], ats[ADVANCE_BATCH];
	sqlite3_stmt *st;
	int n = 0, i;

	st = wdb_query(w, "SELECT at, conversation_id FROM events WHERE at <= ? ORDER BY at LIMIT ?",
		       "ii", (long long)now, (long long)ADVANCE_BATCH);
	if (!st)
		return -1;
	while (n < ADVANCE_BATCH && sqlite3_step(st) == SQLITE_ROW) {
		ats[n] = sqlite3_column_int64(st, 0);
		ids[n] = sqlite3_column_int64(st, 1);
		n++;
	}
	for (i = 0; i < n; i++) {
		char *text = corpus_followup(&w->customer_rng);
		int rc = add_customer_message(w, ids[i], text, false, (time_t)ats[i]);

		free(text);
		if (rc < 0 || wdb_exec(w, "DELETE FROM events WHERE at = ? AND conversation_id = ?",
				       "ii", ats[i], ids[i]) < 0)
			return -1;
	}
	return 0;
}

static int assign(struct world *w, long long id, long long admin_id, bool team, long long assignee,
		  time_t at);

/* A teammate other than the token's owner (and not away) acts on a random open
 * conversation: replies (6 in 10), writes a note (2 in 10) or takes it. */
static int teammate_act(struct world *w, time_t at)
{
	struct prng *r = &w->teammate_rng;
	long long admin, id, n;
	sqlite3_stmt *st;
	double u;
	char *text;
	int rc;

	st = wdb_query(w, "SELECT count(*) FROM admins WHERE bot = 0 AND away = 0 AND id <> ?", "i",
		       w->me_admin_id);
	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return -1;
	n = sqlite3_column_int64(st, 0);
	if (n == 0)
		return 0;
	st = wdb_query(w, "SELECT id FROM admins WHERE bot = 0 AND away = 0 AND id <> ? ORDER BY id"
			  " LIMIT 1 OFFSET ?", "ii", w->me_admin_id, (long long)prng_below(r, (uint64_t)n));
	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return -1;
	admin = sqlite3_column_int64(st, 0);
	st = wdb_query(w, "SELECT count(*) FROM conversations WHERE state = 'open'", "");
	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return -1;
	n = sqlite3_column_int64(st, 0);
	if (n == 0)
		return 0;
	st = wdb_query(w, "SELECT id FROM conversations WHERE state = 'open' ORDER BY id LIMIT 1 OFFSET ?",
		       "i", (long long)prng_below(r, (uint64_t)n));
	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return -1;
	id = sqlite3_column_int64(st, 0);
	u = prng_unit(r);
	if (u >= 0.8)
		return assign(w, id, admin, false, admin, at);
	text = u < 0.6 ? corpus_admin_reply(r) : corpus_admin_note(r);
	rc = add_admin_reply(w, id, admin, u >= 0.6, text, false, at);
	free(text);
	return rc;
}

static int play_teammates(struct world *w, time_t now)
{
	int n;

	if (w->params.teammate_actions_per_hour <= 0)
		return 0;
	for (n = 0; w->next_teammate <= now; n++) {
		if (n == ADVANCE_BATCH) {
			w->next_teammate = now;
			break;
		}
		if (teammate_act(w, w->next_teammate) < 0)
			return -1;
		w->next_teammate += exp_interval(&w->teammate_rng, w->params.teammate_actions_per_hour);
	}
	return 0;
}

/* The snoozes whose time came: each conversation opens with a timer_unsnooze part at
 * the time it woke, by the workspace's bot, as Intercom writes it. */
static int play_wakes(struct world *w, time_t now)
{
	sqlite3_stmt *st;
	long long bot = 0;

	st = wdb_query(w, "SELECT max(id) FROM admins WHERE bot = 1", "");
	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return -1;
	bot = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (wdb_exec(w,
		     "INSERT INTO parts(conversation_id, part_type, created_at, author_type,"
		     " author_id) SELECT id, 'timer_unsnooze', snoozed_until, 'admin', ?2"
		     " FROM conversations WHERE state = 'snoozed' AND snoozed_until <= ?1",
		     "ii", (long long)now, bot) < 0 ||
	    wdb_exec(w,
		     "UPDATE snoozes SET ended = (SELECT snoozed_until FROM conversations c"
		     " WHERE c.id = snoozes.conversation_id) WHERE ended IS NULL AND"
		     " conversation_id IN (SELECT id FROM conversations"
		     " WHERE state = 'snoozed' AND snoozed_until <= ?1)",
		     "i", (long long)now) < 0)
		return -1;
	return wdb_exec(w,
			"UPDATE conversations SET state = 'open', updated_at = ?1,"
			" snoozed_until = NULL WHERE state = 'snoozed' AND snoozed_until <= ?1",
			"i", (long long)now) < 0
		       ? -1
		       : 0;
}

int world_advance(struct world *w, time_t now)
{
	int rc;

	w->clock = now;
	if (tx_begin(w) < 0)
		return -1;
	rc = play_arrivals(w, now);
	if (rc == 0)
		rc = play_followups(w, now);
	if (rc == 0)
		rc = play_teammates(w, now);
	if (rc == 0)
		rc = play_wakes(w, now);
	return tx_end(w, rc);
}

/* ---- lookups ---- */

static int exists(struct world *w, const char *sql, long long id)
{
	sqlite3_stmt *st = wdb_query(w, sql, "i", id);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int world_team_exists(struct world *w, long long id)
{
	return exists(w, "SELECT 1 FROM teams WHERE id = ?", id);
}

int world_admin_exists(struct world *w, long long id)
{
	return exists(w, "SELECT 1 FROM admins WHERE id = ?", id);
}

int world_conversation_exists(struct world *w, long long id)
{
	return exists(w, "SELECT 1 FROM conversations WHERE id = ?", id);
}

int world_contact_exists(struct world *w, long long id)
{
	return exists(w, "SELECT 1 FROM contacts WHERE id = ?", id);
}

int world_team_index(const struct world *w, long long team_id)
{
	int i;

	for (i = 0; i < WORLD_TEAMS; i++)
		if (w->team_ids[i] == team_id)
			return i;
	return -1;
}

/* ---- changes, each in its own transaction ---- */

int world_create_conversation(struct world *w, const struct world_new_conversation *c,
			      long long *id_out)
{
	if (tx_begin(w) < 0)
		return -1;
	return tx_end(w, insert_conversation(w, c, id_out));
}

int world_customer_message(struct world *w, long long id, const char *body, bool is_html,
			   time_t at)
{
	if (tx_begin(w) < 0)
		return -1;
	return tx_end(w, add_customer_message(w, id, body, is_html, at));
}

int world_customer_messages(struct world *w, long long id, const char *body, long count, time_t at)
{
	long i;
	int rc = 0;

	if (tx_begin(w) < 0)
		return -1;
	for (i = 1; i <= count && rc == 0; i++) {
		char *text = xasprintf("%s #%ld", body, i);

		rc = add_customer_message(w, id, text, false, at);
		free(text);
	}
	return tx_end(w, rc);
}

int world_admin_reply(struct world *w, long long id, long long admin_id, bool note, const char *body,
		      bool is_html, time_t at)
{
	int rc;

	if (tx_begin(w) < 0)
		return -1;
	rc = add_admin_reply(w, id, admin_id, note, body, is_html, at);
	if (rc == 0 && !note)
		rc = maybe_schedule_followup(w, id, at);
	return tx_end(w, rc);
}

/* Closes conversation id at at, by admin_id (with a message when body is not NULL). */
static int close_conversation(struct world *w, long long id, long long admin_id, const char *body,
			      time_t at)
{
	int rc = insert_part(w, id, "close", body, body != NULL, at, "admin", admin_id);

	if (rc == 0)
		rc = wdb_exec(w,
			      "UPDATE conversations SET state = 'closed', waiting_since = NULL,"
			      " snoozed_until = NULL, updated_at = MAX(updated_at, ?1),"
			      " first_close_at = COALESCE(first_close_at, ?1), last_close_at = ?1,"
			      " last_closed_by_id = ?2 WHERE id = ?3",
			      "iii", (long long)at, admin_id, id) < 0
			     ? -1
			     : 0;
	if (rc == 0)
		rc = wdb_exec(w, "DELETE FROM events WHERE conversation_id = ?", "i", id) < 0 ? -1 : 0;
	if (rc == 0)
		rc = snooze_end(w, id, at);
	return rc;
}

int world_close_conversation(struct world *w, long long id, long long admin_id, const char *body,
			     time_t at)
{
	if (tx_begin(w) < 0)
		return -1;
	return tx_end(w, close_conversation(w, id, admin_id, body, at));
}

/* An admin's bodiless part (snoozed, open) and the state change it makes, with the
 * snooze's bookkeeping (snooze_sql, binding ?1 = at and ?2 = id), in one transaction.
 * `update` binds ?1 = the time the part was written (at), ?2 = id, and with types "iii"
 * ?3 = arg. */
static int admin_state_change(struct world *w, long long id, long long admin_id, const char *part,
			      const char *update, const char *types, time_t at, long long arg,
			      const char *snooze_sql)
{
	int rc;

	if (tx_begin(w) < 0)
		return -1;
	rc = insert_part(w, id, part, NULL, false, at, "admin", admin_id);
	if (rc == 0)
		rc = wdb_exec(w, update, types, (long long)at, id, arg) < 0 ? -1 : 0;
	if (rc == 0)
		rc = wdb_exec(w, snooze_sql, "ii", (long long)at, id) < 0 ? -1 : 0;
	return tx_end(w, rc);
}

int world_snooze(struct world *w, long long id, long long admin_id, time_t until, time_t at)
{
	/* a snooze begins unless one lasts (snoozed again: a new time to wake) */
	return admin_state_change(w, id, admin_id, "snoozed",
				  "UPDATE conversations SET state = 'snoozed', snoozed_until = ?3,"
				  " updated_at = MAX(updated_at, ?1) WHERE id = ?2",
				  "iii", at, (long long)until,
				  "INSERT INTO snoozes(conversation_id, started) SELECT ?2, ?1"
				  " WHERE NOT EXISTS (SELECT 1 FROM snoozes"
				  " WHERE conversation_id = ?2 AND ended IS NULL)");
}

int world_open_conversation(struct world *w, long long id, long long admin_id, time_t at)
{
	return admin_state_change(w, id, admin_id, "open",
				  "UPDATE conversations SET count_reopens = count_reopens +"
				  " (state = 'closed'), state = 'open', snoozed_until = NULL,"
				  " updated_at = MAX(updated_at, ?1) WHERE id = ?2",
				  "ii", at, 0,
				  "UPDATE snoozes SET ended = ?1"
				  " WHERE conversation_id = ?2 AND ended IS NULL");
}

static int assign(struct world *w, long long id, long long admin_id, bool team, long long assignee,
		  time_t at)
{
	int rc = insert_part(w, id, "assignment", NULL, false, at, "admin", admin_id);
	if (rc == 0)
		rc = wdb_exec(w, "UPDATE parts SET assigned_type = ?, assigned_id = ? WHERE id = ?", "tii",
			      team ? "team" : "admin", assignee, sqlite3_last_insert_rowid(w->db)) < 0
			     ? -1
			     : 0;
	if (rc == 0)
		rc = wdb_exec(w,
			      /* Moved to another team, the workflow removes its SLA. */
			      team ? "UPDATE conversations SET sla_cancelled = sla_cancelled OR"
				     " (sla_name IS NOT NULL AND team_assignee_id <> ?1),"
				     " team_assignee_id = ?1,"
				     " count_assignments = count_assignments + 1, last_assignment_at = ?2,"
				     " updated_at = MAX(updated_at, ?2) WHERE id = ?3"
				   : "UPDATE conversations SET admin_assignee_id = ?1,"
				     " count_assignments = count_assignments + 1, last_assignment_at = ?2,"
				     " updated_at = MAX(updated_at, ?2) WHERE id = ?3",
			      "iii", assignee, (long long)at, id) < 0
			     ? -1
			     : 0;
	return rc;
}

int world_assign(struct world *w, long long id, long long admin_id, bool team, long long assignee,
		 time_t at)
{
	if (tx_begin(w) < 0)
		return -1;
	return tx_end(w, assign(w, id, admin_id, team, assignee, at));
}

int world_delete_conversation(struct world *w, long long id)
{
	int rc;

	if (tx_begin(w) < 0)
		return -1;
	rc = wdb_exec(w, "DELETE FROM parts WHERE conversation_id = ?", "i", id) < 0 ||
			     wdb_exec(w, "DELETE FROM conversation_tags WHERE conversation_id = ?", "i",
				      id) < 0 ||
			     wdb_exec(w, "DELETE FROM events WHERE conversation_id = ?", "i", id) < 0 ||
			     wdb_exec(w, "DELETE FROM conversations WHERE id = ?", "i", id) < 0
		 ? -1
		 : 0;
	return tx_end(w, rc);
}

int world_set_priority(struct world *w, long long id, const char *priority, time_t at)
{
	return wdb_exec(w,
			"UPDATE conversations SET priority = ?1, updated_at = MAX(updated_at, ?2)"
			" WHERE id = ?3",
			"tii", priority, (long long)at, id) < 0
		       ? -1
		       : 0;
}

int world_tag_conversation(struct world *w, long long id, long long tag_id, long long admin_id,
			   bool add, time_t at, bool *found)
{
	int rc = exists(w, "SELECT 1 FROM tags WHERE id = ?", tag_id);

	*found = rc == 1;
	if (rc != 1)
		return rc < 0 ? -1 : 0;
	if (tx_begin(w) < 0)
		return -1;
	if (add)
		rc = wdb_exec(w, "INSERT OR IGNORE INTO conversation_tags(conversation_id, tag_id,"
				 " applied_at, applied_by) VALUES(?, ?, ?, ?)",
			      "iiii", id, tag_id, (long long)at, admin_id);
	else
		rc = wdb_exec(w, "DELETE FROM conversation_tags WHERE conversation_id = ? AND tag_id = ?",
			      "ii", id, tag_id);
	if (rc >= 0)
		rc = wdb_exec(w, "UPDATE conversations SET updated_at = MAX(updated_at, ?) WHERE id = ?",
			      "ii", (long long)at, id);
	/* Intercom records the change as a part carrying the conversation's tags after it. */
	if (rc >= 0)
		rc = insert_part(w, id, "conversation_tags_updated", NULL, false, at, "admin",
				 admin_id);
	if (rc >= 0)
		rc = wdb_exec(w,
			      "UPDATE parts SET tags = (SELECT json_group_array(json_object('type',"
			      " 'tag', 'id', CAST(t.id AS TEXT), 'name', t.name)) FROM"
			      " conversation_tags ct JOIN tags t ON t.id = ct.tag_id WHERE"
			      " ct.conversation_id = ?1) WHERE id = ?2",
			      "ii", id, (long long)sqlite3_last_insert_rowid(w->db));
	return tx_end(w, rc < 0 ? -1 : 0);
}

int world_tag_upsert(struct world *w, const char *name, long long rename_id, long long *id_out,
		     time_t at)
{
	sqlite3_stmt *st;
	int rc;

	if (tx_begin(w) < 0)
		return -1;
	if (rename_id > 0) {
		rc = wdb_exec(w, "UPDATE tags SET name = ? WHERE id = ?", "ti", name, rename_id);
		*id_out = rc > 0 ? rename_id : 0;
		return tx_end(w, rc < 0 ? -1 : 0);
	}
	rc = wdb_exec(w, "INSERT OR IGNORE INTO tags(name, created_at) VALUES(?, ?)", "ti", name,
		      (long long)at);
	st = rc < 0 ? NULL : wdb_query(w, "SELECT id FROM tags WHERE name = ?", "t", name);
	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return tx_end(w, -1);
	*id_out = sqlite3_column_int64(st, 0);
	return tx_end(w, 0);
}
