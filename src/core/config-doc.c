/* config-doc.c: frontline.conf(5)'s list of settings, written from the option table. */
#include "build-config.h"

#include <stdio.h>

#include "config-private.h"
#include "util.h"

int config_write_man(FILE *out)
{
	static const char *const titles[] = {
	    [CONFIG_SECTION_BACKEND] = "[backend]",
	    [CONFIG_SECTION_QUEUE] = "[queue \\fINAME\\fR]",
	    [CONFIG_SECTION_NOTIFY] = "[notify]",
	    [CONFIG_SECTION_STATE] = "[state]",
	    [CONFIG_SECTION_KEYS] = "[keys]",
	    [CONFIG_SECTION_COLORS] = "[colors]",
	    [CONFIG_SECTION_SLA] = "[sla \\fINAME\\fR]",
	    [CONFIG_SECTION_UI] = "[ui]",
	};
	enum config_section last = CONFIG_SECTION_NONE;
	size_t i;

	for (i = 0; i < config_n_options; i++) {
		const struct config_option *o = &config_options[i];

		if (o->section != last)
			fprintf(out, ".SS %s\n", titles[o->section]);
		last = o->section;
		fprintf(out, ".TP\n.BI \"%s = \" ", o->name);
		fputc('"', out);
		util_man_put(out, o->value);
		fputs("\"\n", out);
		util_man_put(out, o->help);
		fputc('\n', out);
		/* A literal default in bold, as typed; a described one in roman. */
		if (o->initial || o->fallback) {
			fputs(o->initial ? "Default: \\fB" : "Default: ", out);
			util_man_put(out, o->initial ? o->initial : o->fallback);
			fputs(o->initial ? "\\fR.\n" : ".\n", out);
		}
	}
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
