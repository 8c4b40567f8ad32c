/* fuzz-search-page.c: one answer of POST /conversations/search, as the wire brings it,
 * parsed and merged into the store the queues show, then ticked, filtered and rendered
 * into rows' text; also read as each of the directory answers (/me, /teams, /admins,
 * /tags) and as an error.list. */
#include "build-config.h"

#include <jansson.h>

#include "fuzz.h"
#include "intercom.h"
#include "model.h"
#include "query.h"
#include "sla.h"
#include "store.h"
#include "text.h"

#define NOW 1700000000

static void on_event(void *arg, const struct store_entry *e, enum sla_event ev)
{
	(void)arg;
	(void)e;
	(void)ev;
}

static void directory_answers(json_t *j)
{
	struct intercom_admin me, *admins;
	struct intercom_team *teams;
	struct intercom_tag *tags, tag;
	char err[256], code[64], msg[256];
	size_t n, skipped;

	if (intercom_parse_me(j, &me, err, sizeof(err)) == 0)
		intercom_admin_release(&me);
	if (intercom_parse_admins(j, &admins, &n, &skipped, err, sizeof(err)) == 0)
		intercom_admins_free(admins, n);
	if (intercom_parse_teams(j, &teams, &n, &skipped, err, sizeof(err)) == 0)
		intercom_teams_free(teams, n);
	if (intercom_parse_tags(j, &tags, &n, &skipped, err, sizeof(err)) == 0)
		intercom_tags_free(tags, n);
	if (intercom_parse_tag(j, &tag, err, sizeof(err)) == 0)
		intercom_tag_release(&tag);
	intercom_parse_error(j, code, sizeof(code), msg, sizeof(msg));
}

/* What a queue row shows of c: every piece sanitised, as the screen does. */
static void row_text(const struct conversation *c)
{
	char *preview = conversation_preview(c), *s;

	s = text_sanitize(c->customer, false);
	fuzz_check_inert(s, false);
	free(s);
	s = text_sanitize(c->title, false);
	fuzz_check_inert(s, false);
	free(s);
	s = text_sanitize(preview, false);
	fuzz_check_inert(s, false);
	free(s);
	free(preview);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sla_policy policies[2];
	struct conversation *items = NULL;
	size_t n = 0, skipped = 0, i, q;
	char err[256], *next = NULL;
	long total = 0;
	struct store *s;
	struct query query;
	json_t *j = json_loadb((const char *)data, size, 0, NULL);

	if (!j)
		return 0;
	directory_answers(j);
	if (intercom_parse_search_page(j, &items, &n, &next, &total, &skipped, err, sizeof(err)) <
	    0) {
		json_decref(j);
		return 0;
	}
	json_decref(j);
	sla_policy_default(&policies[0], true);
	sla_policy_default(&policies[1], false);
	s = store_new(policies, 2);
	store_set_team_queue(s, 1, 0);
	store_set_team_queue(s, 5001, 0);
	store_set_team_queue(s, 5002, 1);
	store_set_team_queue(s, 0, 1);
	store_sweep_begin(s);
	for (i = 0; i < n; i++) {
		/* twice: the second is an older-or-equal record and must change nothing */
		store_upsert(s, &items[i], NOW);
		store_upsert(s, &items[i], NOW + 1);
		row_text(&items[i]);
	}
	store_sweep_end(s);
	store_tick(s, NOW + 90, on_event, NULL);
	store_tick(s, NOW + 7200, on_event, NULL);
	if (query_parse("unassigned sla:<5m tag:vip \"refund\"", &query, err, sizeof(err)) == 0)
		for (q = 0; q < 2; q++)
			for (i = 0; i < store_queue_count(s, q); i++)
				query_match(&query, store_queue_at(s, (int)q, i), NULL, 1,
					    NOW + 60);
	for (i = 0; i < n; i++) {
		store_remove(s, items[i].id);
		conversation_release(&items[i]);
	}
	free(items);
	free(next);
	store_free(s);
	return 0;
}
