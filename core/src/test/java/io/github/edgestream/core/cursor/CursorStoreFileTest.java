package io.github.edgestream.core.cursor;

import io.github.edgestream.core.model.Persistence;

/** The cursor rules over a FILE stream's checkpoints (CheckpointFiles: one synced properties file per record). */
class CursorStoreFileTest extends CursorStoreContractTest {

    @Override
    protected Persistence persistence() {
        return Persistence.FILE;
    }
}
