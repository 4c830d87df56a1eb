package io.github.edgestream.core.service;

import io.github.edgestream.core.model.Persistence;

/** {@link StreamService} over memory streams. */
class MemoryStreamServiceTest extends StreamServiceTest {

    @Override
    protected Persistence persistence() {
        return Persistence.MEMORY;
    }
}
