/** The CLI's two kinds of expected failure; main() prints either as one line and exits 2. */

/** A mistake in the command line: printed with a pointer to --help. */
export class UsageError extends Error {}

/** An error whose message is the whole story: print it, no stack. */
export class CliError extends Error {}
