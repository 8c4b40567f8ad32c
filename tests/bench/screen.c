/* screen.c: measures frontline's screen through a real pseudo-terminal, as an agent's
 * terminal sees it. The program runs frontline on a pty of the given size, feeds every
 * byte it writes to libvterm (a terminal emulator library) and reads the emulated screen:
 *
 *   1. time from start to a complete first screen: both panes' titles count N open (and,
 *      with SCREEN_READY_TEXT set, the screen shows that text);
 *   2. idle: bytes written to the terminal per second, and CPU (% of a core), over S s;
 *   3. key latency: K keys (j k G g Tab, in turn) each written between two ticks of the
 *      1 Hz clock; the time from the write to the last byte of the update it causes.
 *
 * Prints one line: "ready_ms R idle_bytes_per_s B idle_cpu_pct C keys K p50_ms X
 * p99_ms Y max_ms Z lost L". The token reaches frontline through the environment, never
 * argv. With SCREEN_DEBUG set, each key's time goes to stderr.
 * Usage: screen COLS ROWS N IDLE_SECONDS KEYS PROGRAM [ARG...] */
#include "build-config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

#include "bench.h"

#define QUIET_MS 4.0	/* an update is over when the terminal hears nothing this long */
#define TIMEOUT_MS 1000 /* a key with no answer this long is lost */

struct term {
	int fd;
	pid_t pid;
	VTerm *vt;
	VTermScreen *screen;
	int rows, cols;
	unsigned long long bytes;
	bool dead;
};

/* Reads what the terminal has within timeout_ms (0: only what is there); returns the
 * bytes read, 0 on timeout, -1 once frontline is gone. */
static long pump(struct term *t, int timeout_ms)
{
	struct pollfd p = {.fd = t->fd, .events = POLLIN};
	char buf[65536];
	ssize_t n, got;
	int r;

	r = poll(&p, 1, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -1;
	if (r == 0)
		return 0;
	n = read(t->fd, buf, sizeof(buf));
	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		t->dead = true;
		return -1;
	}
	got = n;
	t->bytes += (unsigned long long)n;
	vterm_input_write(t->vt, buf, (size_t)n);
	/* Answers to the program's queries (cursor position, attributes) go back to it. */
	while ((n = (ssize_t)vterm_output_read(t->vt, buf, sizeof(buf))) > 0)
		if (write(t->fd, buf, (size_t)n) < 0)
			break;
	return (long)got;
}

/* The sum of "N open" over the screen's first row (and, stacked, any row). */
/* The emulated screen's text, rows joined (a static buffer). */
static const char *screen_text(struct term *t)
{
	static char text[1 << 16];
	VTermRect rect = {.start_row = 0, .end_row = t->rows, .start_col = 0, .end_col = t->cols};
	size_t len = vterm_screen_get_text(t->screen, text, sizeof(text) - 1, rect);

	text[len < sizeof(text) ? len : sizeof(text) - 1] = '\0';
	return text;
}

static long screen_open_count(struct term *t)
{
	const char *text = screen_text(t), *s, *d;
	long sum = 0;

	for (s = text; (s = strstr(s, " open")); s++) {
		d = s;
		while (d > text && d[-1] >= '0' && d[-1] <= '9')
			d--;
		if (d < s)
			sum += strtol(d, NULL, 10);
	}
	return sum;
}

/* A complete first screen: N open counted, and the text $SCREEN_READY_TEXT names (e.g.
 * the status bar's "live") when it is set. */
static bool screen_ready(struct term *t, long need)
{
	const char *want = getenv("SCREEN_READY_TEXT");

	return screen_open_count(t) >= need && (!want || strstr(screen_text(t), want));
}

/* CPU time of a process so far, all threads, in ms: the scheduler's nanosecond
 * accounting (the clock ticks of /proc/PID/stat move in 10 ms steps). -1 on error. */
static double cpu_ms(pid_t pid)
{
	char pattern[64];
	unsigned long long ns, sum = 0;
	glob_t g;
	size_t i;

	snprintf(pattern, sizeof(pattern), "/proc/%d/task/*/schedstat", (int)pid);
	if (glob(pattern, 0, NULL, &g) != 0)
		return -1;
	for (i = 0; i < g.gl_pathc; i++) {
		FILE *f = fopen(g.gl_pathv[i], "r");

		if (f && fscanf(f, "%llu", &ns) == 1)
			sum += ns;
		if (f)
			fclose(f);
	}
	globfree(&g);
	return (double)sum / 1e6;
}

/* Waits until the wall clock is between 200 and 700 ms into a second, away from the tick. */
static void between_ticks(struct term *t)
{
	for (;;) {
		struct timespec ts;
		long ms;

		clock_gettime(CLOCK_REALTIME, &ts);
		ms = ts.tv_nsec / 1000000;
		if (ms >= 200 && ms < 700)
			return;
		pump(t, ms < 200 ? (int)(200 - ms) : (int)(1200 - ms));
	}
}

/* Reads until QUIET_MS pass without a byte; returns the time of the last byte, or -1 if
 * nothing came within TIMEOUT_MS. */
static double settle(struct term *t, double since)
{
	double last = -1;

	for (;;) {
		double wait = last < 0 ? TIMEOUT_MS - (now_ms() - since) : QUIET_MS - (now_ms() - last);
		unsigned long long before = t->bytes;

		if (wait <= 0)
			return last;
		if (pump(t, (int)(wait + 0.999)) < 0)
			return last;
		if (t->bytes != before)
			last = now_ms();
	}
}

int main(int argc, char **argv)
{
	static const char keys[] = {'j', 'k', 'G', 'g'};
	struct winsize ws = {0};
	struct term t = {0};
	double start, ready = -1, *lat, c0, c1, b0, idle_bytes, idle_cpu;
	long need, idle_s, n_keys, i, lost = 0, n_lat = 0;

	if (argc < 7) {
		fprintf(stderr, "usage: screen COLS ROWS N IDLE_SECONDS KEYS PROGRAM [ARG...]\n");
		return 2;
	}
	t.cols = atoi(argv[1]);
	t.rows = atoi(argv[2]);
	need = atol(argv[3]);
	idle_s = atol(argv[4]);
	n_keys = atol(argv[5]);
	if (t.cols < 20 || t.rows < 5 || need < 0 || idle_s < 1 || n_keys < 1) {
		fprintf(stderr, "screen: bad arguments\n");
		return 2;
	}
	if (!(lat = calloc((size_t)n_keys, sizeof(*lat)))) {
		perror("screen");
		return 1;
	}
	ws.ws_col = (unsigned short)t.cols;
	ws.ws_row = (unsigned short)t.rows;
	start = now_ms();
	t.pid = forkpty(&t.fd, NULL, NULL, &ws);
	if (t.pid < 0) {
		perror("screen: forkpty");
		return 1;
	}
	if (t.pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		execvp(argv[6], argv + 6);
		perror("screen: exec");
		_exit(127);
	}
	t.vt = vterm_new(t.rows, t.cols);
	vterm_set_utf8(t.vt, 1);
	t.screen = vterm_obtain_screen(t.vt);
	vterm_screen_reset(t.screen, 1);

	/* 1. A complete first screen. */
	while (!t.dead && now_ms() - start < 600000) {
		pump(&t, 100);
		if (screen_ready(&t, need)) {
			ready = now_ms() - start;
			break;
		}
	}
	if (ready < 0) {
		fprintf(stderr, "screen: no complete first screen (%ld of %ld open shown)\n",
			screen_open_count(&t), need);
		goto out;
	}
	/* Let the first screen's aftermath (article sync, status) pass. */
	for (i = 0; i < 20 && !t.dead; i++)
		pump(&t, 100);

	/* 2. Idle. */
	b0 = (double)t.bytes;
	c0 = cpu_ms(t.pid);
	{
		double end = now_ms() + (double)idle_s * 1000.0;

		while (!t.dead && now_ms() < end)
			pump(&t, (int)(end - now_ms()) + 1);
	}
	c1 = cpu_ms(t.pid);
	idle_bytes = ((double)t.bytes - b0) / (double)idle_s;
	idle_cpu = (c1 - c0) / ((double)idle_s * 10.0);

	/* 3. Keys. */
	for (i = 0; i < n_keys && !t.dead; i++) {
		char k = keys[i % (long)sizeof(keys)];
		double sent, last;

		between_ticks(&t);
		while (pump(&t, 0) > 0)
			;
		sent = now_ms();
		if (write(t.fd, &k, 1) != 1)
			break;
		last = settle(&t, sent);
		if (getenv("SCREEN_DEBUG"))
			fprintf(stderr, "key %c: %.2f ms\n", k == '\t' ? 'T' : k, last < 0 ? -1 : last - sent);
		if (last < 0)
			lost++;
		else
			lat[n_lat++] = last - sent;
	}
	if (n_lat == 0) {
		fprintf(stderr, "screen: no key was answered\n");
		ready = -1;
		goto out;
	}
	qsort(lat, (size_t)n_lat, sizeof(*lat), compare);
	printf("ready_ms %.0f idle_bytes_per_s %.0f idle_cpu_pct %.2f keys %ld p50_ms %.2f "
	       "p99_ms %.2f max_ms %.2f lost %ld\n",
	       ready, idle_bytes, idle_cpu, n_lat, lat[n_lat / 2],
	       lat[(size_t)((double)(n_lat - 1) * 0.99)], lat[n_lat - 1], lost);
out:
	if (!t.dead) {
		if (write(t.fd, "q", 1) == 1)
			pump(&t, 200);
		kill(t.pid, SIGTERM);
	}
	waitpid(t.pid, NULL, 0);
	vterm_free(t.vt);
	free(lat);
	return ready < 0 ? 1 : 0;
}
