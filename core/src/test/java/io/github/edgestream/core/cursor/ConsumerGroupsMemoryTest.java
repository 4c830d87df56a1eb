package io.github.edgestream.core.cursor;

import io.github.edgestream.core.model.Persistence;

/** The consumer group rules over a MEMORY stream's checkpoints. */
class ConsumerGroupsMemoryTest extends ConsumerGroupsContractTest {

    @Override
    protected Persistence persistence() {
        return Persistence.MEMORY;
    }
}
