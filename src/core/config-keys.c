/* config-keys.c: the [keys] section (an action bound to keys as written: a, C-x, F1,
 * Enter...) and the [colors] section (red, bold yellow, white on blue...). */
#include "build-config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config-private.h"
#include "text.h"
#include "util.h"

static const struct {
	const char *name;
	int key;
} key_names[] = {
    {"tab", '\t'},
    {"enter", '\r'},
    {"return", '\r'},
    {"space", ' '},
    {"esc", 27},
    {"escape", 27},
    {"backspace", CONFIG_KEY_BACKSPACE},
    {"delete", CONFIG_KEY_DELETE},
    {"insert", CONFIG_KEY_INSERT},
    {"up", CONFIG_KEY_UP},
    {"down", CONFIG_KEY_DOWN},
    {"left", CONFIG_KEY_LEFT},
    {"right", CONFIG_KEY_RIGHT},
    {"home", CONFIG_KEY_HOME},
    {"end", CONFIG_KEY_END},
    {"pgup", CONFIG_KEY_PGUP},
    {"pgdn", CONFIG_KEY_PGDN},
    {"pageup", CONFIG_KEY_PGUP},
    {"pagedown", CONFIG_KEY_PGDN},
};

/* One key as written: a name, C-x, F1..F12, or one character (UTF-8). */
static int key_parse(const char *s, int *key)
{
	size_t i, len = strlen(s);
	unsigned char c0 = (unsigned char)s[0];
	uint32_t c;
	int n, f;

	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (!strcasecmp(s, key_names[i].name)) {
			*key = key_names[i].key;
			return 0;
		}
	if (len == 3 && (s[0] == 'C' || s[0] == 'c') && s[1] == '-' &&
	    isalpha((unsigned char)s[2])) {
		*key = tolower((unsigned char)s[2]) - 'a' + 1;
		return 0;
	}
	if ((s[0] == 'F' || s[0] == 'f') && sscanf(s + 1, "%d%n", &f, &n) == 1 &&
	    (size_t)n + 1 == len && f >= 1 && f <= 12) {
		*key = CONFIG_KEY_F1 + f - 1;
		return 0;
	}
	/* one character: printable ASCII, or one valid UTF-8 character past the C1 range */
	if (len == 1 && c0 > 0x20 && c0 < 0x7f) {
		*key = c0;
		return 0;
	}
	if (len > 1 && text_utf8_decode((const unsigned char *)s, len, &c) == len && c >= 0xa0) {
		*key = (int)c;
		return 0;
	}
	return -1;
}

/* "[keys] reply: message" on the line being read. */
static int binding_fail(struct config_parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int binding_fail(struct config_parser *p, const char *fmt, ...)
{
	char msg[300], shown[80];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	config_fail_at(p, p->line, "[keys] %s: %s",
		       config_value_shown(shown, sizeof(shown), p->name), msg);
	return -1;
}

int config_parse_binding(struct config_parser *p, const struct config_option *o, void *field,
			 const char *value)
{
	struct config *c = p->c;
	struct config_binding b = {.line = p->line};
	char *copy, *save = NULL, *item, shown[80];
	size_t i;
	int rc = 0;

	(void)field;
	(void)o;
	for (i = 0; i < c->n_bindings; i++)
		if (!strcmp(c->bindings[i].action, p->name))
			return binding_fail(p, "given twice (first on line %d)", c->bindings[i].line);
	if (strcasecmp(value, "none")) {
		copy = xstrdup(value);
		for (item = strtok_r(copy, ",", &save); item && !rc;
		     item = strtok_r(NULL, ",", &save)) {
			item = config_trim(item);
			if (b.n_keys == CONFIG_MAX_KEYS)
				rc = binding_fail(p, "at most %d keys", CONFIG_MAX_KEYS);
			else if (!*item || key_parse(item, &b.keys[b.n_keys++]) < 0)
				rc = binding_fail(
				    p,
				    "\"%s\" is not a key; expected a character, C-x, "
				    "Tab, Enter, Space, Esc, Backspace, Delete, Up, Down, "
				    "Left, Right, Home, End, PgUp, PgDn, F1..F12 or none",
				    config_value_shown(shown, sizeof(shown), item));
		}
		free(copy);
		if (rc)
			return -1;
		if (!b.n_keys)
			return binding_fail(p, "no keys given; write none to leave it without");
	}
	b.action = xstrdup(p->name);
	xgrow(&c->bindings, &c->cap_bindings, c->n_bindings + 1, sizeof(*c->bindings));
	c->bindings[c->n_bindings++] = b;
	return 0;
}

/* ---- [colors] ---- */

static int color_word(const char *w, short *color)
{
	static const char *const names[] = {"black", "red",	"green", "yellow",
					    "blue",  "magenta", "cyan",	 "white"};
	int i, n;
	bool bright = !strncasecmp(w, "bright", 6);

	if (!strcasecmp(w, "default")) {
		*color = -1;
		return 0;
	}
	if (!strncasecmp(w, "color", 5) && sscanf(w + 5, "%d%n", &i, &n) == 1 &&
	    (size_t)n + 5 == strlen(w) && i >= 0 && i <= 255) {
		*color = (short)i;
		return 0;
	}
	if (bright)
		w += 6 + (w[6] == '-' || w[6] == '_');
	for (i = 0; i < 8; i++)
		if (!strcasecmp(w, names[i])) {
			*color = (short)(i + (bright ? 8 : 0));
			return 0;
		}
	return -1;
}

int config_parse_color(struct config_parser *p, const struct config_option *o, void *field,
		       const char *value)
{
	struct config_color col = {.set = true, .fg = -1, .bg = -1};
	char *copy = xstrdup(value), *save = NULL, *w, shown[80];
	int colors = 0, rc = 0;
	bool on = false;

	for (w = strtok_r(copy, " \t", &save); w && !rc; w = strtok_r(NULL, " \t", &save)) {
		if (!strcasecmp(w, "bold"))
			col.bold = true;
		else if (!strcasecmp(w, "underline"))
			col.underline = true;
		else if (!strcasecmp(w, "reverse"))
			col.reverse = true;
		else if (!strcasecmp(w, "on") && colors == 1 && !on)
			on = true;
		else if (colors < 2 && (colors == 0 || on) &&
			 color_word(w, colors ? &col.bg : &col.fg) == 0)
			colors++;
		else
			rc = -1;
	}
	free(copy);
	if (rc || (on && colors != 2) || (!colors && !col.bold && !col.underline && !col.reverse))
		return config_option_fail(p, o,
					  "expected a colour such as red, bold yellow, color208 or "
					  "white on blue, got \"%s\"",
					  config_value_shown(shown, sizeof(shown), value));
	*(struct config_color *)field = col;
	return 0;
}
