/* fuzz-articles.c: help-center answers (GET /articles, /articles/search, /articles/{id})
 * parsed and written into the article index (replacing what the last input put there),
 * which is then searched with the input's first bytes, as the screen searches with a customer's
 * words. */
#include "build-config.h"

#include <jansson.h>
#include <unistd.h>

#include "articles.h"
#include "fuzz.h"
#include "intercom.h"

static struct articles *index_db;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[] = "/tmp/frontline-fuzz-articles.XXXXXX", err[256];
	int fd = mkstemp(path);

	(void)argc;
	(void)argv;
	if (fd < 0)
		abort();
	close(fd);
	index_db = articles_open(path, err, sizeof(err));
	if (!index_db) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	/* The index lives as long as the process; its file need not outlive it. */
	unlink(path);
	return 0;
}

static void index_put(const struct intercom_article *list, size_t n)
{
	size_t i;

	if (articles_sync_begin(index_db) < 0)
		abort();
	for (i = 0; i < n; i++) {
		struct article a = {
		    .id = list[i].id,
		    .title = list[i].title,
		    .description = list[i].description,
		    .url = list[i].url,
		    .body = list[i].body,
		    .updated_at = list[i].updated_at,
		};

		if (articles_put(index_db, &a) < 0)
			abort();
	}
	if (articles_sync_end(index_db, 1700000000) < 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct intercom_article *list = NULL, one;
	struct article found[5];
	size_t n = 0, skipped = 0, i;
	long page = 0, total = 0;
	char err[256], *words = fuzz_string(data, size < 64 ? size : 64);
	json_t *j = json_loadb((const char *)data, size, 0, NULL);
	int k;

	if (j &&
	    intercom_parse_articles(j, &list, &n, &page, &total, &skipped, err, sizeof(err)) == 0) {
		index_put(list, n);
		intercom_articles_free(list, n);
	}
	if (j && intercom_parse_article(j, &one, err, sizeof(err)) == 0)
		intercom_article_release(&one);
	json_decref(j);
	/* the input's first bytes as a query, whatever they are */
	k = articles_search(index_db, words, found, 5);
	for (i = 0; k > 0 && i < (size_t)k; i++)
		article_release(&found[i]);
	free(words);
	return 0;
}
