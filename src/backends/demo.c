/* demo.c: the built-in demo backend: one frontline-sim per user, started detached by the
 * first frontline --demo and found again by the next ones, with a fresh token kept in a
 * file only the user can read.
 *
 * In the demo's state directory: start.lock (held while one process checks or starts the
 * sim, so two never start two), users.lock (held shared by every frontline using the
 * sim; the sim stops for idleness only when it can take it exclusively), sim.pid ("PID
 * PORT" of the last sim started), port (written by the sim once it listens, removed when
 * it stops for idleness), token, headers, world.db and sim.log (its standard error). */
#include "build-config.h"

#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define DEMO_START_TIMEOUT_MS 30000
#define DEMO_STOP_TIMEOUT_MS  10000
/* Longer than a start, so that a process waiting for another one's start sees it end. */
#define DEMO_LOCK_TIMEOUT_MS 45000

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

/* Whether backend names the Intercom demo, the one in state_dir/demo. */
static bool intercom_demo(const char *backend)
{
	return !backend || !strcmp(backend, "intercom");
}

char *demo_dir(const char *state_dir, const char *backend, char *err, size_t errlen)
{
	char *dir;

	if (!state_dir) {
		snprintf(err, errlen,
			 "no state directory for the demo: set XDG_STATE_HOME or HOME");
		return NULL;
	}
	dir = intercom_demo(backend) ? xasprintf("%s/demo", state_dir)
				     : xasprintf("%s/demo-%s", state_dir, backend);
	if (util_mkdir_p(dir, 0700) != 0) {
		snprintf(err, errlen, "cannot create the demo's state directory %s: %s", dir,
			 strerror(errno));
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

/* /proc/PID/name into buf, NUL-terminated: its length, or -1. */
static ssize_t read_proc(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[64];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (ssize_t)n;
}

/* Whether pid is a process that has not ended (a zombie has). */
static bool pid_running(pid_t pid)
{
	char buf[512], *paren;

	if (pid <= 0 || read_proc(pid, "stat", buf, sizeof(buf)) < 0)
		return false;
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

/* Whether pid is a running frontline-sim of this user writing port_file: its process
 * belongs to us and one of its arguments is that file. */
static bool pid_is_our_sim(pid_t pid, const char *port_file)
{
	char path[64], buf[8192];
	struct stat st;
	ssize_t n, at;

	if (!pid_running(pid))
		return false;
	snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
	if (stat(path, &st) != 0 || st.st_uid != getuid())
		return false;
	n = read_proc(pid, "cmdline", buf, sizeof(buf));
	for (at = 0; at < n; at += (ssize_t)strlen(buf + at) + 1)
		if (!strcmp(buf + at, port_file))
			return true;
	return false;
}

/* Opens dir/name (created 0600) and locks it (flock operation), waiting at most
 * DEMO_LOCK_TIMEOUT_MS for another process to let go. Returns the descriptor, or -1 with
 * a message in err. */
static int lock_file(const char *dir, const char *name, int operation, char *err, size_t errlen)
{
	char *path = xasprintf("%s/%s", dir, name);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	long waited = 0;

	if (fd < 0)
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
	while (fd >= 0 && flock(fd, operation | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			snprintf(err, errlen, "cannot lock %s: %s", path, strerror(errno));
		} else if (waited >= DEMO_LOCK_TIMEOUT_MS) {
			snprintf(err, errlen,
				 "the demo backend was still starting or stopping after "
				 "%d s (%s is locked); try again, or frontline --demo stop",
				 DEMO_LOCK_TIMEOUT_MS / 1000, path);
		} else {
			sleep_ms(50);
			waited += 50;
			continue;
		}
		close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

/* The last sim started: its pid and port from dir/sim.pid; 0 when there is none. */
static int read_pid_file(const char *dir, pid_t *pid, unsigned *port)
{
	char *path = xasprintf("%s/sim.pid", dir), *line = util_read_first_line(path);
	long p = 0;
	unsigned q = 0;
	int rc = line && sscanf(line, "%ld %u", &p, &q) == 2 && p > 0 && q > 0 && q < 65536;

	*pid = rc ? (pid_t)p : 0;
	*port = rc ? q : 0;
	free(line);
	free(path);
	return rc;
}

/* Runs argv detached from this process: in a session of its own, standard input and
 * output on /dev/null, standard error appended to log_path, and reparented (the
 * intermediate child ends at once) so that nobody has to wait for it. Returns its pid,
 * or -1 with errno set. */
static pid_t spawn_detached(char *const argv[], const char *log_path)
{
	int fds[2], status, saved;
	pid_t child, sim = -1;
	ssize_t n;

	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	child = fork();
	if (child == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		int log = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		pid_t grandchild;

		if (setsid() < 0 || null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
		    dup2(log >= 0 ? log : null, 2) < 0)
			_exit(127);
		grandchild = fork();
		if (grandchild == 0) {
			execvp(argv[0], argv);
			_exit(127);
		}
		n = write(fds[1], &grandchild, sizeof(grandchild));
		_exit(n == (ssize_t)sizeof(grandchild) && grandchild > 0 ? 0 : 127);
	}
	saved = errno;
	close(fds[1]);
	if (child > 0) {
		while ((n = read(fds[0], &sim, sizeof(sim))) < 0 && errno == EINTR)
			;
		if (n != (ssize_t)sizeof(sim))
			sim = -1;
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		saved = sim > 0 ? 0 : ECHILD;
	}
	close(fds[0]);
	errno = saved;
	return sim;
}

/* Starts the sim on port (0: a free one) and waits until it listens. 0, or -1 with a
 * message in err (1 when it exited at start, perhaps for a port in use). */
static int launch(struct demo *d, const char *sim_path, const char *backend, unsigned port,
		  char *err, size_t errlen)
{
	char port_arg[16], idle_arg[24], *port_file = xasprintf("%s/port", d->dir);
	char *db = xasprintf("%s/world.db", d->dir), *lock = xasprintf("%s/users.lock", d->dir);
	char *log = xasprintf("%s/sim.log", d->dir), *pid_path = xasprintf("%s/sim.pid", d->dir);
	const char *idle = getenv("FRONTLINE_DEMO_IDLE");
	long long idle_s = DEMO_IDLE_EXIT_S;
	char *argv[] = {(char *)sim_path, "--port", port_arg, "--port-file", port_file,
			"--token-file", d->token_path, "--db", db, "--idle-exit", idle_arg,
			"--idle-lock", lock, "--quiet", "--dialect",
			(char *)(intercom_demo(backend) ? "intercom" : backend), NULL};
	char pid_line[48];
	long waited;
	int rc = -1;

	if (idle && util_parse_ll(idle, 1, 365LL * 24 * 3600, &idle_s) < 0)
		idle_s = DEMO_IDLE_EXIT_S;
	snprintf(port_arg, sizeof(port_arg), "%u", port);
	snprintf(idle_arg, sizeof(idle_arg), "%lld", idle_s);
	unlink(port_file);
	d->pid = spawn_detached(argv, log);
	if (d->pid < 0) {
		snprintf(err, errlen, "cannot start %s: %s (is frontline-sim installed?)", sim_path,
			 strerror(errno));
		goto out;
	}
	for (waited = 0; waited < DEMO_START_TIMEOUT_MS; waited += 50) {
		char *line = util_read_first_line(port_file);
		long long p;

		if (line && util_parse_ll(line, 1, 65535, &p) == 0) {
			free(line);
			d->port = (unsigned)p;
			snprintf(pid_line, sizeof(pid_line), "%ld %u\n", (long)d->pid, d->port);
			rc = write_private(pid_path, pid_line);
			if (rc != 0)
				snprintf(err, errlen, "cannot write %s: %s", pid_path,
					 strerror(errno));
			goto out;
		}
		free(line);
		if (!pid_running(d->pid)) {
			snprintf(err, errlen,
				 "the demo backend (frontline-sim) exited at start; "
				 "see %s, or run frontline-sim --help to check it works",
				 log);
			rc = 1;
			goto out;
		}
		sleep_ms(50);
	}
	snprintf(err, errlen, "the demo backend did not start listening within %d s; see %s",
		 DEMO_START_TIMEOUT_MS / 1000, log);
	kill(d->pid, SIGTERM);
out:
	free(port_file);
	free(db);
	free(lock);
	free(log);
	free(pid_path);
	return rc;
}

/* The token for a sim about to start, in d->token_path and d->headers_path: the one
 * already there (a frontline still running from a sim stopped since goes on with the
 * next), or a fresh one. */
static int write_token(struct demo *d, const char *backend, char *err, size_t errlen)
{
	char token[64], *headers, *old = util_read_first_line(d->token_path);
	bool keep = old && *old && access(d->headers_path, R_OK) == 0;
	int rc;

	if (old) {
		explicit_bzero(old, strlen(old));
		free(old);
	}
	if (keep)
		return 0;
	if (new_token(token, sizeof(token)) < 0) {
		snprintf(err, errlen, "cannot make a random token: %s", strerror(errno));
		return -1;
	}
	headers = intercom_demo(backend)
		      ? xasprintf("Authorization: Bearer %s\nIntercom-Version: 2.16\n"
				  "Content-Type: application/json\n", token)
		      : xasprintf("api_access_token: %s\nContent-Type: application/json\n", token);
	rc = write_private(d->token_path, token) | write_private(d->headers_path, headers);
	explicit_bzero(token, sizeof(token));
	explicit_bzero(headers, strlen(headers));
	free(headers);
	if (rc != 0)
		snprintf(err, errlen, "cannot write the demo token in %s: %s", d->dir, strerror(errno));
	return rc;
}

/* With start.lock held: the running sim, or a new one (on its last port if it is free). */
static int find_or_launch(struct demo *d, const char *sim_path, const char *backend, char *err,
			  size_t errlen)
{
	char *port_file = xasprintf("%s/port", d->dir), *line;
	unsigned last_port;
	long long port;
	int rc;

	if (read_pid_file(d->dir, &d->pid, &last_port) && pid_is_our_sim(d->pid, port_file) &&
	    (line = util_read_first_line(port_file)) != NULL) {
		rc = util_parse_ll(line, 1, 65535, &port);
		free(line);
		if (rc == 0 && access(d->token_path, R_OK) == 0) {
			free(port_file);
			d->port = (unsigned)port;
			return 0;
		}
	}
	free(port_file);
	if (write_token(d, backend, err, errlen) < 0)
		return -1;
	/* The last port first: the outbox's items name the backend by its URL. */
	rc = last_port ? launch(d, sim_path, backend, last_port, err, errlen) : 1;
	if (rc > 0)
		rc = launch(d, sim_path, backend, 0, err, errlen);
	return rc == 0 ? 0 : -1;
}

int demo_start(struct demo *d, const char *state_dir, const char *sim_path, const char *backend,
	       char *err, size_t errlen)
{
	int start_fd, rc;

	memset(d, 0, sizeof(*d));
	d->users_fd = -1;
	d->dir = demo_dir(state_dir, backend, err, errlen);
	if (!d->dir)
		return -1;
	d->token_path = xasprintf("%s/token", d->dir);
	d->headers_path = xasprintf("%s/headers", d->dir);
	/* Shared first: from here on the sim does not stop for idleness. */
	d->users_fd = lock_file(d->dir, "users.lock", LOCK_SH, err, errlen);
	start_fd = d->users_fd < 0 ? -1 : lock_file(d->dir, "start.lock", LOCK_EX, err, errlen);
	if (start_fd < 0) {
		demo_release(d);
		return -1;
	}
	rc = find_or_launch(d, sim_path, backend, err, errlen);
	close(start_fd);
	if (rc < 0) {
		demo_release(d);
		return -1;
	}
	d->url = xasprintf("http://127.0.0.1:%u", d->port);
	return 0;
}

void demo_release(struct demo *d)
{
	if (d->users_fd >= 0)
		close(d->users_fd);
	free(d->url);
	free(d->token_path);
	free(d->headers_path);
	free(d->dir);
	memset(d, 0, sizeof(*d));
	d->users_fd = -1;
}

int demo_stop(const char *state_dir, const char *backend, pid_t *pid, char *err, size_t errlen)
{
	char *dir = demo_dir(state_dir, backend, err, errlen), *port_file;
	unsigned port;
	long waited;
	int start_fd, rc = 0;

	*pid = 0;
	if (!dir)
		return -1;
	start_fd = lock_file(dir, "start.lock", LOCK_EX, err, errlen);
	if (start_fd < 0) {
		free(dir);
		return -1;
	}
	port_file = xasprintf("%s/port", dir);
	if (read_pid_file(dir, pid, &port) && pid_is_our_sim(*pid, port_file)) {
		kill(*pid, SIGTERM);
		for (waited = 0; pid_running(*pid) && waited < DEMO_STOP_TIMEOUT_MS; waited += 50)
			sleep_ms(50);
		rc = 1;
		if (pid_running(*pid)) {
			snprintf(err, errlen, "the demo backend (pid %ld) did not stop within %d s",
				 (long)*pid, DEMO_STOP_TIMEOUT_MS / 1000);
			rc = -1;
		}
	}
	if (rc >= 0)
		unlink(port_file);
	if (rc == 0)
		*pid = 0;
	close(start_fd);
	free(port_file);
	free(dir);
	return rc;
}
