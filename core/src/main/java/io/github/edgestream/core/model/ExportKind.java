package io.github.edgestream.core.model;

/**
 * The destinations a stream can export to, as the protocol names them (section 7.6), with their batch limits.
 */
public enum ExportKind {
    KINESIS("kinesis", "KinesisConfig", 500),
    IOT_ANALYTICS("iotAnalytics", "IoTAnalyticsConfig", 100),
    HTTP("http", "HTTPConfig", 500),
    /** Note the wire key's odd spelling, {@code IotSitewise}. */
    IOT_SITEWISE("IotSitewise", "IoTSiteWiseConfig", 10),
    /** Uploads files named by the stream's messages; no batching. */
    S3_TASK_EXECUTOR("s3TaskExecutor", "S3ExportTaskExecutorConfig", 0);

    private final String wireKey;
    private final String protocolName;
    private final int maxBatchSize;

    ExportKind(String wireKey, String protocolName, int maxBatchSize) {
        this.wireKey = wireKey;
        this.protocolName = protocolName;
        this.maxBatchSize = maxBatchSize;
    }

    /** The key of this kind's list in the protocol's {@code ExportDefinition}. */
    public String wireKey() {
        return wireKey;
    }

    /** The SDKs' class name for one config of this kind. */
    public String protocolName() {
        return protocolName;
    }

    /** The largest (and default) {@code batchSize}; 0 for kinds without batching. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    public boolean batches() {
        return maxBatchSize > 0;
    }
}
