/* corpus.h: the words the simulated world is made of (people, messages, tags, help articles). */
#ifndef SIM_CORPUS_H
#define SIM_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

struct prng;

/*
 * Everything here is deterministic: the same PRNG state gives the same text, and the same
 * article number always gives the same article. All text is valid UTF-8 without control
 * characters other than '\n'. Every returned char * is newly allocated; the caller frees it.
 */

/* A customer's display name; about a third are non-English: Polish (with ą ę ł ż ó ś ć ń),
 * Russian (Cyrillic), Chinese/Japanese/Korean, Arabic and Hebrew (right-to-left), some with
 * an emoji. The caller frees the result. */
char *corpus_customer_name(struct prng *r);

/* A plausible ASCII email address such as "anna.kowalska42@example.com", only ever at
 * example.com, example.org or example.net. `serial` is the local part's only digits, so
 * different serials always give different addresses. The caller frees the result. */
char *corpus_customer_email(struct prng *r, unsigned long serial);

/* The first message of a new conversation: a short subject line in *title and a body of
 * 1-4 sentences in *body, as a customer writing to support would. About 20% are in Polish,
 * Russian, Chinese, Japanese, Arabic or Hebrew; some carry emoji, some bodies contain
 * "\n\n". Topics: login/password, billing/invoices, refunds, integrations, API errors,
 * exports, mobile crashes, account deletion, plan upgrades, SSO, notifications, data import
 * and performance. The caller frees both strings. */
void corpus_opening(struct prng *r, char **title, char **body);

/* A customer writing again ("Any update?", "I tried that and it still fails: ...", thanks).
 * The caller frees the result. */
char *corpus_followup(struct prng *r);

/* An agent's reply: polite, concrete, sometimes asking for details; may span several
 * paragraphs. The caller frees the result. */
char *corpus_admin_reply(struct prng *r);

/* An internal note an agent would leave for teammates. The caller frees the result. */
char *corpus_admin_note(struct prng *r);

/* The workspace's tag names (static storage, do not free); sets *count. */
const char *const *corpus_tag_names(size_t *count);

/* Teammates (agents) with their emails at example.com (static storage, do not free); sets
 * *count. Some are away (away mode on). */
struct corpus_admin {
	const char *name;
	const char *email;
	const char *job_title;
	bool away;
};
const struct corpus_admin *corpus_admins(size_t *count);
/* The workspace's bot, as Intercom lists it among the admins (type "admin", an
 * operator+APP@intercom.io address, no inbox seat): never one of corpus_admins. */
const struct corpus_admin *corpus_bot(void);

/* Help-center article number i (any i; no PRNG involved): *title, a one-sentence
 * *description and a plain-text *body of 3-6 paragraphs separated by blank lines, with
 * numbered steps. Titles are distinct for every i; the first few hundred read as a real
 * SaaS help center and use the words customers write in corpus_opening(). The caller frees
 * all three strings. */
void corpus_article(size_t i, char **title, char **description, char **body);

#endif
