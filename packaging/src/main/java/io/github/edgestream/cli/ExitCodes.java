package io.github.edgestream.cli;

/** The CLI's exit codes, documented in {@code edgestream --help} and the README. */
final class ExitCodes {

    /** Done. */
    static final int OK = 0;
    /** The daemon refused the request (the message says why: not found, full, invalid...). */
    static final int REFUSED = 1;
    /** The command line or an input file is invalid. */
    static final int USAGE = 2;
    /** The daemon could not be reached, refused the token, or did not answer in time. */
    static final int UNREACHABLE = 3;
    /** The daemon's configuration is invalid (run, config check). */
    static final int CONFIG = 4;

    static final String HELP = """
            Exit codes: 0 done; 1 the daemon refused the request (the message says why); 2 invalid command line or \
            input file; 3 the daemon cannot be reached, refused the token or did not answer in time; 4 invalid \
            daemon configuration (run, config check).""";

    private ExitCodes() {
    }
}
