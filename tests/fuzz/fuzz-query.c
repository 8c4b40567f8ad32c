/* fuzz-query.c: what an agent types after `/`, parsed as a queue filter and matched
 * against a conversation with a directory of teams, admins and tags. */
#include "build-config.h"

#include "backend.h"
#include "fuzz.h"
#include "query.h"
#include "store.h"

#define NOW 1700000000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct directory_entry teams[] = {{.id = 5001, .name = "Live chat"},
					  {.id = 5002, .name = "Support"}};
	struct directory_entry admins[] = {{.id = 1, .name = "Ann Agent"},
					   {.id = 2, .name = "Bob"}};
	struct directory_entry tags[] = {{.id = 7, .name = "vip"}, {.id = 8, .name = "refund"}};
	struct directory dir = {.me = 1,
				.me_name = "Ann Agent",
				.teams = teams,
				.admins = admins,
				.tags = tags,
				.n_teams = 2,
				.n_admins = 2,
				.n_tags = 2};
	int64_t tag_ids[] = {7, 99};
	struct store_entry e = {
	    .conv = {.id = 42,
		     .created_at = NOW - 300,
		     .updated_at = NOW - 10,
		     .waiting_since = NOW - 60,
		     .admin_assignee_id = 2,
		     .team_assignee_id = 5001,
		     .title = "Refund please",
		     .customer = "Zoë 山田",
		     .body = "<p>I was charged <b>twice</b></p>",
		     .body_is_html = true,
		     .tag_ids = tag_ids,
		     .n_tags = 2},
	    .clock = {.state = SLA_WARNING, .deadline = NOW + 30},
	};
	char *text = fuzz_string(data, size), err[256];
	struct query q;

	if (query_parse(text, &q, err, sizeof(err)) == 0) {
		query_match(&q, &e, &dir, 1, NOW);
		query_match(&q, &e, NULL, 0, NOW);
		e.conv.customer = e.conv.title = e.conv.body = NULL;
		query_match(&q, &e, &dir, 2, NOW);
	} else if (!memchr(err, '\0', sizeof(err))) {
		abort();
	}
	free(text);
	return 0;
}
