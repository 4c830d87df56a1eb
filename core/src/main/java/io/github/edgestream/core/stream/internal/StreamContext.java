package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;

/** What every stream of a store shares. Immutable. */
record StreamContext(StoreSettings settings, StoreServices services, DiskSpaceGuard disk) {
}
