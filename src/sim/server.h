/* server.h: the sim's HTTP server (libmicrohttpd): bodies, authentication, rate limits,
 * injected faults, and the JSON answers of the routes in api.c. */
#ifndef SIM_SERVER_H
#define SIM_SERVER_H

#include <stddef.h>

struct sim;
struct MHD_Daemon;

/* Starts listening on s->opt.listen_addr:s->opt.port; *port gets the bound port. Returns
 * the daemon, or NULL with a message in err. */
struct MHD_Daemon *server_start(struct sim *s, unsigned *port, char *err, size_t errlen);
/* Stops the server and its connection deadlines. */
void server_stop(struct sim *s, struct MHD_Daemon *d);

#endif
