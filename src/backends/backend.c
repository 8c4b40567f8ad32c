/* backend.c: the registry of backend drivers. The engine finds its driver by the name the
 * configuration gives ([backend] type); no file outside src/backends names a driver. */
#include "build-config.h"

#include "backend.h"

#include <stdio.h>
#include <string.h>

#include "chatwoot.h"
#include "intercom.h"

static const struct backend_ops *const drivers[] = {
	&intercom_backend,
	&chatwoot_backend,
};

#define N_DRIVERS (sizeof(drivers) / sizeof(drivers[0]))

const struct backend_ops *backend_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < N_DRIVERS; i++)
		if (!strcmp(drivers[i]->name, name))
			return drivers[i];
	return NULL;
}

void backend_names(char *buf, size_t len)
{
	size_t i, used = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < N_DRIVERS && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", drivers[i]->name);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}
