package io.github.edgestream.core.model;

/**
 * An amount of data in bytes. Exists so that a size never travels as a bare {@code long} whose unit is a guess,
 * and so that error messages print sizes the way people read them ({@code 16 MiB}, not {@code 16777216}).
 *
 * <p>Immutable and thread-safe.
 */
public record DataSize(long bytes) implements Comparable<DataSize> {

    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;
    private static final long TIB = GIB * 1024;

    public static final DataSize ZERO = new DataSize(0);

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a data size cannot be negative: " + bytes);
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofKibibytes(long kibibytes) {
        return new DataSize(Math.multiplyExact(kibibytes, KIB));
    }

    public static DataSize ofMebibytes(long mebibytes) {
        return new DataSize(Math.multiplyExact(mebibytes, MIB));
    }

    public static DataSize ofGibibytes(long gibibytes) {
        return new DataSize(Math.multiplyExact(gibibytes, GIB));
    }

    public boolean isGreaterThan(DataSize other) {
        return bytes > other.bytes;
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, other.bytes);
    }

    /** {@code 16 MiB}, {@code 1.5 KiB}, {@code 1000 bytes}: exact bytes below 1 KiB, one decimal above. */
    @Override
    public String toString() {
        if (bytes < KIB) {
            return bytes == 1 ? "1 byte" : bytes + " bytes";
        }
        long unit;
        String suffix;
        if (bytes >= TIB) {
            unit = TIB;
            suffix = "TiB";
        } else if (bytes >= GIB) {
            unit = GIB;
            suffix = "GiB";
        } else if (bytes >= MIB) {
            unit = MIB;
            suffix = "MiB";
        } else {
            unit = KIB;
            suffix = "KiB";
        }
        if (bytes % unit == 0) {
            return bytes / unit + " " + suffix;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s (%d bytes)", (double) bytes / unit, suffix, bytes);
    }
}
