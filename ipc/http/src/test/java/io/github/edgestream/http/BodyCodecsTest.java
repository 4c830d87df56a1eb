package io.github.edgestream.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.edgestream.http.auth.Principal;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shared codecs read what clients send, and refuse documents that would cost more than their size. */
class BodyCodecsTest {

    private static HttpCall call(byte[] body) {
        return new HttpCall(HttpMethod.POST, "/", new DefaultHttpHeaders(), Unpooled.wrappedBuffer(body), "HTTP/1.1",
                null, Principal.NOBODY);
    }

    @Test
    void jsonAndCborBodiesBecomeTheSameTree() throws Exception {
        JsonNode fromJson = BodyCodecs.readTree(BodyCodecs.json(), call("{\"a\":[1,\"x\"]}"
                .getBytes(StandardCharsets.UTF_8)));
        byte[] cbor = BodyCodecs.cbor().writeValueAsBytes(fromJson);
        assertThat(BodyCodecs.readTree(BodyCodecs.cbor(), call(cbor))).isEqualTo(fromJson);
    }

    @Test
    void deepNestingAndHugeNumbersAreRefused() {
        String deep = "[".repeat(BodyCodecs.MAX_NESTING + 1) + "]".repeat(BodyCodecs.MAX_NESTING + 1);
        assertThatThrownBy(() -> BodyCodecs.readTree(BodyCodecs.json(), call(deep.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(StreamConstraintsException.class).hasMessageContaining("nesting depth");
        String number = "{\"n\":" + "9".repeat(BodyCodecs.MAX_NUMBER_LENGTH + 1) + "}";
        assertThatThrownBy(() -> BodyCodecs.readTree(BodyCodecs.json(), call(number.getBytes(
                StandardCharsets.UTF_8)))).isInstanceOf(StreamConstraintsException.class);
        String fine = "[".repeat(BodyCodecs.MAX_NESTING) + "]".repeat(BodyCodecs.MAX_NESTING);
        assertThat(catchingNothing(fine)).isTrue();
    }

    private static boolean catchingNothing(String json) {
        try {
            BodyCodecs.readTree(BodyCodecs.json(), call(json.getBytes(StandardCharsets.UTF_8)));
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
