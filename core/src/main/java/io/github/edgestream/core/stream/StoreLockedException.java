package io.github.edgestream.core.stream;

import java.nio.file.Path;

/** Another process (or another store in this process) has the store directory open. Two writers would corrupt it. */
public final class StoreLockedException extends StreamStoreException {

    public StoreLockedException(Path lockFile) {
        super("the store directory is in use by another edgestream process (lock held on " + lockFile
                + "); stop it, or point this one at another directory");
    }
}
