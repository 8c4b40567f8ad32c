/* config-token.c: the API token, from the environment, a private configuration file or
 * a command run without a shell; and the checks of token and token_command in the file. */
#include "build-config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wordexp.h>

#include "config-private.h"
#include "util.h"

extern char **environ;

/* A bearer token goes into an HTTP header: anything but visible ASCII could split it. */
static bool token_is_valid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e)
			return false;
	return true;
}

/* Splits command into words as a shell would, without running anything: no command
 * substitution, and no unset variables; WRDE_SHOWERR is left out so that wordexp's own
 * shell says nothing on stderr. Returns 0 (the caller calls wordfree), or -1 with why. */
static int command_split(const char *command, wordexp_t *words, const char **why)
{
	int rc = wordexp(command, words, WRDE_NOCMD | WRDE_UNDEF);

	switch (rc) {
	case 0:
		if (words->we_wordc > 0)
			return 0;
		wordfree(words);
		*why = "names no program";
		return -1;
	case WRDE_BADCHAR:
		*why = "holds one of | & ; < > ( ) { } or a newline outside quotes; it runs "
		       "without a shell, so put a pipeline in a script and name the script";
		return -1;
	case WRDE_BADVAL:
		*why = "uses an environment variable that is not set";
		return -1;
	case WRDE_CMDSUB:
		*why = "uses command substitution ($(...) or backquotes), which is refused; "
		       "name the program and its arguments directly";
		return -1;
	case WRDE_NOSPACE:
		wordfree(words);
		*why = "could not be split: out of memory";
		return -1;
	default:
		*why = "has unbalanced quotes or brackets";
		return -1;
	}
}

int config_parse_command(struct config_parser *p, const struct config_option *o, void *field,
			 const char *value)
{
	wordexp_t words;
	const char *why;

	if (command_split(value, &words, &why) < 0)
		return config_option_fail(p, o, "the command %s", why);
	wordfree(&words);
	config_string_replace(field, value);
	return 0;
}

/* Never quotes the value: it is a secret. */
int config_parse_token(struct config_parser *p, const struct config_option *o, void *field,
		       const char *value)
{
	if (p->mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH))
		return config_option_fail(
		    p, o,
		    "refused: other users can read or change this file (mode %04o); "
		    "run chmod 600 %s, or give the token with token_command or "
		    "$FRONTLINE_TOKEN instead",
		    (unsigned)(p->mode & 07777), p->shown);
	if (!token_is_valid(value))
		return config_option_fail(
		    p, o, "the token is empty or holds spaces or control characters");
	config_wipe_free(*(char **)field);
	*(char **)field = xstrdup(value);
	return 0;
}

/* Milliseconds on a clock that never goes back. */
static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum command_read {
	COMMAND_READ_OK,       /* the output ended: line holds its first line */
	COMMAND_READ_TOO_LONG, /* the first line does not fit */
	COMMAND_READ_HUNG,     /* the deadline came first; line holds what came, maybe "" */
};

/* The first line of what fd delivers, read to the end (so the command never dies of
 * SIGPIPE) or until the deadline (monotonic_ms). Wipes what it does not return. */
static enum command_read command_read_line(int fd, char *line, size_t size, int64_t deadline)
{
	char scratch[512];
	size_t len = 0, room;
	ssize_t n = 0;
	char *to, *newline;
	bool hung = false;

	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int64_t left = deadline - monotonic_ms();
		int ready;

		if (left <= 0) {
			hung = true;
			break;
		}
		/* read only what poll says is there: a read could wait past the deadline */
		ready = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
		if (ready == 0 || (ready < 0 && errno == EINTR))
			continue;
		if (ready < 0)
			break;
		to = len < size - 1 ? line + len : scratch;
		room = len < size - 1 ? size - 1 - len : sizeof(scratch);
		n = read(fd, to, room);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		if (to == line)
			len += (size_t)n;
	}
	explicit_bzero(scratch, sizeof(scratch));
	line[len] = '\0';
	newline = strchr(line, '\n');
	if (!newline && len == size - 1) {
		explicit_bzero(line, size);
		return COMMAND_READ_TOO_LONG;
	}
	if (newline)
		explicit_bzero(newline, len - (size_t)(newline - line));
	len = strlen(line);
	while (len > 0 && isspace((unsigned char)line[len - 1]))
		line[--len] = '\0';
	if (hung && !newline)
		line[0] = '\0'; /* a line still being written is no token */
	return hung ? COMMAND_READ_HUNG : COMMAND_READ_OK;
}

/* Waits for pid until the deadline; returns 0 with its status, or -1 when it is still
 * running (or cannot be waited for). */
static int command_wait(pid_t pid, int *status, int64_t deadline)
{
	for (;;) {
		pid_t got = waitpid(pid, status, WNOHANG);

		if (got == pid)
			return 0;
		if (got < 0 && errno != EINTR)
			return -1;
		if (got == 0 && monotonic_ms() >= deadline)
			return -1;
		if (got == 0)
			(void)poll(NULL, 0, 10);
	}
}

/* Stops a command that outlived its time, and collects it. */
static void command_stop(pid_t pid)
{
	int status;

	(void)kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* Runs the command without a shell, stdout into a pipe; stdin and stderr stay the
 * user's, so that a password prompt (pass, gpg) still works. It has timeout seconds to
 * print the token and exit; then it is stopped. Never says what it printed. */
static char *command_run(const char *command, int64_t timeout, char *err, size_t errlen)
{
	posix_spawn_file_actions_t actions;
	char line[4096], *token = NULL;
	const char *why;
	wordexp_t words;
	int fds[2], rc, status;
	enum command_read got;
	int64_t deadline;
	pid_t pid;

	if (command_split(command, &words, &why) < 0) {
		snprintf(err, errlen, "token_command \"%s\" %s", command, why);
		return NULL;
	}
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot run token_command: pipe: %s", strerror(errno));
		wordfree(&words);
		return NULL;
	}
	rc = posix_spawn_file_actions_init(&actions);
	if (!rc) {
		rc = posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
		if (!rc)
			rc = posix_spawnp(&pid, words.we_wordv[0], &actions, NULL, words.we_wordv,
					  environ);
		posix_spawn_file_actions_destroy(&actions);
	}
	(void)close(fds[1]); /* the child's copy is the one that matters */
	wordfree(&words);
	if (rc) {
		(void)close(fds[0]);
		snprintf(err, errlen, "cannot run token_command \"%s\": %s", command, strerror(rc));
		return NULL;
	}
	deadline = monotonic_ms() + timeout * 1000;
	got = command_read_line(fds[0], line, sizeof(line), deadline);
	(void)close(fds[0]);
	/* A command that holds its output open, or keeps running after it, is stopped. */
	if (got == COMMAND_READ_HUNG || command_wait(pid, &status, deadline) < 0) {
		command_stop(pid);
		snprintf(err, errlen,
			 "token_command \"%s\" %s within %llds, so it was stopped and its output "
			 "is not used; it must print the token and exit (token_timeout under "
			 "[backend] gives it longer)",
			 command,
			 line[0] ? "printed a line but did not exit"
				 : "printed no token and did not exit",
			 (long long)timeout);
		goto out;
	}
	if (WIFSIGNALED(status))
		snprintf(err, errlen,
			 "token_command \"%s\" was killed by signal %d; its output is "
			 "not shown",
			 command, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		snprintf(err, errlen,
			 "token_command \"%s\" failed with exit status %d; its output "
			 "is not shown",
			 command, WEXITSTATUS(status));
	else if (got == COMMAND_READ_OK && !line[0])
		snprintf(err, errlen, "token_command \"%s\" printed no token on its first line",
			 command);
	else if (got == COMMAND_READ_TOO_LONG || !token_is_valid(line))
		snprintf(
		    err, errlen,
		    "token_command \"%s\" printed a first line that cannot be a token "
		    "(too long, or with spaces or control characters); its output is not shown",
		    command);
	else
		token = xstrdup(line);
out:
	explicit_bzero(line, sizeof(line));
	return token;
}

/* Takes the token out of the environment once read: zeroed where it lies (so that
 * /proc/PID/environ no longer shows it) and unset (so that no child, the editor or a
 * notification command, inherits it). */
static void token_env_wipe(void)
{
	char *env = getenv("FRONTLINE_TOKEN");

	if (env)
		explicit_bzero(env, strlen(env));
	if (unsetenv("FRONTLINE_TOKEN") != 0)
		die("cannot remove FRONTLINE_TOKEN from the environment");
}

char *config_token(const struct config *c, char *err, size_t errlen)
{
	const char *env = getenv("FRONTLINE_TOKEN");
	char *path, *shown, *token;

	if (env && *env) {
		token = token_is_valid(env) ? xstrdup(env) : NULL;
		token_env_wipe();
		if (!token)
			snprintf(err, errlen,
				 "$FRONTLINE_TOKEN holds spaces or control characters, so it "
				 "cannot be a token");
		return token;
	}
	if (c->token)
		return xstrdup(c->token);
	if (c->token_command)
		return command_run(c->token_command, c->token_timeout, err, errlen);
	path = c->path ? xstrdup(c->path)
		       : config_xdg_path("XDG_CONFIG_HOME", ".config", "frontline/config");
	shown = config_path_shown(path ? path : "~/.config/frontline/config");
	snprintf(err, errlen,
		 "no API token: set $FRONTLINE_TOKEN, or add a token_command "
		 "under [backend] in %s, e.g. token_command = pass show intercom",
		 shown);
	free(shown);
	free(path);
	return NULL;
}
