/* floor.c: the floor frontline's full sync is measured against: the same search pages
 * downloaded with libcurl (keep-alive, one after another) and parsed with jansson,
 * nothing else. Prints pages, conversations and the CPU milliseconds it used.
 * Usage: floor URL TEAM_ID... (the token in $FRONTLINE_TOKEN) */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <curl/curl.h>
#include <jansson.h>

struct buf {
	char *data;
	size_t len, cap;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	size_t add = size * n;

	if (b->len + add + 1 > b->cap) {
		b->cap = (b->len + add + 1) * 2;
		b->data = realloc(b->data, b->cap);
		if (!b->data)
			abort();
	}
	memcpy(b->data + b->len, p, add);
	b->len += add;
	return add;
}

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

int main(int argc, char **argv)
{
	const char *token = getenv("FRONTLINE_TOKEN");
	struct curl_slist *headers = NULL;
	struct buf b = {0};
	json_t *teams, *query;
	char *url, *auth, *cursor = NULL;
	long pages = 0, conversations = 0;
	double start;
	CURL *e;
	int i;

	if (argc < 3 || !token) {
		fprintf(stderr, "usage: FRONTLINE_TOKEN=... floor URL TEAM_ID...\n");
		return 2;
	}
	start = cpu_ms();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	e = curl_easy_init();
	if (asprintf(&url, "%s/conversations/search", argv[1]) < 0 ||
	    asprintf(&auth, "Authorization: Bearer %s", token) < 0)
		return 1;
	headers = curl_slist_append(headers, auth);
	headers = curl_slist_append(headers, "Content-Type: application/json");
	headers = curl_slist_append(headers, "Intercom-Version: 2.16");
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	teams = json_array();
	for (i = 2; i < argc; i++)
		json_array_append_new(teams, json_integer(strtoll(argv[i], NULL, 10)));
	query = json_pack("{s:s, s:[{s:s, s:s, s:b}, {s:s, s:s, s:o}]}", "operator", "AND", "value",
			  "field", "open", "operator", "=", "value", 1, "field", "team_assignee_id",
			  "operator", "IN", "value", teams);
	do {
		json_t *req = json_pack("{s:O, s:{s:i}}", "query", query, "pagination", "per_page", 150);
		json_t *page, *next;
		char *body;

		if (cursor)
			json_object_set_new(json_object_get(req, "pagination"), "starting_after",
					    json_string(cursor));
		body = json_dumps(req, JSON_COMPACT);
		json_decref(req);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
		b.len = 0;
		if (curl_easy_perform(e) != CURLE_OK) {
			fprintf(stderr, "floor: request failed\n");
			return 1;
		}
		free(body);
		page = json_loadb(b.data, b.len, 0, NULL);
		if (!page) {
			fprintf(stderr, "floor: malformed page\n");
			return 1;
		}
		pages++;
		conversations += (long)json_array_size(json_object_get(page, "conversations"));
		next = json_object_get(json_object_get(json_object_get(page, "pages"), "next"),
				       "starting_after");
		free(cursor);
		cursor = json_is_string(next) ? strdup(json_string_value(next)) : NULL;
		json_decref(page);
	} while (cursor);
	printf("pages %ld conversations %ld cpu_ms %.1f\n", pages, conversations, cpu_ms() - start);
	json_decref(query);
	curl_slist_free_all(headers);
	curl_easy_cleanup(e);
	free(url);
	free(auth);
	free(b.data);
	return 0;
}
