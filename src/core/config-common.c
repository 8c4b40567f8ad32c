/* config-common.c: what every file of the configuration uses: the parser's errors, values
 * quoted back in messages, trimming, secrets wiped, and the home and XDG directories. It
 * calls nothing in the other config files, so the value parsers below the option table
 * and the reader above it both build on it. */
#include "build-config.h"

#include <ctype.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config-private.h"
#include "util.h"

void config_fail_at(struct config_parser *p, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(p->err, p->errlen, "%s:%d: %s", p->shown, line, msg);
	else
		snprintf(p->err, p->errlen, "%s: %s", p->shown, msg);
	p->failed = true;
	p->fail_line = line;
}

int config_option_fail(struct config_parser *p, const struct config_option *o, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	config_fail_at(p, p->line, "%s: %s", o->name, msg);
	return -1;
}

/* A value quoted back in a message: cut short, control characters as '?', so that a stray
 * byte in the file cannot drive the terminal the message is shown on. */
const char *config_value_shown(char *buf, size_t len, const char *v)
{
	size_t i;

	for (i = 0; v[i] && i + 4 < len; i++)
		buf[i] = iscntrl((unsigned char)v[i]) ? '?' : v[i];
	if (v[i])
		buf[i++] = '.', buf[i++] = '.', buf[i++] = '.';
	buf[i] = '\0';
	return buf;
}

char *config_trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

void config_wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void config_string_replace(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

const char *config_home_dir(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home && home[0] == '/')
		return home;
	pw = getpwuid(getuid());
	return pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
}

/* $VARIABLE/leaf, or ~/fallback/leaf when the variable is unset or relative (the XDG
 * base directory rules); NULL without a home directory. The caller frees it. */
char *config_xdg_path(const char *variable, const char *fallback, const char *leaf)
{
	const char *base = getenv(variable);
	const char *home;

	if (base && base[0] == '/')
		return xasprintf("%s/%s", base, leaf);
	home = config_home_dir();
	return home ? xasprintf("%s/%s/%s", home, fallback, leaf) : NULL;
}

char *config_path_shown(const char *path)
{
	const char *home = config_home_dir();
	size_t n = home ? strlen(home) : 0;

	if (n > 1 && !strncmp(path, home, n) && path[n] == '/')
		return xasprintf("~%s", path + n);
	return xstrdup(path);
}
