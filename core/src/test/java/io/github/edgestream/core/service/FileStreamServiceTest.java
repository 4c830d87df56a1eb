package io.github.edgestream.core.service;

import io.github.edgestream.core.model.Persistence;

/** {@link StreamService} over file streams. */
class FileStreamServiceTest extends StreamServiceTest {

    @Override
    protected Persistence persistence() {
        return Persistence.FILE;
    }
}
