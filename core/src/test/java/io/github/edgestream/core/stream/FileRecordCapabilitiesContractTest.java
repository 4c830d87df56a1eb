package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.Persistence;

/** The record capabilities for file streams. */
class FileRecordCapabilitiesContractTest extends RecordCapabilitiesContractTest {

    @Override
    protected Persistence persistence() {
        return Persistence.FILE;
    }
}
