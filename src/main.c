/* main.c: frontline's entry point. */
#include "config.h"

#include <stdio.h>

#include "util.h"

int main(int argc, char **argv)
{
	util_set_progname(argv[0]);
	(void)argc;
	printf("frontline %s\n", PACKAGE_VERSION);
	return 0;
}
