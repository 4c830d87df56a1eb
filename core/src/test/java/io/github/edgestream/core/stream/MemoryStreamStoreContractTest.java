package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.Persistence;

/** The stream contract for memory streams. */
class MemoryStreamStoreContractTest extends StreamStoreContractTest {

    @Override
    protected Persistence persistence() {
        return Persistence.MEMORY;
    }
}
