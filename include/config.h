/* config.h: frontline's settings from $XDG_CONFIG_HOME/frontline/config (INI), with
 * errors that name the file, line and key and say what is expected, and the token from
 * the environment or a command, never from argv. */
#ifndef FRONTLINE_CONFIG_H
#define FRONTLINE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sla.h"

#define CONFIG_MAX_QUEUES 8
#define CONFIG_MAX_TEAMS 16
#define CONFIG_MAX_SLAS SLA_MAX_NAMED

/* Which events of a queue notify the agent, each level including the ones before it. */
enum config_notify_level {
	CONFIG_NOTIFY_NONE,
	CONFIG_NOTIFY_BREACH, /* SLA warnings and breaches */
	CONFIG_NOTIFY_NEW,    /* also new conversations and new customer messages */
	CONFIG_NOTIFY_ALL,    /* room for more kinds of events: today the same as new */
};

/* Terminal notifications: OSC 777 (urxvt, foot, kitty...) or OSC 9 (iTerm2, WezTerm...). */
enum config_osc { CONFIG_OSC_OFF, CONFIG_OSC_777, CONFIG_OSC_9 };

/* What of the message a notification may show: nothing (the default), or the opening
 * message's first characters with digits and e-mail addresses masked. */
enum config_preview { CONFIG_PREVIEW_NONE, CONFIG_PREVIEW_REDACTED };

struct config_notify {
	bool desktop;		     /* libnotify, default yes */
	char *command;		     /* run without a shell per event; NULL: none */
	bool bell;		     /* BEL on the terminal, default yes */
	enum config_osc osc;	     /* default off */
	enum config_preview preview; /* default none */
	bool title;		     /* counts in the terminal's title, default yes */
};

struct config_queue {
	char *key;	/* the section's name: [queue realtime] -> "realtime" */
	char *title;	/* shown on the pane; default: the key */
	char *teams[CONFIG_MAX_TEAMS]; /* team names or ids as written */
	size_t n_teams;
	bool realtime;	/* the real-time pane */
	struct sla_policy policy;
	enum config_notify_level notify; /* default: new if realtime, else breach */
	char *filter; /* filter = terms of the `/` filter the teams' rows must match; or NULL */
};

/* An [sla NAME] section: targets for the conversations the backend gave the SLA of that
 * name (Intercom's sla_applied.sla_name); they win over every queue's own. */
struct config_sla {
	char *key; /* the name as written: [sla VIP 5m] -> "VIP 5m" */
	struct sla_targets targets; /* 0 (n_warn -1): the queue's */
};

/* A key in [keys]: a character (Unicode code point; control keys as C-x give 1..26) or
 * one of these. */
enum config_key {
	CONFIG_KEY_UP = 0x200000,
	CONFIG_KEY_DOWN,
	CONFIG_KEY_LEFT,
	CONFIG_KEY_RIGHT,
	CONFIG_KEY_HOME,
	CONFIG_KEY_END,
	CONFIG_KEY_PGUP,
	CONFIG_KEY_PGDN,
	CONFIG_KEY_DELETE,
	CONFIG_KEY_INSERT,
	CONFIG_KEY_BACKSPACE,
	CONFIG_KEY_F1, /* F1..F12 follow */
};

#define CONFIG_MAX_KEYS 4

/* One line of [keys]: an action by name and the keys that run it from now on. */
struct config_binding {
	char *action; /* as written: the screen knows the names and checks them */
	int keys[CONFIG_MAX_KEYS];
	size_t n_keys; /* 0: "none", the action keeps no key */
	int line;      /* the line of the file, for the screen's messages */
};

/* A colour of [colors]: fg and bg are 0..255 or -1 for the terminal's own. */
struct config_color {
	bool set;
	short fg, bg;
	bool bold, underline, reverse;
};

struct config_colors {
	struct config_color ok, warning, breached, title, status, customer, agent, note, event,
	    error;
};

struct config {
	char *path;	     /* the file read, or NULL when none exists */
	char *backend;	     /* "intercom" */
	char *url;	     /* API base URL, default https://api.intercom.io */
	int64_t account_id;  /* chatwoot: the account; 0 unset */
	char *token_command; /* run without a shell; stdout's first line is the token */
	char *token;	     /* token = ... in the file (only if the file is private) */
	int64_t token_timeout;	  /* seconds token_command may take, default 5 */
	int64_t max_response;	  /* bytes: a larger answer is refused, default 16 MiB */
	char *admin;	     /* who frontline acts as: an admin's email or id, NULL: unset */
	bool admin_from_env; /* ...given by $FRONTLINE_ADMIN, which wins over the file */
	int64_t poll_interval;	  /* seconds, default 5 */
	int64_t poll_interval_max; /* a quiet backend's polls, at most this far apart: 9 */
	int64_t resync_interval;  /* default 300 */
	int64_t cache_max_age;	  /* default 14400: older, the queues' cache is not used; 0: none */
	int64_t poll_overlap;	  /* default 60: how late the search index may be */
	int64_t article_refresh;  /* default 3600 */
	int64_t hours_refresh;	  /* office hours from the backend, default 3600 */
	char *state_dir;	  /* default $XDG_STATE_HOME/frontline; NULL without a home */
	struct config_notify notify;
	struct config_queue queues[CONFIG_MAX_QUEUES];
	size_t n_queues;
	struct config_sla slas[CONFIG_MAX_SLAS]; /* also copied into each queue's policy */
	size_t n_slas;
	struct config_binding *bindings; /* [keys], in the file's order */
	size_t n_bindings, cap_bindings;
	struct config_colors colors; /* [colors] */
	int64_t undo_delay;	     /* [ui]: seconds close, snooze... wait to be undone; 0 off */
};

/* Fills the defaults: the Intercom backend and two queues, "realtime" (team "Live chat",
 * 2m/2m, warn 60s 30s) and "standard" (team "Support", 1h/1h, warn 10m 5m). */
void config_defaults(struct config *c);

/* Loads path, or the default path when path is NULL (a missing default file is not an
 * error: the defaults stand), over c as config_defaults filled it. Queues in the file
 * replace the default queues. Returns 0, or -1 with "FILE:LINE: message" (or "FILE:
 * message") in err; c is then partly loaded and still needs config_release. */
int config_load(struct config *c, const char *path, char *err, size_t errlen);
void config_release(struct config *c);

/* The token: $FRONTLINE_TOKEN, else token = in a private file, else token_command.
 * Returns a new string (the caller frees and wipes it) or NULL with a message in err,
 * which never holds the token. $FRONTLINE_TOKEN is wiped and removed from the environment
 * once read, so no child inherits it. token_command runs and is waited for here, at most
 * token_timeout (then it is killed), so call it before a SIGCHLD handler that reaps every
 * child is installed. */
char *config_token(const struct config *c, char *err, size_t errlen);

/* Names on warn the state directory, and the outbox, article cache and drafts in it,
 * when other users may read or change them; in the default state directory (frontline's
 * own) makes them private as well. */
void config_state_check(const struct config *c, FILE *warn);

/* Writes the documentation of every key (from the same option table) as man(7) text,
 * the KEYS part of frontline.conf(5). Returns 0, or -1 if writing failed. */
int config_write_man(FILE *out);

#endif
