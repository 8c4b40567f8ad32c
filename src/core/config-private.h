/* config-private.h: what the files of the configuration share: the option table, the
 * parser state a value parser sees, and the helpers that report errors and quote values.
 * Not for use outside src/core/config*.c. The files, in layers: each calls only the files
 * listed before it.
 *   config-common.c   the parser's errors, values quoted back, trimming, home and XDG paths
 *   config-values.c   the value parsers: URLs, paths, durations, teams, hours, keywords
 *   config-token.c    token_command and token, and config_token()
 *   config-keys.c     [keys] and [colors]
 *   config-options.c  the option table, naming the parsers
 *   config.c          the reader: sections, queues, defaults, config_load()
 *   config-doc.c      frontline.conf(5)'s list of settings from the table
 */
#ifndef FRONTLINE_CONFIG_PRIVATE_H
#define FRONTLINE_CONFIG_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "config.h"

/* A number's macro as a string literal, for the messages and the man page. */
#define STRING_OF(x) #x
#define STRING(x)    STRING_OF(x)

enum config_section {
	CONFIG_SECTION_NONE,
	CONFIG_SECTION_BACKEND,
	CONFIG_SECTION_QUEUE,
	CONFIG_SECTION_NOTIFY,
	CONFIG_SECTION_STATE,
	CONFIG_SECTION_KEYS,
	CONFIG_SECTION_COLORS,
	CONFIG_SECTION_SLA,
	CONFIG_SECTION_UI
};

/* What a value parser sees of the file being read; config.c's reader keeps the rest. */
struct config_parser {
	struct config *c;
	const char *shown; /* the file's name in messages, with ~ for the home directory */
	FILE *file;
	mode_t mode;
	int line;
	enum config_section section;
	size_t queue;	  /* the current [queue NAME] */
	size_t sla;	  /* the current [sla NAME] */
	bool own_queues;  /* the file's queues have replaced the defaults */
	const char *name; /* the key being parsed, for [keys] */
	char *buf;
	size_t cap;
	bool failed;
	int fail_line;
	char *err;
	size_t errlen;
};

struct config_option;

/* Stores value into field (the option's place in struct config or struct config_queue);
 * returns 0, or -1 after config_option_fail. */
typedef int config_parse_fn(struct config_parser *p, const struct config_option *o, void *field,
			    const char *value);

struct config_option {
	enum config_section section;
	const char *name;
	config_parse_fn *parse;
	size_t offset;	      /* into struct config, or struct config_queue for [queue NAME],
			       * struct config_sla for [sla NAME] */
	const char *value;    /* what it takes, for the man page */
	const char *initial;  /* the default, parsed by config_defaults; NULL: computed or none */
	const char *fallback; /* the default as the man page tells it, when not initial */
	const char *help;
};

/* At least the number of entries of config_options (config-options.c checks it): the size
 * of the reader's "key already seen" arrays. */
#define CONFIG_MAX_OPTIONS 64

/* config-options.c: every option, in the order of the man page. */
extern const struct config_option config_options[];
extern const size_t config_n_options;

/* config-values.c */
config_parse_fn config_parse_backend, config_parse_url, config_parse_region, config_parse_text, config_parse_path,
    config_parse_duration, config_parse_bool, config_parse_teams, config_parse_warn,
    config_parse_hours, config_parse_timezone, config_parse_notify_level, config_parse_osc,
    config_parse_preview, config_parse_size, config_parse_sla_warn,
    config_parse_priority_target, config_parse_delay, config_parse_id;
void config_queue_release_teams(struct config_queue *q);
config_parse_fn config_parse_filter;

/* An option whose name ends in this stands for one key a priority level:
 * first_response.LEVEL matches first_response.urgent. */
#define CONFIG_LEVEL_SUFFIX ".LEVEL"

/* config-token.c */
config_parse_fn config_parse_command, config_parse_token;

/* config-keys.c */
config_parse_fn config_parse_binding, config_parse_color;

/* config-common.c: the parser's error, "file:line: message"; marks the parse failed. */
void config_fail_at(struct config_parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* config_fail_at on the current line, naming the option; returns -1. */
int config_option_fail(struct config_parser *p, const struct config_option *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A value quoted back in a message: cut short, control characters as '?'. Returns buf. */
const char *config_value_shown(char *buf, size_t len, const char *v);
/* s without leading and trailing space; cuts s in place. */
char *config_trim(char *s);
/* Zeroes s (a secret) before freeing it; NULL is fine. */
void config_wipe_free(char *s);
/* Frees *field and stores a copy of value. */
void config_string_replace(char **field, const char *value);
/* $HOME, or the password database's home; NULL when neither is absolute. */
const char *config_home_dir(void);
/* $VARIABLE/leaf, or ~/fallback/leaf when the variable is unset or relative (the XDG
 * base directory rules); NULL without a home directory. The caller frees it. */
char *config_xdg_path(const char *variable, const char *fallback, const char *leaf);
/* path with ~ for the home directory, for messages. The caller frees it. */
char *config_path_shown(const char *path);

#endif
