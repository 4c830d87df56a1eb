package io.github.edgestream.api.reductstore;

/**
 * One node of a parsed {@code when} condition: a constant, a label reference or an operator over other nodes.
 * Nodes are immutable and shared by every evaluator of a {@link Condition}; a stateful operator keeps its state in
 * the {@link Condition.Evaluator} it is given, under the slot the parser assigned it.
 */
@FunctionalInterface
interface ConditionNode {

    /**
     * The node's value for the evaluator's current record.
     *
     * @throws ConditionException when the record cannot be evaluated (a missing label, an operand of the wrong type)
     * @throws Condition.Stop when {@code $limit} is exhausted
     */
    ConditionValue apply(Condition.Evaluator record);
}
