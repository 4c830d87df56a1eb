package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.Persistence;

/** The stream contract for file streams (Chronicle Queue segments). */
class FileStreamStoreContractTest extends StreamStoreContractTest {

    @Override
    protected Persistence persistence() {
        return Persistence.FILE;
    }
}
