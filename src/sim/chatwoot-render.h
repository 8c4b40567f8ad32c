/* chatwoot-render.h: the sim's records as the JSON of Chatwoot's application API (the
 * server's jbuilder views and push_event_data): integer timestamps with 0 for "none",
 * integer message_type, labels as strings, display ids. */
#ifndef SIM_CHATWOOT_RENDER_H
#define SIM_CHATWOOT_RENDER_H

#include <stdbool.h>
#include <time.h>

#include <jansson.h>

struct world;

/* The one account of the sim's workspace: not 1, so a client that reads the account
 * from the profile is told from one that assumes it. */
#define CHATWOOT_ACCOUNT_ID 3

/* Each returns a new reference, or NULL when the record does not exist or the database
 * failed (*db_error tells which, where given). */
/* with_sla: the server has the (enterprise) SLA feature, so applied_sla is given. */
json_t *cw_render_conversation(struct world *w, long long id, bool with_sla, bool *db_error);
/* GET .../conversations/{id}/messages: meta and the 20 messages before message id
 * `before` (0: the latest), oldest first. */
json_t *cw_render_messages(struct world *w, long long id, long long before, bool *db_error);
/* Message ids: a conversation's opening message has the conversation's display id, a
 * message made of a part of the world this plus the part's id. */
#define CW_PART_ID_BASE	     100000000LL
#define CW_PART_ID_BASE_TEXT "100000000"
/* Message message_id of conversation conversation_id, as push_event_data gives it. */
json_t *cw_render_message(struct world *w, long long conversation_id, long long message_id);
json_t *cw_render_agent(struct world *w, long long admin_id);
json_t *cw_render_agents(struct world *w);
json_t *cw_render_team(struct world *w, long long team_id);
json_t *cw_render_teams(struct world *w);
json_t *cw_render_profile(struct world *w, const char *token);
json_t *cw_render_inboxes(struct world *w);
json_t *cw_render_labels(struct world *w);
json_t *cw_render_conversation_labels(struct world *w, long long id);
json_t *cw_render_sla_policies(struct world *w);
json_t *cw_render_article(struct world *w, long long id, bool *db_error);
json_t *cw_render_portal(struct world *w);

/* The inbox a conversation of team_id arrives in (each inbox serves one team). */
long long cw_inbox_of_team(struct world *w, long long team_id);
/* The inbox of a conversation: the one it arrived in (cw_inboxes, kept by
 * chatwoot_advance), which a later change of team does not move. */
long long cw_inbox_of(struct world *w, long long conversation_id);

#endif
