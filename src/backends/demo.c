/* demo.c: the built-in demo backend: frontline-sim started as a child process on a free
 * loopback port, with a fresh token kept in a file only the user can read. */
#include "build-config.h"

#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define DEMO_START_TIMEOUT_MS 30000

extern char **environ;

char *demo_find_sim(void)
{
	char self[PATH_MAX], *slash, *candidate;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			candidate = xasprintf("%s/frontline-sim", self);
			if (access(candidate, X_OK) == 0)
				return candidate;
			free(candidate);
		}
	}
	return xstrdup("frontline-sim");
}

char *demo_state_dir(char *err, size_t errlen)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir;

	if (xdg && *xdg == '/')
		dir = xasprintf("%s/frontline", xdg);
	else if (home && *home)
		dir = xasprintf("%s/.local/state/frontline", home);
	else {
		snprintf(err, errlen, "neither XDG_STATE_HOME nor HOME is set: set one of them");
		return NULL;
	}
	if (util_mkdir_p(dir, 0700) != 0) {
		snprintf(err, errlen, "cannot create the state directory %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

/* Writes text to path, readable by the user only, replacing it atomically. */
static int write_private(const char *path, const char *text)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t len = strlen(text);
	int rc = -1;

	if (fd >= 0 && write(fd, text, len) == (ssize_t)len && fsync(fd) == 0)
		rc = 0;
	if (fd >= 0 && close(fd) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int new_token(char *hex, size_t size)
{
	unsigned char raw[24];
	size_t i;

	if (size < 2 * sizeof(raw) + 1 || getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return -1;
	for (i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Waits for the sim to write its port, or to die. */
static int wait_for_port(struct demo *d, const char *port_file, char *err, size_t errlen)
{
	long waited;

	for (waited = 0; waited < DEMO_START_TIMEOUT_MS; waited += 50) {
		char *line = util_read_first_line(port_file);
		long long port;
		int status;

		if (line && util_parse_ll(line, 1, 65535, &port) == 0) {
			free(line);
			d->port = (unsigned)port;
			return 0;
		}
		free(line);
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			d->pid = 0;
			snprintf(err, errlen, "the demo backend (frontline-sim) exited at start; run "
					      "frontline-sim --help to check it works");
			return -1;
		}
		sleep_ms(50);
	}
	snprintf(err, errlen, "the demo backend did not start listening within %d s",
		 DEMO_START_TIMEOUT_MS / 1000);
	return -1;
}

int demo_start(struct demo *d, const char *sim_path, char *err, size_t errlen)
{
	char token[64], *headers, *port_file;
	char *argv[] = {(char *)sim_path, "--port", "0", "--port-file", NULL, "--token-file", NULL,
			"--quiet", NULL};
	int rc;

	memset(d, 0, sizeof(*d));
	d->dir = demo_state_dir(err, errlen);
	if (!d->dir)
		return -1;
	d->token_path = xasprintf("%s/demo-token", d->dir);
	d->headers_path = xasprintf("%s/demo-headers", d->dir);
	port_file = xasprintf("%s/demo-port", d->dir);
	unlink(port_file);
	if (new_token(token, sizeof(token)) < 0) {
		snprintf(err, errlen, "cannot make a random token: %s", strerror(errno));
		free(port_file);
		demo_stop(d);
		return -1;
	}
	headers = xasprintf("Authorization: Bearer %s\nIntercom-Version: 2.16\n"
			    "Content-Type: application/json\n", token);
	rc = write_private(d->token_path, token) | write_private(d->headers_path, headers);
	explicit_bzero(token, sizeof(token));
	explicit_bzero(headers, strlen(headers));
	free(headers);
	if (rc != 0) {
		snprintf(err, errlen, "cannot write the demo token in %s: %s", d->dir, strerror(errno));
		free(port_file);
		demo_stop(d);
		return -1;
	}
	argv[4] = port_file;
	argv[6] = d->token_path;
	rc = posix_spawnp(&d->pid, sim_path, NULL, NULL, argv, environ);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start %s: %s (is frontline-sim installed?)", sim_path,
			 strerror(rc));
		d->pid = 0;
		free(port_file);
		demo_stop(d);
		return -1;
	}
	rc = wait_for_port(d, port_file, err, errlen);
	unlink(port_file);
	free(port_file);
	if (rc < 0) {
		demo_stop(d);
		return -1;
	}
	d->url = xasprintf("http://127.0.0.1:%u", d->port);
	return 0;
}

void demo_stop(struct demo *d)
{
	int status;

	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		while (waitpid(d->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	free(d->url);
	free(d->token_path);
	free(d->headers_path);
	free(d->dir);
	memset(d, 0, sizeof(*d));
}
