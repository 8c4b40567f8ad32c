// chatwoot-local.js: makes tests/prism/chatwoot-application-api.json, the local copy of
// Chatwoot's application API description that the contract tests check frontline-sim's
// Chatwoot dialect against, from the published one:
//   node tests/prism/chatwoot-local.js ../shared/specs/chatwoot-application-api.json \
//        tests/prism/chatwoot-application-api.json
// Every change adds what the server has and the file lacks, or corrects the file where the
// server answers otherwise; README.md in this folder lists them with the server source
// each comes from. The copy records what it was made from (x-frontline-base) and the
// changes (x-frontline-changes).
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const [src, dst] = process.argv.slice(2);
const text = fs.readFileSync(src, 'utf8');
const doc = JSON.parse(text);
const S = doc.components.schemas;
const ref = name => ({$ref: '#/components/schemas/' + name});
const json = schema => ({'application/json': {schema}});
const changes = [];
const change = (what, fn) => { fn(); changes.push(what); };
const nullable = (schema, key) => { schema.properties[key].nullable = true; };
const errorAnswer = {description: 'Not found', content: json(ref('error'))};
const accountParam = {$ref: '#/components/parameters/account_id'};
const conversationParam = {$ref: '#/components/parameters/conversation_id'};
const portalParam = {in: 'path', name: 'portal_id', required: true, schema: {type: 'string'},
  description: 'The slug of the portal'};
const security = [{userApiKey: []}];

change('schema error: the {"error": message} body of the server\'s render_not_found_error, ' +
       'render_unauthorized and render_could_not_create_error', () => {
  S.error = {type: 'object', required: ['error'], properties: {error: {type: 'string'}}};
});

// ---- added paths ----
change('GET /api/v1/accounts/{account_id}/labels (labels_controller#index)', () => {
  S.label = {type: 'object', properties: {id: {type: 'integer'}, title: {type: 'string'},
    description: {type: 'string', nullable: true}, color: {type: 'string'},
    show_on_sidebar: {type: 'boolean'}}};
  doc.paths['/api/v1/accounts/{account_id}/labels'] = {parameters: [accountParam], get: {
    tags: ['Labels'], operationId: 'list-all-labels', summary: 'List the account\'s labels',
    security, responses: {200: {description: 'Success', content: json({type: 'object',
      properties: {payload: {type: 'array', items: ref('label')}}})}, 401: errorAnswer}}};
});
change('POST /api/v1/accounts/{account_id}/labels (labels_controller#create; Label ' +
       'downcases the title and takes letters, digits, - and _; a record error answers ' +
       '{message, attributes}, as RequestExceptionHandler#render_record_invalid)', () => {
  S.record_invalid = {type: 'object', required: ['message', 'attributes'], properties: {
    message: {type: 'string'}, attributes: {type: 'array', items: {type: 'string'}}}};
  doc.paths['/api/v1/accounts/{account_id}/labels'].post = {tags: ['Labels'],
    operationId: 'create-a-label', summary: 'Create a label', security,
    requestBody: {required: true, content: json({type: 'object', properties: {
      title: {type: 'string'}, description: {type: 'string'}, color: {type: 'string'},
      show_on_sidebar: {type: 'boolean'}}})},
    responses: {200: {description: 'Success', content: json(ref('label'))},
      401: errorAnswer,
      422: {description: 'The label is invalid or its title taken',
        content: json({oneOf: [ref('record_invalid'), ref('error')]})}}};
});
change('GET /api/v1/accounts/{account_id}/sla_policies (enterprise sla_policies_controller#index)', () => {
  S.sla_policy = {type: 'object', properties: {id: {type: 'integer'}, name: {type: 'string'},
    description: {type: 'string', nullable: true},
    first_response_time_threshold: {type: 'number', nullable: true},
    next_response_time_threshold: {type: 'number', nullable: true},
    resolution_time_threshold: {type: 'number', nullable: true},
    only_during_business_hours: {type: 'boolean'}}};
  doc.paths['/api/v1/accounts/{account_id}/sla_policies'] = {parameters: [accountParam], get: {
    tags: ['SLA'], operationId: 'list-sla-policies', summary: 'List the SLA policies',
    security, responses: {200: {description: 'Success', content: json({type: 'object',
      properties: {payload: {type: 'array', items: ref('sla_policy')}}})}, 401: errorAnswer}}};
});
change('GET /api/v1/accounts/{account_id}/portals/{portal_id}/articles with query, page, ' +
       'locale (articles_controller#index; portal_id is the slug)', () => {
  doc.paths['/api/v1/accounts/{account_id}/portals/{portal_id}/articles'] = {
    parameters: [accountParam, portalParam], get: {tags: ['Help Center'],
      operationId: 'list-articles', summary: 'List or search a portal\'s articles', security,
      parameters: [{in: 'query', name: 'query', schema: {type: 'string'}},
        {in: 'query', name: 'locale', schema: {type: 'string'}},
        {in: 'query', name: 'page', schema: {type: 'integer', minimum: 1}}],
      responses: {200: {description: 'Success', content: json({type: 'object',
        required: ['payload', 'meta'], properties: {payload: {type: 'array', items: ref('article')},
          meta: {type: 'object', properties: {articles_count: {type: 'integer'},
            current_page: {type: 'integer'}, all_articles_count: {type: 'integer'}}}}})},
        404: errorAnswer}}};
});
change('GET /api/v1/accounts/{account_id}/portals/{portal_id}/articles/{id} (articles_controller#show)', () => {
  doc.paths['/api/v1/accounts/{account_id}/portals/{portal_id}/articles/{id}'] = {
    parameters: [accountParam, portalParam,
      {in: 'path', name: 'id', required: true, schema: {type: 'integer'}}],
    get: {tags: ['Help Center'], operationId: 'get-article', summary: 'An article', security,
      responses: {200: {description: 'Success', content: json({type: 'object',
        required: ['payload'], properties: {payload: ref('article')}})}, 404: errorAnswer}}};
});
change('POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/update_last_seen ' +
       '(conversations_controller#update_last_seen: no view, 204)', () => {
  doc.paths['/api/v1/accounts/{account_id}/conversations/{conversation_id}/update_last_seen'] = {
    parameters: [accountParam, conversationParam], post: {tags: ['Conversations'],
      operationId: 'update-last-seen', summary: 'The agent has seen the conversation', security,
      responses: {204: {description: 'Seen'}, 404: errorAnswer}}};
});
change('GET conversations: the updated_within parameter (seconds; ConversationFinder gives ' +
       'every match and ignores page with it)', () => {
  doc.paths['/api/v1/accounts/{account_id}/conversations'].get.parameters.push(
    {in: 'query', name: 'updated_within', schema: {type: 'integer', minimum: 0},
     description: 'Only conversations updated in the last this many seconds, all of them'});
});

// ---- corrections ----
const conv = S.conversation;
change('conversation.status: snoozed added (Conversation status enum)', () => {
  conv.properties.status.enum = ['open', 'resolved', 'pending', 'snoozed'];
});
change('conversation.snoozed_until: an ISO 8601 string or null (the view writes the raw datetime)', () => {
  conv.properties.snoozed_until = {type: 'string', format: 'date-time', nullable: true};
});
change('conversation: priority, sla_policy_id and last_non_activity_message may be null; ' +
       'applied_sla is AppliedSla#push_event_data', () => {
  nullable(conv, 'priority');
  nullable(conv, 'sla_policy_id');
  conv.properties.last_non_activity_message = {anyOf: [ref('message'), {enum: [null]}]};
  conv.properties.applied_sla = {type: 'object', properties: {id: {type: 'integer'},
    sla_id: {type: 'integer'}, sla_status: {type: 'string',
      enum: ['active', 'hit', 'missed', 'active_with_misses']},
    created_at: {type: 'integer'}, updated_at: {type: 'integer'}, sla_name: {type: 'string'},
    sla_first_response_time_threshold: {type: 'number', nullable: true},
    sla_next_response_time_threshold: {type: 'number', nullable: true},
    sla_resolution_time_threshold: {type: 'number', nullable: true},
    sla_only_during_business_hours: {type: 'boolean'}}};
});
change('message: sender_type is the sender\'s class (Contact, User, AgentBot) or null for an ' +
       'activity; sender_id and source_id may be null; updated_at is an ISO 8601 string ' +
       '(push_event_data merges the raw attributes)', () => {
  const m = S.message.properties;
  m.sender_type = {type: 'string', nullable: true, enum: ['Contact', 'User', 'AgentBot']};
  m.sender_id.nullable = true;
  m.source_id.nullable = true;
  m.updated_at = {type: 'string', format: 'date-time'};
  m.message_type.enum = [0, 1, 2, 3];
});
change('agent: availability_status is online, busy or offline; custom_role_id may be null ' +
       '(User availability enum)', () => {
  S.agent.properties.availability_status.enum = ['online', 'busy', 'offline'];
  nullable(S.agent, 'custom_role_id');
});
change('inbox.working_hours: a closed day has null hours (working_hours table)', () => {
  const wh = S.inbox.properties.working_hours.items.properties;
  for (const k of ['open_hour', 'open_minutes', 'close_hour', 'close_minutes']) wh[k].nullable = true;
});
change('article.status is a string (the enum\'s names), not an integer', () => {
  S.article.properties.status.type = 'string';
});
change('inbox.greeting_message and portal custom_domain may be null (unset columns)', () => {
  nullable(S.inbox, 'greeting_message');
  nullable(S.portal_item, 'custom_domain');
});
change('conversation.timestamp is an integer (the view writes last_activity_at.to_i); the ' +
       'sender\'s phone_number and identifier may be null (contact partial)', () => {
  conv.properties.timestamp = {type: 'integer'};
  const senders = [S.conversation_list.properties.data.properties.payload.items.allOf[2],
    S.conversation_show.allOf[1]];
  for (const s of senders) {
    const p = s.properties.meta.properties.sender.properties;
    p.phone_number.nullable = true;
    p.identifier.nullable = true;
  }
});
const paths = doc.paths;
const cpath = '/api/v1/accounts/{account_id}/conversations/{conversation_id}';
change('toggle_status: status is optional; without it the status toggles ' +
       '(conversations_controller#toggle_status calls toggle_status)', () => {
  delete paths[cpath + '/toggle_status'].post.requestBody.content['application/json'].schema.required;
});
change('messages meta: agent_last_seen_at and assignee_last_seen_at are null until the agent ' +
       'has seen the conversation (messages/index.json.jbuilder writes the raw datetime)', () => {
  const meta = paths[cpath + '/messages'].get.responses[200].content['application/json'].schema.properties.meta;
  meta.properties.agent_last_seen_at.nullable = true;
  meta.properties.assignee_last_seen_at.nullable = true;
});
change('toggle_status answer: snoozed_until (ISO 8601 or null) added', () => {
  paths[cpath + '/toggle_status'].post.responses[200].content['application/json'].schema
    .properties.payload.properties.snoozed_until = {type: 'string', format: 'date-time', nullable: true};
});
change('assignments answer: the agent, the team, or null (assignments_controller renders ' +
       'the agent or team partial, or json: nil)', () => {
  paths[cpath + '/assignments'].post.responses[200].content['application/json'].schema =
    {anyOf: [ref('agent'), ref('team'), {enum: [null]}]};
});
change('conversations/filter answer: meta and payload at the top, not under data ' +
       '(conversations/filter.json.jbuilder)', () => {
  paths['/api/v1/accounts/{account_id}/conversations/filter'].post.responses[200].content['application/json'].schema =
    {type: 'object', required: ['meta', 'payload'], properties: {
      meta: S.conversation_list.properties.data.properties.meta,
      payload: S.conversation_list.properties.data.properties.payload}};
});
change('404 answers of the conversation endpoints are {"error": ...}', () => {
  for (const [p, item] of Object.entries(paths)) {
    if (!p.startsWith('/api/v1/accounts/{account_id}/conversations')) continue;
    for (const op of Object.values(item))
      if (op && op.responses && op.responses[404]) op.responses[404] = errorAnswer;
  }
});

doc['x-frontline-base'] = {version: doc.info.version,
  sha256: crypto.createHash('sha256').update(text).digest('hex')};
doc['x-frontline-changes'] = changes;
fs.writeFileSync(dst, JSON.stringify(doc, null, 1) + '\n');
console.log(changes.length + ' changes:\n- ' + changes.join('\n- '));
