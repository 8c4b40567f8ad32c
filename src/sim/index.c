/* index.c: the search index, as late as Intercom's. With a lag of L seconds, a change to a
 * conversation becomes visible to POST /conversations/search L seconds after it was made:
 * until then the search finds and shows the conversation as it was at its last change
 * that is visible (with that change's updated_at). GET /conversations/{id} reads the live
 * tables and is never late.
 *
 * Triggers note which conversations each request changed; after the request, each one's
 * state (its searchable columns, its tags and its search answer) is queued with the time
 * it becomes visible; a search first moves what is due into the index, then runs over
 * the index instead of the live tables. Everything lives in TEMP tables: a database file
 * keeps the world, not the index, which is built again when the lag is switched on. */
#include "build-config.h"

#include "index.h"

#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "util.h"
#include "wdb.h"

static const char index_schema[] =
    "CREATE TEMP TABLE IF NOT EXISTS index_dirty(id INTEGER PRIMARY KEY);"
    "CREATE TEMP TABLE IF NOT EXISTS search_index(id INTEGER PRIMARY KEY, created_at INTEGER,"
    " updated_at INTEGER, waiting_since INTEGER, snoozed_until INTEGER, state TEXT,"
    " read INTEGER, priority TEXT, admin_assignee_id INTEGER, team_assignee_id INTEGER,"
    " body TEXT, last_assignment_at INTEGER, doc TEXT NOT NULL, contact_id INTEGER);"
    "CREATE INDEX IF NOT EXISTS temp.search_index_updated ON search_index(updated_at);"
    "CREATE TEMP TABLE IF NOT EXISTS search_index_tags(conversation_id INTEGER NOT NULL,"
    " tag_id INTEGER NOT NULL, PRIMARY KEY(conversation_id, tag_id)) WITHOUT ROWID;"
    "CREATE TEMP TABLE IF NOT EXISTS index_pending(seq INTEGER PRIMARY KEY, due INTEGER NOT NULL,"
    " id INTEGER NOT NULL, created_at INTEGER, updated_at INTEGER, waiting_since INTEGER,"
    " snoozed_until INTEGER, state TEXT, read INTEGER, priority TEXT,"
    " admin_assignee_id INTEGER, team_assignee_id INTEGER, body TEXT,"
    " last_assignment_at INTEGER, tag_ids TEXT NOT NULL, doc TEXT NOT NULL,"
    " contact_id INTEGER);"
    "CREATE INDEX IF NOT EXISTS temp.index_pending_due ON index_pending(due);"
    "CREATE TEMP TRIGGER IF NOT EXISTS index_conversation_new AFTER INSERT ON main.conversations"
    " BEGIN INSERT OR IGNORE INTO index_dirty VALUES(NEW.id); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS index_conversation_changed AFTER UPDATE ON"
    " main.conversations BEGIN INSERT OR IGNORE INTO index_dirty VALUES(NEW.id); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS index_tag_added AFTER INSERT ON main.conversation_tags"
    " BEGIN INSERT OR IGNORE INTO index_dirty VALUES(NEW.conversation_id); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS index_tag_removed AFTER DELETE ON main.conversation_tags"
    " BEGIN INSERT OR IGNORE INTO index_dirty VALUES(OLD.conversation_id); END;";

const struct search_source index_source = {"search_index", "search_index_tags"};

int index_open(struct world *w, char *err, size_t errlen)
{
	if (sqlite3_exec(w->db, index_schema, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up the search index: %s", sqlite3_errmsg(w->db));
		return -1;
	}
	return 0;
}

/* Queues the state of conversation id as it is now, visible from due on. */
static int queue_state(struct world *w, long long id, time_t due)
{
	json_t *conv = render_conversation(w, id, false, false, NULL);
	char *doc;
	int rc;

	if (!conv)
		return -1;
	doc = json_dumps(conv, JSON_COMPACT);
	json_decref(conv);
	if (!doc)
		die("out of memory");
	rc = wdb_exec(
	    w,
	    "INSERT INTO index_pending(due, id, created_at, updated_at, waiting_since,"
	    " snoozed_until, state, read, priority, admin_assignee_id, team_assignee_id,"
	    " body, last_assignment_at, tag_ids, doc, contact_id)"
	    " SELECT ?1, c.id, c.created_at, c.updated_at, c.waiting_since, c.snoozed_until,"
	    " c.state, c.read, c.priority, c.admin_assignee_id, c.team_assignee_id, c.body,"
	    " c.last_assignment_at, (SELECT json_group_array(t.tag_id) FROM main.conversation_tags "
	    "t"
	    "  WHERE t.conversation_id = c.id), ?2, c.contact_id"
	    " FROM main.conversations c WHERE c.id = ?3",
	    "iti", (long long)due, doc, id);
	free(doc);
	return rc < 0 ? -1 : 0;
}

struct capture {
	time_t due;
};

static int capture_dirty(struct world *w, void *arg)
{
	const struct capture *cap = arg;
	long long *ids = NULL;
	size_t n = 0, cap_ids = 0, i;
	sqlite3_stmt *st = wdb_query(w, "SELECT id FROM index_dirty", "");

	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		xgrow(&ids, &cap_ids, n + 1, sizeof(*ids));
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	for (i = 0; i < n; i++) {
		if (queue_state(w, ids[i], cap->due) < 0) {
			free(ids);
			return -1;
		}
	}
	free(ids);
	return wdb_exec(w, "DELETE FROM index_dirty", "") < 0 ? -1 : 0;
}

int index_capture(struct world *w, long lag, time_t now)
{
	struct capture cap = {.due = now + lag};

	if (lag <= 0)
		return wdb_exec(w, "DELETE FROM index_dirty", "") < 0 ? -1 : 0;
	return world_transaction(w, capture_dirty, &cap);
}

static int catch_up(struct world *w, void *arg)
{
	long long now = *(const time_t *)arg;

	if (wdb_exec(
		w,
		"INSERT OR REPLACE INTO search_index(id, created_at, updated_at, waiting_since,"
		" snoozed_until, state, read, priority, admin_assignee_id, team_assignee_id, body,"
		" last_assignment_at, doc, contact_id) SELECT id, created_at, updated_at,"
		" waiting_since, snoozed_until, state, read, priority, admin_assignee_id,"
		" team_assignee_id, body, last_assignment_at, doc, contact_id FROM index_pending"
		" WHERE due <= ?1 ORDER BY seq",
		"i", now) < 0 ||
	    wdb_exec(w,
		     "DELETE FROM search_index_tags WHERE conversation_id IN"
		     " (SELECT id FROM index_pending WHERE due <= ?1)",
		     "i", now) < 0 ||
	    wdb_exec(w,
		     "INSERT OR IGNORE INTO search_index_tags(conversation_id, tag_id)"
		     " SELECT p.id, j.value FROM index_pending p, json_each(p.tag_ids) j"
		     " WHERE p.due <= ?1 AND p.seq = (SELECT max(q.seq) FROM index_pending q"
		     "  WHERE q.id = p.id AND q.due <= ?1)",
		     "i", now) < 0)
		return -1;
	return wdb_exec(w, "DELETE FROM index_pending WHERE due <= ?", "i", now) < 0 ? -1 : 0;
}

int index_catch_up(struct world *w, time_t now) { return world_transaction(w, catch_up, &now); }

int index_forget(struct world *w, long long id)
{
	return wdb_exec(w, "DELETE FROM index_dirty WHERE id = ?", "i", id) < 0 ||
		       wdb_exec(w, "DELETE FROM index_pending WHERE id = ?", "i", id) < 0 ||
		       wdb_exec(w, "DELETE FROM search_index_tags WHERE conversation_id = ?", "i",
				id) < 0 ||
		       wdb_exec(w, "DELETE FROM search_index WHERE id = ?", "i", id) < 0
		   ? -1
		   : 0;
}

static int clear(struct world *w, void *arg)
{
	(void)arg;
	return wdb_exec(w, "DELETE FROM index_pending", "") < 0 ||
		       wdb_exec(w, "DELETE FROM search_index_tags", "") < 0 ||
		       wdb_exec(w, "DELETE FROM search_index", "") < 0 ||
		       wdb_exec(w, "DELETE FROM index_dirty", "") < 0
		   ? -1
		   : 0;
}

/* Everything as it is now, visible at once: what a lag switched on starts from. */
static int rebuild(struct world *w, void *arg)
{
	struct capture now_visible = {.due = 0};
	time_t epoch = 0;

	(void)arg;
	if (clear(w, NULL) < 0 ||
	    wdb_exec(w, "INSERT INTO index_dirty SELECT id FROM main.conversations", "") < 0 ||
	    capture_dirty(w, &now_visible) < 0)
		return -1;
	return catch_up(w, &epoch);
}

int index_set_lag(struct world *w, long old_lag, long new_lag)
{
	if ((old_lag > 0) == (new_lag > 0))
		return 0;
	return world_transaction(w, new_lag > 0 ? rebuild : clear, NULL);
}

json_t *index_render(struct world *w, long long id)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT doc FROM search_index WHERE id = ?", "i", id);
	const unsigned char *doc;

	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return NULL;
	doc = sqlite3_column_text(st, 0);
	return doc ? json_loads((const char *)doc, 0, NULL) : NULL;
}
