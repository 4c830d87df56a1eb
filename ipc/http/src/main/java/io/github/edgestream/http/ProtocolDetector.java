package io.github.edgestream.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tells HTTP/2 with prior knowledge from HTTP/1.1 by the first bytes of a connection: an HTTP/2 client opens with
 * the 24-byte preface {@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}, which no HTTP/1.1 request line can start with. Once
 * it knows, it installs the matching pipeline in its place and passes on the bytes it held.
 *
 * <p>Waits for at most 24 bytes; a connection that sends a prefix of the preface and stops is closed by the idle
 * timeout like any other.
 */
final class ProtocolDetector extends ByteToMessageDecoder {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final Consumer<ChannelHandlerContext> http2;
    private final Consumer<ChannelHandlerContext> http1;

    ProtocolDetector(Consumer<ChannelHandlerContext> http2, Consumer<ChannelHandlerContext> http1) {
        this.http2 = http2;
        this.http1 = http1;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), length)) {
            http1.accept(ctx);
            ctx.pipeline().remove(this);
        } else if (length == PREFACE.readableBytes()) {
            http2.accept(ctx);
            ctx.pipeline().remove(this);
        }
        // else: a prefix of the preface so far; wait for more
    }
}
