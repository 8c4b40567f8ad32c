/* demo.h: the built-in demo backend: one frontline-sim per user, shared by every
 * frontline --demo, with its world, token, drafts and outbox in a state directory of its
 * own. The first frontline --demo starts it on a loopback port, later ones find it by
 * its pid file; it stops by itself once no frontline has used it for a while. */
#ifndef FRONTLINE_DEMO_H
#define FRONTLINE_DEMO_H

#include <stddef.h>
#include <sys/types.h>

/* The admin the demo acts as, whatever the configuration names: the demo workspace's
 * token owner, one of its several agents. */
#define DEMO_ADMIN "maya.patel@example.com"

/* The account of the demo's Chatwoot dialect (frontline --demo --backend chatwoot). */
#define DEMO_CHATWOOT_ACCOUNT 3

/* Seconds the demo backend waits, with no frontline using it, before it stops. */
#define DEMO_IDLE_EXIT_S 600

struct demo {
	pid_t pid; /* the sim's */
	unsigned port;
	char *url;	    /* http://127.0.0.1:PORT */
	char *token_path;   /* the token, one line, mode 0600 */
	char *headers_path; /* curl-style header lines carrying the token, mode 0600 */
	char *dir;	    /* the demo's state directory: all of the above and the world */
	int users_fd;	    /* a shared lock on dir/users.lock while this process uses it */
};

/* The demo's state directory under the real one, created 0700 if missing: state_dir/demo
 * for the Intercom demo (backend NULL or "intercom"), state_dir/demo-BACKEND for another
 * dialect of the sim. Returns a new string or NULL with a message in err. */
char *demo_dir(const char *state_dir, const char *backend, char *err, size_t errlen);

/* Finds the user's demo backend in its directory (demo_dir), alive and started by this
 * user, or starts frontline-sim (sim_path) there, speaking backend's dialect (NULL:
 * intercom), and waits until it listens; d holds it until demo_release. The sim runs
 * detached, with nothing on this process's standard output. Returns 0, or -1 with a
 * message saying what to do in err. */
int demo_start(struct demo *d, const char *state_dir, const char *sim_path, const char *backend,
	       char *err, size_t errlen);
/* Lets go of the demo backend (it keeps running for the next frontline --demo) and frees
 * what d holds. */
void demo_release(struct demo *d);

/* frontline --demo stop: stops the demo backend of state_dir/demo now. Returns 1 when it
 * stopped one (its pid in *pid), 0 when none was running, -1 with a message in err. */
int demo_stop(const char *state_dir, const char *backend, pid_t *pid, char *err, size_t errlen);

/* The frontline-sim to run: beside this executable if there is one, else the installed
 * one. Returns a new string; the caller frees it. */
char *demo_find_sim(void);

#endif
