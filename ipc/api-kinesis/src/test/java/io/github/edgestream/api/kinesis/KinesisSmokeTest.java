package io.github.edgestream.api.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.api.kinesis.KinesisFixture.ClientMode;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

class KinesisSmokeTest {

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(ClientMode.class)
    void createPutGet(ClientMode mode) throws Exception {
        try (KinesisFixture fixture = new KinesisFixture(root)) {
            KinesisClient kinesis = fixture.client(mode);
            kinesis.createStream(r -> r.streamName("orders").shardCount(2));
            PutRecordResponse put = kinesis.putRecord(r -> r.streamName("orders").partitionKey("pk-1")
                    .data(SdkBytes.fromUtf8String("hello")));
            String iterator = kinesis.getShardIterator(r -> r.streamName("orders").shardId(put.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            GetRecordsResponse records = kinesis.getRecords(r -> r.shardIterator(iterator));
            assertThat(records.records()).hasSize(1);
            assertThat(records.records().get(0).data().asUtf8String()).isEqualTo("hello");
            assertThat(records.records().get(0).sequenceNumber()).isEqualTo(put.sequenceNumber());
        }
    }
}
