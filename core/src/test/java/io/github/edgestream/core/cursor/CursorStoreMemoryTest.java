package io.github.edgestream.core.cursor;

import io.github.edgestream.core.model.Persistence;

/** The cursor rules over a MEMORY stream's checkpoints. */
class CursorStoreMemoryTest extends CursorStoreContractTest {

    @Override
    protected Persistence persistence() {
        return Persistence.MEMORY;
    }
}
