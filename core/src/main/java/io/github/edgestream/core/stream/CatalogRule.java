package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import java.util.function.Predicate;

/**
 * A rule about a stream definition that depends on the other streams of the store, such as "the status stream an
 * export reports to must exist". Pure rules about one definition belong in
 * {@link io.github.edgestream.core.model.StreamDefinition}'s constructor; this is for the ones that need the catalogue.
 *
 * <p><b>Who calls it.</b> The store, from {@link StreamStore#create(StreamDefinition, CatalogRule)} and
 * {@link StreamStore#update(StreamDefinition, CatalogRule)}, on the caller's thread, while it holds the lock that
 * serialises create, update and delete. The check and the change are therefore atomic: no stream can be created or
 * deleted between them. For the same reason a rule must be quick, do no I/O and never call the store; it learns
 * what exists only from {@code exists}, which reflects the catalogue at that moment.
 *
 * <p><b>Errors.</b> A rule refuses by throwing (usually
 * {@link io.github.edgestream.core.model.InvalidStreamDefinitionException}); the store then changes nothing and
 * throws that exception on. Rules are called once per create or update and may be called again on a retry.
 */
@FunctionalInterface
public interface CatalogRule {

    /** Accepts every definition. */
    CatalogRule NONE = (definition, exists) -> {
    };

    /**
     * @param definition the definition about to be created or to replace the current one
     * @param exists     whether a stream of that name exists now (for a create, {@code definition}'s own name does
     *                   not exist yet)
     */
    void check(StreamDefinition definition, Predicate<StreamName> exists);
}
