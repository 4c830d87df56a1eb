package io.github.edgestream.exporter.iotanalytics;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.model.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.iotanalytics.model.BatchPutMessageRequest;

/**
 * Turns a batch into one {@code BatchPutMessage} request: one IoT Analytics message per stream message, the payload
 * unchanged (the SDK sends it base64-encoded in the JSON body), the id from {@link IotAnalyticsExporterConfig#messageId}.
 * Keeps the map from ids back to sequence numbers, for error entries. Thread-safe: immutable.
 */
final class IotAnalyticsRequestBuilder {

    /** The request and how to read its answer. */
    record Built(BatchPutMessageRequest request, Map<String, Long> sequenceNumbersById) {
    }

    private final IotAnalyticsExporterConfig config;

    IotAnalyticsRequestBuilder(IotAnalyticsExporterConfig config) {
        this.config = config;
    }

    Built build(Batch batch) {
        var messages = new ArrayList<software.amazon.awssdk.services.iotanalytics.model.Message>(batch.messages().size());
        var ids = new HashMap<String, Long>();
        for (Message message : batch.messages()) {
            String id = config.messageId(message.sequenceNumber());
            ids.put(id, message.sequenceNumber());
            messages.add(software.amazon.awssdk.services.iotanalytics.model.Message.builder()
                    .messageId(id)
                    .payload(SdkBytes.fromByteArrayUnsafe(message.payload()))
                    .build());
        }
        return new Built(BatchPutMessageRequest.builder().channelName(config.channel()).messages(messages).build(),
                Map.copyOf(ids));
    }
}
