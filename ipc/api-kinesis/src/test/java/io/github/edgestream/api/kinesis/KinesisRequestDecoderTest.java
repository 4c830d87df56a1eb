package io.github.edgestream.api.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.github.edgestream.api.kinesis.KinesisRequestDecoder.Body;
import io.github.edgestream.api.kinesis.KinesisRequestDecoder.Format;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.auth.Principal;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PutRecords' streaming path reads the shape the SDKs send in both formats, and hands everything else to the tree
 * path, whose errors name the field.
 */
class KinesisRequestDecoderTest {

    private final KinesisRequestDecoder decoder = new KinesisRequestDecoder();

    private static HttpCall call(byte[] body) {
        return new HttpCall(HttpMethod.POST, "/", new DefaultHttpHeaders(), Unpooled.wrappedBuffer(body), "HTTP/1.1",
                null, Principal.NOBODY);
    }

    private static HttpCall json(String body) {
        return call(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSdksShapeIsReadAsItStreamsInJsonAndCbor() throws Exception {
        Body fromJson = decoder.decodePutRecords(json("{\"StreamName\":\"s\",\"Records\":[{\"Data\":\"aGVsbG8=\","
                + "\"PartitionKey\":\"k1\"},{\"PartitionKey\":\"k2\",\"ExplicitHashKey\":\"7\",\"Data\":\"\"}],"
                + "\"Other\":{\"x\":[1]}}"), Format.JSON);
        assertThat(fromJson.rawRecords()).hasSize(2);
        assertThat(new String(fromJson.rawRecords().get(0).data(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(fromJson.rawRecords().get(1).explicitHashKey()).isEqualTo("7");
        assertThat(fromJson.optString("StreamName")).contains("s");

        Map<String, Object> record = new LinkedHashMap<>();
        record.put("PartitionKey", "k");
        record.put("Data", new byte[] {1, 2, 3});
        byte[] cbor = new CBORMapper().writeValueAsBytes(Map.of("StreamARN",
                "arn:aws:kinesis:us-east-1:000000000000:stream/s", "Records", List.of(record)));
        Body fromCbor = decoder.decodePutRecords(call(cbor), Format.CBOR);
        assertThat(fromCbor.rawRecords()).singleElement().satisfies(r -> assertThat(r.data()).containsExactly(1, 2, 3));
        assertThat(fromCbor.optString("StreamARN")).isPresent();
    }

    @Test
    void anythingElseGoesTheTreeWayAndItsErrorsNameTheField() {
        for (String odd : List.of("{\"StreamName\":\"s\",\"Records\":[{\"Data\":5,\"PartitionKey\":\"k\"}]}",
                "{\"StreamName\":\"s\",\"Records\":[{\"Data\":\"aGk=\",\"PartitionKey\":null}]}",
                "{\"StreamName\":\"s\",\"Records\":[{\"Data\":\"aGk=\"}]}",
                "{\"StreamName\":1,\"Records\":[]}",
                "{\"StreamName\":\"s\",\"Records\":{}}",
                "{\"StreamName\":\"s\"}")) {
            assertThat(decoder.decodePutRecords(json(odd), Format.JSON).rawRecords()).as(odd).isNull();
        }
        assertThatThrownBy(() -> decoder.decodePutRecords(json("{\"Records\":[}"), Format.JSON))
                .isInstanceOf(KinesisException.class).satisfies(e ->
                        assertThat(((KinesisException) e).type()).isEqualTo("SerializationException"));
        StringBuilder many = new StringBuilder("{\"StreamName\":\"s\",\"Records\":[");
        for (int i = 0; i < 501; i++) {
            many.append(i == 0 ? "" : ",").append("{\"Data\":\"aGk=\",\"PartitionKey\":\"k\"}");
        }
        Body tree = decoder.decodePutRecords(json(many.append("]}").toString()), Format.JSON);
        assertThat(tree.rawRecords()).as("501 records: the tree path reports the limit").isNull();
        assertThatThrownBy(() -> tree.objects("Records", 500)).isInstanceOf(KinesisException.class)
                .hasMessageContaining("less than or equal to 500");
    }
}
