package io.github.edgestream.core.export.spi;

/**
 * What a destination accepts in one call. A message larger than {@code maxMessageBytes} can never be delivered:
 * the runtime skips it (counted, with the reason in the export's status) rather than stall the export behind it.
 *
 * @param maxMessages     messages per call (Kinesis 500, IoT Analytics 100, SiteWise 10, HTTP 500)
 * @param maxMessageBytes payload bytes of one message
 * @param maxBatchBytes   payload bytes of one call
 */
public record BatchLimits(int maxMessages, long maxMessageBytes, long maxBatchBytes) {

    public BatchLimits {
        if (maxMessages < 1 || maxMessageBytes < 1 || maxBatchBytes < maxMessageBytes) {
            throw new IllegalArgumentException("batch limits must be positive and maxBatchBytes >= maxMessageBytes,"
                    + " got " + maxMessages + " messages, " + maxMessageBytes + " and " + maxBatchBytes + " bytes");
        }
    }
}
