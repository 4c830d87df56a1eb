package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.Persistence;

/** The record capabilities for memory streams. */
class MemoryRecordCapabilitiesContractTest extends RecordCapabilitiesContractTest {

    @Override
    protected Persistence persistence() {
        return Persistence.MEMORY;
    }
}
