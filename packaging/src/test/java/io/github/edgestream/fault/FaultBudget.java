package io.github.edgestream.fault;

/**
 * How much each fault test does. The test command runs the small budget; the same tests run a large one on demand
 * with {@code -Dfault.scale=large} (see packaging/FAULTS.md), and any single figure can be set with its own property,
 * e.g. {@code -Dfault.kill.trials=300}.
 */
final class FaultBudget {

    private FaultBudget() {
    }

    static boolean large() {
        return "large".equals(System.getProperty("fault.scale"));
    }

    static int get(String property, int small, int large) {
        return Integer.getInteger(property, large() ? large : small);
    }

    static long seed() {
        return Long.getLong("fault.seed", 20261205L);
    }
}
