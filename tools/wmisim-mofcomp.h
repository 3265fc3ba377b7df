/* wmisim-mofcomp.h: `wmisim mofcomp FILE`, the MOF compiler's command. */
#pragma once

/**
 * wsim_cli_mofcomp:
 * @argc: the command line's count, argv[1] being "mofcomp"
 * Compiles and checks each FILE (docs/mof.md) and prints, per file, its namespaces with their
 * classes and instances, or the error with FILE:LINE:COLUMN.
 * Returns: the exit status: 0, 1 for a MOF error, 2 for a usage error.
 */
int wsim_cli_mofcomp (int argc, char **argv);
