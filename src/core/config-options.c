/* config-options.c: the master copy of the settings: every option of the configuration
 * with its section, its value parser, its place in struct config, its default and its
 * documentation. config.c reads files through it, config-doc.c writes frontline.conf(5)
 * from it; the value parsers it names call nothing back in the files that walk it. */
#include "build-config.h"

#include <stddef.h>

#include "config-private.h"

#define CONF(field)  offsetof(struct config, field)
#define QUEUE(field) offsetof(struct config_queue, field)
#define SLA(field)   offsetof(struct config_sla, field)

const struct config_option config_options[] = {
    {CONFIG_SECTION_BACKEND, "type", config_parse_backend, CONF(backend), "intercom|chatwoot",
     "intercom", NULL,
     "The conversation backend: intercom, or chatwoot (a Chatwoot account: set url to the "
     "installation, e.g. https://app.chatwoot.com, and account_id; the token is the "
     "agent's access token from the profile settings)."},
    {CONFIG_SECTION_BACKEND, "url", config_parse_url, CONF(url), "URL", "https://api.intercom.io",
     NULL,
     "Base URL of the API. It must start with https://; plain http:// is allowed only to "
     "this machine (localhost, 127.0.0.1, [::1]), e.g. for frontline-sim. Certificates "
     "are always verified."},
    {CONFIG_SECTION_BACKEND, "account_id", config_parse_id, CONF(account_id), "number", NULL,
     "none",
     "With type = chatwoot: the account the queues are in, the number after /accounts/ in "
     "the Chatwoot address. Required for chatwoot; intercom ignores it."},
    {CONFIG_SECTION_BACKEND, "region", config_parse_region, CONF(url), "us|eu|au", NULL, "none",
     "Instead of url: where Intercom hosts the workspace, us (https://api.intercom.io), "
     "eu (https://api.eu.intercom.io) or au (https://api.au.intercom.io). A token of a "
     "workspace hosted elsewhere is refused (401)."},
    {CONFIG_SECTION_BACKEND, "token_command", config_parse_command, CONF(token_command), "command",
     NULL, "none",
     "A command whose first line of output is the API token, e.g. pass show intercom. "
     "It runs without a shell: words are split and quotes, $VARIABLES and ~ expanded as a "
     "shell would, but $(...), backquotes, pipes, redirections and unset variables are "
     "refused. It runs at start-up unless $FRONTLINE_TOKEN or token gives the token."},
    {CONFIG_SECTION_BACKEND, "token_timeout", config_parse_duration, CONF(token_timeout),
     "duration", "5s", NULL,
     "How long token_command may take to print the token and exit. A command still running "
     "then (one that hangs, or prints the token and keeps running) is stopped, and "
     "frontline says so and exits."},
    {CONFIG_SECTION_BACKEND, "token", config_parse_token, CONF(token), "token", NULL, "none",
     "The API token itself. Accepted only when group and others can neither read nor "
     "write the file (chmod 600). Prefer token_command or $FRONTLINE_TOKEN."},
    {CONFIG_SECTION_BACKEND, "max_response", config_parse_size, CONF(max_response), "size", "16M",
     NULL,
     "The largest answer taken from the backend, in bytes with K, M or G for KiB, MiB or "
     "GiB. A larger one is refused as soon as it is announced or grows past this, with a "
     "message, rather than read whole."},
    {CONFIG_SECTION_BACKEND, "admin", config_parse_text, CONF(admin), "email|id", NULL,
     "the token's owner, if no other human admin",
     "The admin (teammate) frontline acts as: every reply, note, close, snooze, tag and "
     "assignment is made as this admin, and mine and assign to me mean this admin. An "
     "email or an id of GET /admins, checked at start-up: one that matches nobody is an "
     "error. $FRONTLINE_ADMIN wins over it. Unset, frontline acts as the token's owner "
     "(GET /me) if no other human admin is in the workspace; otherwise it reads but "
     "refuses to write. On Chatwoot, whose access tokens are an agent's own, frontline "
     "always acts as the token's agent, and admin may only name that agent. An admin "
     "that is away, or a bot (whose email replies are never sent), is named with a "
     "warning."},
    {CONFIG_SECTION_BACKEND, "poll_interval", config_parse_duration, CONF(poll_interval),
     "duration", "5s", NULL,
     "How often to ask the backend for conversations changed since the last poll."},
    {CONFIG_SECTION_BACKEND, "poll_interval_max", config_parse_delay, CONF(poll_interval_max),
     "duration", "9s", NULL,
     "How far apart polls may grow while the backend is quiet: each poll that brings no "
     "change doubles the wait before the next, up to this, and any change, a write, a "
     "conversation opened or a manual poll goes back to poll_interval. It never exceeds a "
     "third of the smallest warn lead time of any queue, so a deadline is never learnt "
     "late, and a new conversation shows within about this long. At most poll_interval "
     "(e.g. 0) polls at a fixed poll_interval."},
    {CONFIG_SECTION_BACKEND, "resync_interval", config_parse_duration, CONF(resync_interval),
     "duration", "15m", NULL,
     "How often to fetch all open conversations of the queues' teams again, to heal what "
     "the incremental polls missed (they already see closures and moves to other teams, "
     "so this is a safety net; each resync costs one request per 150 conversations)."},
    {CONFIG_SECTION_BACKEND, "poll_overlap", config_parse_duration, CONF(poll_overlap), "duration",
     "60s", NULL,
     "Each poll asks for conversations updated after what the previous poll saw (the moment "
     "it began by the server's clock, or the newest update seen), less this overlap, so "
     "changes that reach the search late are not lost: Intercom's search index lags behind "
     "writes, and a change it shows late still carries the time it was made. A change "
     "searchable up to this much late is seen by the first poll after it becomes searchable; "
     "the records a poll reads again are recognised by id and updated_at and cost little. The "
     "server's own timestamps are compared, so clocks need not agree."},
    {CONFIG_SECTION_BACKEND, "cache_max_age", config_parse_delay, CONF(cache_max_age),
     "duration", "4h", NULL,
     "How old the queues' cache (the conversations of the last sync, kept in the state "
     "directory) may be to be used at start: the screen shows it at once, its rows marked "
     "with their age, while one incremental poll catches up on what changed since. An older "
     "cache, none, or one written with other queues' teams or filters means a full sync "
     "first. 0 keeps no cache."},
    {CONFIG_SECTION_BACKEND, "article_refresh", config_parse_duration, CONF(article_refresh),
     "duration", "1h", NULL,
     "How long help-center articles are kept before they are fetched again."},
    {CONFIG_SECTION_BACKEND, "hours_refresh", config_parse_duration, CONF(hours_refresh),
     "duration", "1h", NULL,
     "How often the office hours of queues with hours = backend or a schedule's name are "
     "fetched again (schedules and their exceptions: one request, then one a schedule)."},
    {CONFIG_SECTION_QUEUE, "title", config_parse_text, QUEUE(title), "text", NULL,
     "the queue's NAME", "The title of the queue's pane."},
    /* The whole struct config_queue: the list and its length. */
    {CONFIG_SECTION_QUEUE, "teams", config_parse_teams, 0, "list", NULL, NULL,
     "The teams whose conversations the queue shows: names or ids separated by commas, at "
     "most " STRING(CONFIG_MAX_TEAMS) ". Required unless the queue has a filter; without "
     "teams the queue takes the conversations of every team that match its filter."},
    {CONFIG_SECTION_QUEUE, "realtime", config_parse_bool, QUEUE(realtime), "boolean", NULL, "no",
     "Shows the queue in the real-time pane, and gives it the real-time defaults of "
     "first_response, next_response and warn."},
    {CONFIG_SECTION_QUEUE, "first_response", config_parse_duration, QUEUE(policy.first_response),
     "duration", NULL, "2m if realtime, else 1h",
     "Time allowed for the first reply to a conversation."},
    {CONFIG_SECTION_QUEUE, "next_response", config_parse_duration, QUEUE(policy.next_response),
     "duration", NULL, "2m if realtime, else 1h",
     "Time allowed for each later reply, counted from when the customer started waiting."},
    {CONFIG_SECTION_QUEUE, "warn", config_parse_warn, QUEUE(policy), "list of durations", NULL,
     "60s,30s if realtime, else 10m,5m",
     "How long before a deadline to warn, separated by commas, at most " STRING(
	 SLA_MAX_WARN) "; the countdown "
		       "turns amber at the largest. Empty: no warnings."},
    /* One entry a kind stands for the key of every level (option_find). */
    {CONFIG_SECTION_QUEUE, "first_response" CONFIG_LEVEL_SUFFIX, config_parse_priority_target,
     QUEUE(policy.first_by_priority), "duration", NULL, "the queue's first_response",
     "Time allowed for the first reply to a conversation of priority LEVEL (none, low, "
     "medium, high or urgent, as the backend sets it), e.g. first_response.urgent = 1m. "
     "An [sla NAME] the conversation carries wins over it."},
    {CONFIG_SECTION_QUEUE, "next_response" CONFIG_LEVEL_SUFFIX, config_parse_priority_target,
     QUEUE(policy.next_by_priority), "duration", NULL, "the queue's next_response",
     "Time allowed for each later reply to a conversation of priority LEVEL."},
    {CONFIG_SECTION_QUEUE, "pause_snoozed", config_parse_bool, QUEUE(policy.pause_snoozed),
     "boolean", NULL, "yes", "Stops the clock while a conversation is snoozed."},
    {CONFIG_SECTION_QUEUE, "hours", config_parse_hours, QUEUE(policy.hours),
     "days and times|backend|NAME", NULL, "always",
     "Business hours; the clock runs only inside them. Days (Mon-Fri, or Sat,Sun; every "
     "day when left out), then up to " STRING(
	 SLA_MAX_RANGES) " time ranges (09:00-17:00, or 09:00-12:00,13:00-17:00; "
			 "22:00-06:00 runs past midnight). always: the clock never stops. "
			 "backend: the office hours schedule of the workspace named after one "
			 "of the queue's teams (the API does not tell which schedule a team "
			 "uses), else the workspace's only schedule. NAME: the schedule of that "
			 "name (any case). Both take the schedule's own time zone and its "
			 "exceptions (holidays closed all day, days at custom hours), fetched at "
			 "start-up and every hours_refresh; until they arrive nothing is listed, and a "
			 "name that matches no schedule stops start-up with the names there are."},
    {CONFIG_SECTION_QUEUE, "timezone", config_parse_timezone, QUEUE(policy.hours.tz), "zone", NULL,
     "UTC",
     "The time zone of hours written as days and times, an IANA name such as Europe/Warsaw "
     "that exists under /usr/share/zoneinfo (or $TZDIR)."},
    {CONFIG_SECTION_QUEUE, "notify", config_parse_notify_level, QUEUE(notify),
     "none|breach|new|all", NULL, "new if realtime, else breach",
     "Which of the queue's events notify: none; breach (a warning at each lead time of "
     "warn and a breach at the deadline); new (also new conversations and new customer "
     "messages); all (today the same as new). Notifications tell the queue, the customer's "
     "name and the time, never the message."},
    {CONFIG_SECTION_QUEUE, "filter", config_parse_filter, QUEUE(filter), "filter", NULL, "none",
     "Narrows the queue to the conversations of its teams that match every term, in the "
     "language of the / filter: tag:NAME, assignee:NAME, assignee:me, unassigned, "
     "priority:LEVEL, team:NAME, state:STATE, sla:<DURATION, breached, warning, unknown and "
     "free text; e.g. filter = assignee:me for the agent's own. Without teams, the queue "
     "takes the matching conversations of every team frontline holds (those of the other "
     "queues' teams and, with assignee:me, the agent's own of any team, which the polls "
     "then fetch too); sla:, breached, warning and unknown need teams there, as no clock "
     "runs before a queue is chosen. A term the filter does not know, or one that cannot be "
     "told, stops start-up with the line."},
    {CONFIG_SECTION_NOTIFY, "desktop", config_parse_bool, CONF(notify.desktop), "boolean", "yes",
     NULL,
     "Desktop notifications through libnotify (a notification server on the D-Bus session "
     "bus). Without a bus or a server, the other ways still work and the status says once "
     "that desktop notifications are unavailable."},
    {CONFIG_SECTION_NOTIFY, "command", config_parse_command, CONF(notify.command), "command", NULL,
     "none",
     "A program run for each notification, without a shell (split as for token_command), "
     "with the event in its environment: FRONTLINE_EVENT (warning, breach, new, message or "
     "summary), FRONTLINE_KIND (what a summary sums up, else the same), FRONTLINE_QUEUE, "
     "FRONTLINE_CONVERSATION_ID, FRONTLINE_CUSTOMER (control characters made visible), "
     "FRONTLINE_DEADLINE (seconds since the epoch), FRONTLINE_SUMMARY (the notification's "
     "title) and FRONTLINE_PREVIEW (see preview; empty without). Each is empty when it "
     "does not apply. frontline never waits for it. The runs go one at a time, in order: "
     "while one runs, up to 32 more wait for it, and later events skip it until it ends "
     "(said once). A failure is reported once."},
    {CONFIG_SECTION_NOTIFY, "bell", config_parse_bool, CONF(notify.bell), "boolean", "yes", NULL,
     "Rings the terminal's bell (BEL) on a notification; tmux and screen pass it on as "
     "an alert."},
    {CONFIG_SECTION_NOTIFY, "osc", config_parse_osc, CONF(notify.osc), "off|777|9", "off", NULL,
     "Also sends the notification as a terminal escape sequence, which reaches the desktop "
     "of a terminal reached over SSH: 777 (urxvt, foot, kitty, WezTerm) or 9 (iTerm2, "
     "Windows Terminal, WezTerm). Only to a terminal, never into a pipe or a file."},
    {CONFIG_SECTION_NOTIFY, "preview", config_parse_preview, CONF(notify.preview), "none|redacted",
     "none", NULL,
     "none: notifications never show the message. redacted: those of new conversations, "
     "warnings and breaches add the first 60 characters of the opening message, every "
     "digit shown as # and every word with an @ (an e-mail address) as [email]; also in "
     "FRONTLINE_PREVIEW for command."},
    {CONFIG_SECTION_NOTIFY, "title", config_parse_bool, CONF(notify.title), "boolean", "yes", NULL,
     "Shows the counts of breached and warning conversations in the terminal's (or tmux "
     "pane's) title, e.g. \"frontline: 2 breached, 3 warning\", updated when they change. "
     "Only numbers: never customer text."},
    {CONFIG_SECTION_STATE, "dir", config_parse_path, CONF(state_dir), "directory", NULL,
     "$XDG_STATE_HOME/frontline, or ~/.local/state/frontline",
     "Where the outbox, drafts and article cache are kept. A leading ~/ stands for the "
     "home directory."},
    {CONFIG_SECTION_SLA, "first_response", config_parse_duration, SLA(targets.first_response),
     "duration", NULL, "the queue's",
     "Time allowed for the first reply to a conversation the backend gave the SLA NAME "
     "(Intercom's sla_applied.sla_name, exactly as written there, e.g. [sla VIP 5m]), in "
     "any queue; it wins over the queue's first_response and first_response.LEVEL. The "
     "clock still counts in the queue's hours."},
    {CONFIG_SECTION_SLA, "next_response", config_parse_duration, SLA(targets.next_response),
     "duration", NULL, "the queue's",
     "Time allowed for each later reply to a conversation with the SLA NAME."},
    {CONFIG_SECTION_SLA, "warn", config_parse_sla_warn, SLA(targets), "list of durations", NULL,
     "the queue's", "How long before such a conversation's deadline to warn, as for a queue."},
    /* Any action's name: the one entry stands for them all (option_find). */
    {CONFIG_SECTION_KEYS, "ACTION", config_parse_binding, 0, "keys", NULL,
     "the keys of frontline(1)",
     "The keys that run the screen's action named ACTION (every name is listed by ? on "
     "the screen and in frontline(1), KEYS), separated by commas; they replace the "
     "action's default keys, and another action's default key given here is taken from it. "
     "A key is a character (r, G, ?, :), C- and a letter for Control (C-x), or Tab, Enter, "
     "Space, Esc, Backspace, Delete, Insert, Up, Down, Left, Right, Home, End, PgUp, PgDn "
     "or F1 to F12; none leaves the action without a key. Example: close = x, C-x. "
     "frontline refuses to start, for the screen and every command alike (exit 2), when "
     "ACTION names no action (it says the nearest names), when two actions that act in "
     "the same view are given one key, and when a key taken from an action leaves it none "
     "and its own line does not say so (close = none)."},
    {CONFIG_SECTION_COLORS, "ok", config_parse_color, CONF(colors.ok), "color", NULL, "green",
     "The countdown of a conversation in time. A colour is a name (default, black, red, "
     "green, yellow, blue, magenta, cyan, white, or bright and a name), color0 to "
     "color255, or FG on BG, with any of bold, underline and reverse before it, e.g. "
     "bold white on red. $NO_COLOR turns every colour off."},
    {CONFIG_SECTION_COLORS, "warning", config_parse_color, CONF(colors.warning), "color", NULL,
     "yellow", "The countdown once a warning lead time is reached."},
    {CONFIG_SECTION_COLORS, "breached", config_parse_color, CONF(colors.breached), "color", NULL,
     "red", "The countdown past the deadline."},
    {CONFIG_SECTION_COLORS, "title", config_parse_color, CONF(colors.title), "color", NULL, "cyan",
     "The panes' and the views' titles."},
    {CONFIG_SECTION_COLORS, "status", config_parse_color, CONF(colors.status), "color", NULL,
     "black on cyan", "The status bar."},
    {CONFIG_SECTION_COLORS, "customer", config_parse_color, CONF(colors.customer), "color", NULL,
     "magenta", "The customer's messages in the conversation view."},
    {CONFIG_SECTION_COLORS, "agent", config_parse_color, CONF(colors.agent), "color", NULL, "blue",
     "The agents' replies in the conversation view."},
    {CONFIG_SECTION_COLORS, "note", config_parse_color, CONF(colors.note), "color", NULL, "yellow",
     "Internal notes."},
    {CONFIG_SECTION_COLORS, "event", config_parse_color, CONF(colors.event), "color", NULL, "cyan",
     "Events of the conversation (closed, assigned...) and hints."},
    {CONFIG_SECTION_COLORS, "error", config_parse_color, CONF(colors.error), "color", NULL, "red",
     "Error messages."},
    {CONFIG_SECTION_UI, "undo_delay", config_parse_delay, CONF(undo_delay), "duration", "5s",
     NULL,
     "How long a close, snooze, assignment or tag removal made on the screen waits in the "
     "outbox before it goes, with a countdown in the status bar, while u (undo) takes it "
     "back; 0 sends them at once. The command line never waits."},
};

const size_t config_n_options = sizeof(config_options) / sizeof(config_options[0]);

_Static_assert(sizeof(config_options) / sizeof(config_options[0]) <= CONFIG_MAX_OPTIONS,
	       "more options than CONFIG_MAX_OPTIONS: raise it");
