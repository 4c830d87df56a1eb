package io.github.edgestream.bench;

/**
 * What one write or read phase of a benchmark moved: {@code records} of 1 KiB in {@code seconds}, and how many were
 * refused or failed besides ({@code failed}, 0 where a failure stops the phase). Prints as records and MiB per
 * second, the count and the time. Immutable.
 */
record Throughput(long records, double seconds, long failed) {

    private static final int RECORD_BYTES = 1024;
    private static final double MIB = 1 << 20;

    double perSecond() {
        return records / seconds;
    }

    double mibPerSecond() {
        return records * RECORD_BYTES / MIB / seconds;
    }

    @Override
    public String toString() {
        return String.format("%,9.0f rec/s %7.1f MiB/s (%,d records in %.2f s%s)", perSecond(), mibPerSecond(),
                records, seconds, failed > 0 ? ", " + failed + " FAILED" : "");
    }
}
