/* storecache.c: the queues' cache in the outbox's database: one row a conversation, one a
 * team, teammate or tag of the directory, and one of state (signature, watermark, the
 * agent) for each scope. */
#include "build-config.h"

#include "storecache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "stmtcache.h"
#include "util.h"

struct store_cache {
	sqlite3 *db;
	struct stmt_cache *stmts;
	char *path;
	char *scope;
	int64_t number;	    /* the scope's, in store_cache_scopes */
	int64_t generation; /* of the state this connection loaded or wrote last, 0: none */
	int code;	    /* the first failure of the write in progress */
};

static const char schema_version[] =
    "CREATE TABLE IF NOT EXISTS store_cache_schema(version INTEGER NOT NULL);";

/* A scope's rows carry its number (store_cache_scopes), not its text: the key of 100,000
 * rows stays short. */
static const char schema[] =
    "CREATE TABLE IF NOT EXISTS store_cache_scopes("
    " number INTEGER PRIMARY KEY, scope TEXT UNIQUE NOT NULL);"
    "CREATE TABLE IF NOT EXISTS store_cache_state("
    " scope INTEGER PRIMARY KEY NOT NULL, signature TEXT NOT NULL, generation INTEGER NOT NULL,"
    " saved_at INTEGER NOT NULL, newest INTEGER NOT NULL, next_after INTEGER NOT NULL,"
    " last_full INTEGER NOT NULL, clock_offset INTEGER NOT NULL, teams TEXT,"
    " assignee INTEGER NOT NULL, me INTEGER NOT NULL, me_name TEXT, me_email TEXT,"
    " me_away INTEGER NOT NULL, me_bot INTEGER NOT NULL, me_source INTEGER NOT NULL,"
    " me_refusal TEXT) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS store_cache_directory("
    " scope INTEGER NOT NULL, kind INTEGER NOT NULL, id INTEGER NOT NULL, name TEXT,"
    " email TEXT, away INTEGER NOT NULL, bot INTEGER NOT NULL, teams TEXT,"
    " PRIMARY KEY(scope, kind, id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS store_cache_conversations("
    " scope INTEGER NOT NULL, id INTEGER NOT NULL, state INTEGER NOT NULL,"
    " read INTEGER NOT NULL, priority INTEGER NOT NULL, created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL, waiting_since INTEGER NOT NULL,"
    " snoozed_until INTEGER NOT NULL, first_contact_reply_at INTEGER NOT NULL,"
    " first_admin_reply_at INTEGER NOT NULL, last_admin_reply_at INTEGER NOT NULL,"
    " last_contact_reply_at INTEGER NOT NULL, admin_assignee INTEGER NOT NULL,"
    " team_assignee INTEGER NOT NULL, title TEXT, customer TEXT, body TEXT,"
    " body_is_html INTEGER NOT NULL, tags TEXT, backend_sla INTEGER NOT NULL,"
    " sla_name TEXT, unknown INTEGER NOT NULL,"
    " PRIMARY KEY(scope, id)) WITHOUT ROWID;";

/* The tables made anew, empty, whoever's scope they held. */
static int schema_rebuild(sqlite3 *db)
{
	char *sql = xasprintf("BEGIN IMMEDIATE;"
			      "DROP TABLE IF EXISTS store_cache_state;"
			      "DROP TABLE IF EXISTS store_cache_directory;"
			      "DROP TABLE IF EXISTS store_cache_conversations;"
			      "DROP TABLE IF EXISTS store_cache_scopes;"
			      "DELETE FROM store_cache_schema;"
			      "INSERT INTO store_cache_schema(version) VALUES(%d);%sCOMMIT;",
			      STORE_CACHE_SCHEMA, schema);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	free(sql);
	if (rc != SQLITE_OK)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* Tables of another layout go: their rows cannot be read. */
static int schema_check(sqlite3 *db)
{
	sqlite3_stmt *st;
	int version = -1, rc;

	rc = sqlite3_prepare_v2(db, "SELECT version FROM store_cache_schema", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc;
	if (version == STORE_CACHE_SCHEMA)
		return sqlite3_exec(db, schema, NULL, NULL, NULL);
	return schema_rebuild(db);
}

/* sc->number for sc->scope, made when new. */
static int scope_number(struct store_cache *sc)
{
	sqlite3_stmt *st;
	int rc = sqlite3_exec(sc->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
		    sc->db, "INSERT OR IGNORE INTO store_cache_scopes(scope) VALUES(?1)", -1, &st,
		    NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, sc->scope, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(sc->db,
					"SELECT number FROM store_cache_scopes WHERE scope = ?1",
					-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, sc->scope, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			sc->number = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		rc = rc == SQLITE_ROW ? SQLITE_OK : rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc;
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(sc->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		sqlite3_exec(sc->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

void store_cache_close(struct store_cache *sc)
{
	if (!sc)
		return;
	stmt_cache_free(sc->stmts);
	if (sc->db)
		sqlite3_close(sc->db);
	free(sc->path);
	free(sc->scope);
	free(sc);
}

struct store_cache *store_cache_open(const char *state_dir, const char *scope, char *err,
				     size_t errlen)
{
	struct store_cache *sc = xcalloc(1, sizeof(*sc));
	int rc;

	sc->scope = xstrdup(scope);
	rc = stmt_open_cache_db(state_dir, schema_version, "the queues' cache",
				"open the queues' cache in", &sc->path, &sc->db, err, errlen);
	if (rc == SQLITE_OK)
		rc = schema_check(sc->db);
	if (rc == SQLITE_OK)
		rc = scope_number(sc);
	if (rc != SQLITE_OK && sc->db)
		stmt_error_text(sc->db, rc, "open the queues' cache in", sc->path, err, errlen);
	if (rc != SQLITE_OK) {
		store_cache_close(sc);
		return NULL;
	}
	sc->stmts = stmt_cache_new(sc->db);
	return sc;
}

void store_cache_state_release(struct store_cache_state *st)
{
	free(st->teams);
	memset(st, 0, sizeof(*st));
}

/* The statement for sql with the scope bound as ?1; NULL records the failure. */
static sqlite3_stmt *prepare(struct store_cache *sc, const char *sql)
{
	sqlite3_stmt *st = stmt_cache_get(sc->stmts, sql);

	if (!st) {
		if (sc->code == SQLITE_OK)
			sc->code = sqlite3_errcode(sc->db);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, sc->number);
	return st;
}

/* Runs a statement that returns no rows, recording a failure. */
static void step_done(struct store_cache *sc, sqlite3_stmt *st)
{
	int code = st ? sqlite3_step(st) : SQLITE_DONE;

	if (st)
		sqlite3_reset(st);
	if (code != SQLITE_DONE && sc->code == SQLITE_OK)
		sc->code = code;
}

/* ---- loading ---- */

static int load_state(struct store_cache *sc, const char *signature,
		      struct store_cache_state *state, struct directory *dir)
{
	sqlite3_stmt *st =
	    prepare(sc, "SELECT signature, generation, saved_at, newest, next_after, last_full,"
			" clock_offset, teams, assignee, me, me_name, me_email, me_away, me_bot,"
			" me_source, me_refusal FROM store_cache_state WHERE scope = ?1");
	int step, found = 0;

	if (!st)
		return -1;
	if ((step = sqlite3_step(st)) == SQLITE_ROW &&
	    !strcmp((const char *)sqlite3_column_text(st, 0), signature)) {
		found = 1;
		sc->generation = sqlite3_column_int64(st, 1);
		state->saved_at = sqlite3_column_int64(st, 2);
		state->newest = sqlite3_column_int64(st, 3);
		state->next_after = sqlite3_column_int64(st, 4);
		state->last_full = sqlite3_column_int64(st, 5);
		state->clock_offset = sqlite3_column_int64(st, 6);
		stmt_ids_parse((const char *)sqlite3_column_text(st, 7), &state->teams,
			       &state->n_teams);
		state->assignee = sqlite3_column_int64(st, 8);
		dir->me = sqlite3_column_int64(st, 9);
		dir->me_name = stmt_column_dup(st, 10);
		dir->me_email = stmt_column_dup(st, 11);
		dir->me_away = sqlite3_column_int(st, 12) != 0;
		dir->me_bot = sqlite3_column_int(st, 13) != 0;
		dir->me_source = (enum directory_agent_source)sqlite3_column_int(st, 14);
		dir->me_refusal = stmt_column_dup(st, 15);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		sc->code = step;
		return -1;
	}
	return found;
}

static int load_directory(struct store_cache *sc, struct directory *dir)
{
	sqlite3_stmt *st = prepare(sc, "SELECT kind, id, name, email, away, bot, teams"
				       " FROM store_cache_directory WHERE scope = ?1");
	size_t cap[3] = {0, 0, 0};
	int step;

	if (!st)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		struct directory_entry **list = kind == 0   ? &dir->teams
						: kind == 1 ? &dir->admins
							    : &dir->tags;
		size_t *n = kind == 0 ? &dir->n_teams : kind == 1 ? &dir->n_admins : &dir->n_tags;
		struct directory_entry *d;

		xgrow(list, &cap[kind == 0 ? 0 : kind == 1 ? 1 : 2], *n + 1, sizeof(**list));
		d = &(*list)[(*n)++];
		memset(d, 0, sizeof(*d));
		d->id = sqlite3_column_int64(st, 1);
		d->name = stmt_column_dup(st, 2);
		d->email = stmt_column_dup(st, 3);
		d->away = sqlite3_column_int(st, 4) != 0;
		d->bot = sqlite3_column_int(st, 5) != 0;
		stmt_ids_parse((const char *)sqlite3_column_text(st, 6), &d->team_ids,
			       &d->n_team_ids);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		sc->code = step;
		return -1;
	}
	return 0;
}

static void row_conversation(sqlite3_stmt *st, struct conversation *c)
{
	int state = sqlite3_column_int(st, 1);

	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->state =
	    state == CONV_SNOOZED || state == CONV_CLOSED ? (enum conv_state)state : CONV_OPEN;
	c->read = sqlite3_column_int(st, 2) != 0;
	c->priority = (enum conv_priority)sqlite3_column_int(st, 3);
	c->created_at = sqlite3_column_int64(st, 4);
	c->updated_at = sqlite3_column_int64(st, 5);
	c->waiting_since = sqlite3_column_int64(st, 6);
	c->snoozed_until = sqlite3_column_int64(st, 7);
	c->first_contact_reply_at = sqlite3_column_int64(st, 8);
	c->first_admin_reply_at = sqlite3_column_int64(st, 9);
	c->last_admin_reply_at = sqlite3_column_int64(st, 10);
	c->last_contact_reply_at = sqlite3_column_int64(st, 11);
	c->admin_assignee_id = sqlite3_column_int64(st, 12);
	c->team_assignee_id = sqlite3_column_int64(st, 13);
	c->title = stmt_column_dup(st, 14);
	c->customer = stmt_column_dup(st, 15);
	c->body = stmt_column_dup(st, 16);
	c->body_is_html = sqlite3_column_int(st, 17) != 0;
	stmt_ids_parse((const char *)sqlite3_column_text(st, 18), &c->tag_ids, &c->n_tags);
	c->backend_sla = (enum backend_sla)sqlite3_column_int(st, 19);
	c->sla_name = stmt_column_dup(st, 20);
	c->unknown = (unsigned)sqlite3_column_int64(st, 21);
}

static int load_conversations(struct store_cache *sc, const struct store_cache_reader *reader)
{
	sqlite3_stmt *st = prepare(
	    sc, "SELECT id, state, read, priority, created_at, updated_at, waiting_since,"
		" snoozed_until, first_contact_reply_at, first_admin_reply_at,"
		" last_admin_reply_at, last_contact_reply_at, admin_assignee, team_assignee,"
		" title, customer, body, body_is_html, tags, backend_sla, sla_name, unknown"
		" FROM store_cache_conversations WHERE scope = ?1");
	struct conversation c;
	int step;

	if (!st)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		row_conversation(st, &c);
		reader->conversation(reader->arg, &c);
		conversation_release(&c);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		sc->code = step;
		return -1;
	}
	return 0;
}

int store_cache_load(struct store_cache *sc, const char *signature, struct store_cache_state *state,
		     struct directory *dir, const struct store_cache_reader *reader, char *err,
		     size_t errlen)
{
	int found;

	memset(state, 0, sizeof(*state));
	memset(dir, 0, sizeof(*dir));
	sc->code = SQLITE_OK;
	/* One read transaction: a writer elsewhere cannot mix two states. */
	if ((sc->code = sqlite3_exec(sc->db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK) {
		stmt_error_text(sc->db, sc->code, "read the queues' cache in", sc->path, err,
				errlen);
		return -1;
	}
	found = load_state(sc, signature, state, dir);
	if (found == 1 && load_directory(sc, dir) < 0)
		found = -1;
	if (found == 1 && !reader->use(reader->arg, state, dir))
		found = 0;
	if (found == 1 && load_conversations(sc, reader) < 0)
		found = -1;
	sqlite3_exec(sc->db, "COMMIT", NULL, NULL, NULL);
	if (found < 0) {
		stmt_error_text(sc->db, sc->code, "read the queues' cache in", sc->path, err,
				errlen);
		/* Unreadable records are of no use: the next write starts them again. */
		if (schema_rebuild(sc->db) == SQLITE_OK)
			scope_number(sc);
		stmt_cache_free(sc->stmts);
		sc->stmts = stmt_cache_new(sc->db);
	}
	if (found != 1) {
		sc->generation = 0;
		store_cache_state_release(state);
		directory_release(dir);
	}
	return found;
}

/* ---- writing ---- */

int store_cache_begin(struct store_cache *sc, bool *rewrite, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int64_t generation = 0;
	int step;

	sc->code = sqlite3_exec(sc->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (sc->code != SQLITE_OK) {
		stmt_error_text(sc->db, sc->code, "write the queues' cache in", sc->path, err,
				errlen);
		return -1;
	}
	st = prepare(sc, "SELECT generation FROM store_cache_state WHERE scope = ?1");
	if (st) {
		if ((step = sqlite3_step(st)) == SQLITE_ROW)
			generation = sqlite3_column_int64(st, 0);
		else if (step != SQLITE_DONE)
			sc->code = step;
		sqlite3_reset(st);
	}
	if (!sc->generation || generation != sc->generation)
		*rewrite = true;
	if (*rewrite) {
		step_done(sc,
			  prepare(sc, "DELETE FROM store_cache_conversations WHERE scope = ?1"));
		step_done(sc, prepare(sc, "DELETE FROM store_cache_directory WHERE scope = ?1"));
	}
	sc->generation = generation;
	if (sc->code != SQLITE_OK) {
		stmt_error_text(sc->db, sc->code, "write the queues' cache in", sc->path, err,
				errlen);
		store_cache_abort(sc);
		return -1;
	}
	return 0;
}

void store_cache_put(struct store_cache *sc, const struct conversation *c)
{
	sqlite3_stmt *st = prepare(
	    sc, "INSERT OR REPLACE INTO store_cache_conversations(scope, id, state, read,"
		" priority, created_at, updated_at, waiting_since, snoozed_until,"
		" first_contact_reply_at, first_admin_reply_at, last_admin_reply_at,"
		" last_contact_reply_at, admin_assignee, team_assignee, title, customer, body,"
		" body_is_html, tags, backend_sla, sla_name, unknown) VALUES(?1, ?2, ?3, ?4, ?5,"
		" ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
		" ?22, ?23)");
	char *tags;

	if (!st || sc->code != SQLITE_OK)
		return;
	tags = stmt_ids_text(c->tag_ids, c->n_tags);
	sqlite3_bind_int64(st, 2, c->id);
	sqlite3_bind_int(st, 3, (int)c->state);
	sqlite3_bind_int(st, 4, c->read);
	sqlite3_bind_int(st, 5, (int)c->priority);
	sqlite3_bind_int64(st, 6, c->created_at);
	sqlite3_bind_int64(st, 7, c->updated_at);
	sqlite3_bind_int64(st, 8, c->waiting_since);
	sqlite3_bind_int64(st, 9, c->snoozed_until);
	sqlite3_bind_int64(st, 10, c->first_contact_reply_at);
	sqlite3_bind_int64(st, 11, c->first_admin_reply_at);
	sqlite3_bind_int64(st, 12, c->last_admin_reply_at);
	sqlite3_bind_int64(st, 13, c->last_contact_reply_at);
	sqlite3_bind_int64(st, 14, c->admin_assignee_id);
	sqlite3_bind_int64(st, 15, c->team_assignee_id);
	sqlite3_bind_text(st, 16, c->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 17, c->customer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 18, c->body, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 19, c->body_is_html);
	sqlite3_bind_text(st, 20, tags, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 21, (int)c->backend_sla);
	sqlite3_bind_text(st, 22, c->sla_name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 23, (sqlite3_int64)c->unknown);
	step_done(sc, st);
	free(tags);
}

void store_cache_remove(struct store_cache *sc, int64_t id)
{
	sqlite3_stmt *st =
	    prepare(sc, "DELETE FROM store_cache_conversations WHERE scope = ?1 AND id = ?2");

	if (!st || sc->code != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 2, id);
	step_done(sc, st);
}

void store_cache_prune(struct store_cache *sc, bool (*held)(void *arg, int64_t id), void *arg)
{
	sqlite3_stmt *st = prepare(sc, "SELECT id FROM store_cache_conversations WHERE scope = ?1");
	int64_t *gone = NULL;
	size_t n = 0, cap = 0, i;
	int step;

	if (!st || sc->code != SQLITE_OK)
		return;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		if (held(arg, id))
			continue;
		xgrow(&gone, &cap, n + 1, sizeof(*gone));
		gone[n++] = id;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		sc->code = step;
	for (i = 0; i < n; i++)
		store_cache_remove(sc, gone[i]);
	free(gone);
}

static void put_directory_list(struct store_cache *sc, int kind, const struct directory_entry *list,
			       size_t n)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < n && sc->code == SQLITE_OK; i++) {
		char *teams = stmt_ids_text(list[i].team_ids, list[i].n_team_ids);

		st =
		    prepare(sc, "INSERT OR REPLACE INTO store_cache_directory(scope, kind, id,"
				" name, email, away, bot, teams) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
				" ?8)");
		if (st) {
			sqlite3_bind_int(st, 2, kind);
			sqlite3_bind_int64(st, 3, list[i].id);
			sqlite3_bind_text(st, 4, list[i].name, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 5, list[i].email, -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 6, list[i].away);
			sqlite3_bind_int(st, 7, list[i].bot);
			sqlite3_bind_text(st, 8, teams, -1, SQLITE_STATIC);
			step_done(sc, st);
		}
		free(teams);
	}
}

static void put_directory(struct store_cache *sc, const struct directory *dir)
{
	step_done(sc, prepare(sc, "DELETE FROM store_cache_directory WHERE scope = ?1"));
	put_directory_list(sc, 0, dir->teams, dir->n_teams);
	put_directory_list(sc, 1, dir->admins, dir->n_admins);
	put_directory_list(sc, 2, dir->tags, dir->n_tags);
}

static void put_state(struct store_cache *sc, const char *signature,
		      const struct store_cache_state *state, const struct directory *dir)
{
	char *teams = stmt_ids_text(state->teams, state->n_teams);
	sqlite3_stmt *st;

	if (dir) {
		st = prepare(sc, "DELETE FROM store_cache_state WHERE scope = ?1");
		step_done(sc, st);
		st = prepare(sc, "INSERT INTO store_cache_state(scope, signature, generation,"
				 " saved_at, newest, next_after, last_full, clock_offset, teams,"
				 " assignee, me, me_name, me_email, me_away, me_bot, me_source,"
				 " me_refusal) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
				 " ?12, ?13, ?14, ?15, ?16, ?17)");
	} else {
		st = prepare(sc, "UPDATE store_cache_state SET signature = ?2, generation = ?3,"
				 " saved_at = ?4, newest = ?5, next_after = ?6, last_full = ?7,"
				 " clock_offset = ?8, teams = ?9, assignee = ?10 WHERE scope = ?1");
	}
	if (st && sc->code == SQLITE_OK) {
		sqlite3_bind_text(st, 2, signature, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, sc->generation + 1);
		sqlite3_bind_int64(st, 4, state->saved_at);
		sqlite3_bind_int64(st, 5, state->newest);
		sqlite3_bind_int64(st, 6, state->next_after);
		sqlite3_bind_int64(st, 7, state->last_full);
		sqlite3_bind_int64(st, 8, state->clock_offset);
		sqlite3_bind_text(st, 9, teams, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 10, state->assignee);
		if (dir) {
			sqlite3_bind_int64(st, 11, dir->me);
			sqlite3_bind_text(st, 12, dir->me_name, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 13, dir->me_email, -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 14, dir->me_away);
			sqlite3_bind_int(st, 15, dir->me_bot);
			sqlite3_bind_int(st, 16, (int)dir->me_source);
			sqlite3_bind_text(st, 17, dir->me_refusal, -1, SQLITE_STATIC);
		}
		step_done(sc, st);
		if (!dir && sqlite3_changes(sc->db) != 1 && sc->code == SQLITE_OK)
			sc->code = SQLITE_NOTFOUND; /* a write without its directory */
	}
	free(teams);
}

int store_cache_commit(struct store_cache *sc, const char *signature,
		       const struct store_cache_state *state, const struct directory *dir,
		       char *err, size_t errlen)
{
	if (dir)
		put_directory(sc, dir);
	put_state(sc, signature, state, dir);
	if (sc->code == SQLITE_OK)
		sc->code = sqlite3_exec(sc->db, "COMMIT", NULL, NULL, NULL);
	if (sc->code != SQLITE_OK) {
		stmt_error_text(sc->db, sc->code, "write the queues' cache in", sc->path, err,
				errlen);
		store_cache_abort(sc);
		return -1;
	}
	sc->generation++;
	return 0;
}

void store_cache_abort(struct store_cache *sc)
{
	sqlite3_exec(sc->db, "ROLLBACK", NULL, NULL, NULL);
	/* What this connection wrote is gone: the next write rewrites everything. */
	sc->generation = 0;
}
