/* render.h: the sim's records as Intercom 2.16 JSON objects. */
#ifndef SIM_RENDER_H
#define SIM_RENDER_H

#include <stdbool.h>

#include <jansson.h>

struct world;

/* Each returns a new reference, or NULL when the record does not exist or the database
 * failed (*db_error tells which, where given). */
json_t *render_conversation(struct world *w, long long id, bool with_parts, bool plaintext,
			    bool *db_error);
/* conv (conversation id) as search results give it, changed in place: with partial_every
 * N > 0, one whose id is a multiple of N has "statistics": null, and the one after it
 * neither statistics nor waiting_since, as Intercom's search results can; GET
 * /conversations/{id} always gives them whole. Returns conv (NULL stays NULL). */
json_t *render_partial(json_t *conv, long long id, long partial_every);
json_t *render_article(struct world *w, long long id, bool *db_error);
json_t *render_tag(struct world *w, long long id, long long conversation_id);
json_t *render_admin(struct world *w, long long id, bool with_app);
json_t *render_admins(struct world *w);
json_t *render_teams(struct world *w);
json_t *render_tags(struct world *w);
/* GET /contacts/{id}: the contact with its location and (at most one) company reference. */
json_t *render_contact(struct world *w, long long id, bool *db_error);
/* GET /contacts/{id}/companies: the companies attached to the contact, whole. */
json_t *render_contact_companies(struct world *w, long long id, bool *db_error);
/* GET /contacts/{id}/tags: the contact's tags, whole (name, applied_at, applied_by). */
json_t *render_contact_tags(struct world *w, long long id, bool *db_error);

/* An Intercom error.list body, with a new request_id as every Intercom error carries. */
json_t *render_error(const char *code, const char *message);

/* Plain text as the HTML an Intercom body holds: paragraphs in <p>, special characters
 * escaped. Returns a new string; the caller frees it. */
char *render_html(const char *text);

#endif
