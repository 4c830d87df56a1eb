package io.github.edgestream.core.cursor;

import io.github.edgestream.core.model.Persistence;

/** The consumer group rules over a FILE stream's checkpoints. */
class ConsumerGroupsFileTest extends ConsumerGroupsContractTest {

    @Override
    protected Persistence persistence() {
        return Persistence.FILE;
    }
}
