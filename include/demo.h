/* demo.h: the built-in demo backend: frontline-sim started as a child process on a free
 * loopback port, with a fresh token kept in a file only the user can read. */
#ifndef FRONTLINE_DEMO_H
#define FRONTLINE_DEMO_H

#include <stddef.h>
#include <sys/types.h>

/* The admin the demo acts as, whatever the configuration names: the demo workspace's
 * token owner, one of its several agents. */
#define DEMO_ADMIN "maya.patel@example.com"

struct demo {
	pid_t pid;
	unsigned port;
	char *url;	    /* http://127.0.0.1:PORT */
	char *token_path;   /* the token, one line, mode 0600 */
	char *headers_path; /* curl-style header lines carrying the token, mode 0600 */
	char *dir;	    /* the state directory holding both */
};

/* Starts frontline-sim (found beside argv0's executable, else in PATH) and waits until it
 * listens. Returns 0, or -1 with a message saying what to do in err. */
int demo_start(struct demo *d, const char *sim_path, char *err, size_t errlen);
/* Stops the sim and frees what d holds. */
void demo_stop(struct demo *d);

/* The frontline-sim to run: beside this executable if there is one, else the installed
 * one. Returns a new string; the caller frees it. */
char *demo_find_sim(void);

/* $XDG_STATE_HOME/frontline (or ~/.local/state/frontline), created 0700 if missing.
 * Returns a new string or NULL with a message in err. */
char *demo_state_dir(char *err, size_t errlen);

#endif
