package io.github.edgestream.ipc.client;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.AppendResult;
import io.github.edgestream.ipc.codec.FrameDecoder;
import io.github.edgestream.ipc.codec.MessageFrame;
import io.github.edgestream.ipc.codec.Preamble;
import io.github.edgestream.ipc.wire.DefinitionDrafts;
import io.github.edgestream.ipc.wire.MalformedRequestException;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.RequestEncoder;
import io.github.edgestream.ipc.wire.Response;
import io.github.edgestream.ipc.wire.ResponseDecoder;
import io.github.edgestream.ipc.wire.ResponseStatus;
import io.github.edgestream.ipc.wire.StreamDefinitionDraft;
import io.github.edgestream.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java client for edgestream, and for any server of the Greengrass Stream Manager protocol: the operations of the
 * official SDKs, as {@link CompletableFuture}s. Many requests may be in flight on its one connection; responses are
 * matched by request id. It connects on first use and reconnects on the next request after the connection is lost
 * (as the official clients do). Each request fails after {@code requestTimeout} with
 * {@link ClientConnectionException}; a failure the server reports is a {@link StreamManagerException} with the
 * status.
 *
 * <p>Thread-safe. Owns one event-loop thread; {@link #close()} releases it.
 */
public final class StreamManagerClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamManagerClient.class);
    private static final AtomicLong CLIENTS = new AtomicLong();

    private final ClientSettings settings;
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, Transport.CURRENT.ioHandlerFactory());
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final String idPrefix = "java-" + CLIENTS.incrementAndGet() + "-";
    private final AtomicLong nextId = new AtomicLong();
    private final Object connectLock = new Object();
    /** Requests waiting for the connection, oldest first; guarded by connectLock. */
    private final List<CompletableFuture<Channel>> waitingForConnection = new java.util.ArrayList<>();
    private CompletableFuture<Channel> connection;
    private volatile boolean closed;

    private record Pending(Operation response, CompletableFuture<Response> result, ScheduledFuture<?> timeout) {
    }

    public StreamManagerClient(ClientSettings settings) {
        this.settings = settings;
    }

    /** A client of the daemon at 127.0.0.1 on this port, without a token. */
    public static StreamManagerClient onPort(int port) {
        return new StreamManagerClient(ClientSettings.defaults().withPort(port));
    }

    // ------------------------------------------------------------------------------------------------ operations

    public CompletableFuture<Void> createMessageStream(StreamDefinition definition) {
        StreamDefinitionDraft draft = StreamDefinitionDraft.of(definition);
        return send(Operation.CREATE_MESSAGE_STREAM, id -> RequestEncoder.createMessageStream(alloc(), id, draft))
                .thenApply(response -> null);
    }

    public CompletableFuture<Void> updateMessageStream(StreamDefinition definition) {
        StreamDefinitionDraft draft = StreamDefinitionDraft.of(definition);
        return send(Operation.UPDATE_MESSAGE_STREAM, id -> RequestEncoder.updateMessageStream(alloc(), id, draft))
                .thenApply(response -> null);
    }

    public CompletableFuture<Void> deleteMessageStream(String name) {
        return send(Operation.DELETE_MESSAGE_STREAM, id -> RequestEncoder.deleteMessageStream(alloc(), id, name))
                .thenApply(response -> null);
    }

    /** @return the message's sequence number */
    public CompletableFuture<Long> appendMessage(String streamName, byte[] payload) {
        return send(Operation.APPEND_MESSAGE, id -> RequestEncoder.appendMessage(alloc(), id, streamName, payload))
                .thenApply(response -> ((Response.Appended) response).sequenceNumber());
    }

    /**
     * @param options null for the defaults (one message from sequence number 0, no wait)
     */
    public CompletableFuture<List<Message>> readMessages(String streamName, Request.ReadMessagesOptions options) {
        return send(Operation.READ_MESSAGES, id -> RequestEncoder.readMessages(alloc(), id, streamName, options))
                .thenApply(response -> ((Response.Messages) response).messages().stream()
                        .map(m -> new Message(m.sequenceNumber(), m.ingestTime(), m.payload())).toList());
    }

    /** Reads {@code min..max} messages from {@code start}, waiting up to {@code timeout} for the minimum. */
    public CompletableFuture<List<Message>> readMessages(String streamName, long start, int min, int max,
            Duration timeout) {
        return readMessages(streamName, new Request.ReadMessagesOptions(start, (long) min, (long) max,
                timeout.toMillis()));
    }

    public CompletableFuture<List<String>> listStreams() {
        return send(Operation.LIST_STREAMS, id -> RequestEncoder.listStreams(alloc(), id))
                .thenApply(response -> ((Response.Streams) response).streams());
    }

    public CompletableFuture<StreamDescription> describeMessageStream(String name) {
        return send(Operation.DESCRIBE_MESSAGE_STREAM, id -> RequestEncoder.describeMessageStream(alloc(), id, name))
                .thenApply(StreamManagerClient::description);
    }

    private static StreamDescription description(Response response) {
        return description(response, false);
    }

    /** @param namespaced a stream of another namespace: its name follows the store's rule, not the portable one */
    private static StreamDescription description(Response response, boolean namespaced) {
        Response.StreamDescription info = ((Response.Description) response).info();
        return new StreamDescription(namespaced ? DefinitionDrafts.toNamespacedDefinition(info.definition())
                : DefinitionDrafts.toDefinition(info.definition()),
                info.oldestSequenceNumber(), info.newestSequenceNumber(),
                DataSize.ofBytes(info.totalBytes()), info.exportStatuses());
    }

    // ------------------------------------------------------------------ edgestream extensions (ipc/EXTENSIONS.md)

    /**
     * UpdateMessageStream on a stream of another namespace (an S2 basin {@code s2.<basin>}): op 82. A null namespace
     * sends the protocol's own UpdateMessageStream. Fails {@code ResourceNotFound} if the namespace does not exist.
     */
    public CompletableFuture<Void> updateMessageStream(String namespace, StreamDefinition definition) {
        if (namespace == null) {
            return updateMessageStream(definition);
        }
        StreamDefinitionDraft draft = StreamDefinitionDraft.of(definition);
        return send(Operation.UPDATE_IN_NAMESPACE, id -> RequestEncoder.updateInNamespace(alloc(), id, namespace,
                draft)).thenApply(response -> null);
    }

    /** DescribeMessageStream on a stream of another namespace (op 80); a null namespace sends op 13. */
    public CompletableFuture<StreamDescription> describeMessageStream(String namespace, String name) {
        if (namespace == null) {
            return describeMessageStream(name);
        }
        return send(Operation.DESCRIBE_IN_NAMESPACE, id -> RequestEncoder.describeInNamespace(alloc(), id, namespace,
                name)).thenApply(response -> description(response, true));
    }

    /** ListStreams of another namespace (op 84); a null namespace sends op 11. */
    public CompletableFuture<List<String>> listStreams(String namespace) {
        if (namespace == null) {
            return listStreams();
        }
        return send(Operation.LIST_IN_NAMESPACE, id -> RequestEncoder.listInNamespace(alloc(), id, namespace))
                .thenApply(response -> ((Response.Streams) response).streams());
    }

    /** edgestream's extension operations on the streams of the default namespace. */
    public ExtensionClient extensions() {
        return new ExtensionClient(this, null);
    }

    /** edgestream's extension operations on the streams of another namespace (an S2 basin, a ReductStore bucket). */
    public ExtensionClient extensions(String namespace) {
        return new ExtensionClient(this, namespace);
    }

    /** {@link ExtensionClient#appendBatch} in the default namespace. */
    public CompletableFuture<AppendResult> appendBatch(String streamName, List<AppendRecord> records,
            OptionalLong expectedNextSequence, String fencingToken) {
        return extensions().appendBatch(streamName, records, expectedNextSequence, fencingToken);
    }

    /** {@link ExtensionClient#fence} in the default namespace. */
    public CompletableFuture<String> fence(String streamName, String token, String expectedCurrent) {
        return extensions().fence(streamName, token, expectedCurrent);
    }

    /** {@link ExtensionClient#trim} in the default namespace. */
    public CompletableFuture<Long> trim(String streamName, long sequenceNumber) {
        return extensions().trim(streamName, sequenceNumber);
    }

    /** {@link ExtensionClient#seekTime} in the default namespace. */
    public CompletableFuture<Long> seekTime(String streamName, Instant time) {
        return extensions().seekTime(streamName, time);
    }

    /** {@link ExtensionClient#commitCursor} in the default namespace. */
    public CompletableFuture<CursorInfo> commitCursor(String streamName, String cursorName, long position,
            long expectedGeneration) {
        return extensions().commitCursor(streamName, cursorName, position, expectedGeneration);
    }

    /** {@link ExtensionClient#resetCursor} in the default namespace. */
    public CompletableFuture<CursorInfo> resetCursor(String streamName, String cursorName, long position) {
        return extensions().resetCursor(streamName, cursorName, position);
    }

    /** {@link ExtensionClient#listCursors} in the default namespace. */
    public CompletableFuture<List<CursorInfo>> listCursors(String streamName) {
        return extensions().listCursors(streamName);
    }

    /** Sends an extension request: {@code requestId} first, then the fields; fails on a status other than success. */
    CompletableFuture<Response.Extension> extension(Operation operation, List<Object[]> fields) {
        return send(operation, id -> {
            List<Object[]> all = new ArrayList<>(fields.size() + 1);
            all.add(new Object[] {"requestId", id});
            all.addAll(fields);
            return RequestEncoder.raw(alloc(), operation.code(), all);
        }).thenApply(response -> (Response.Extension) response);
    }

    /**
     * Sends any frame and returns the decoded response as it came, success or not: for tests and tools that need
     * to see statuses and raw responses.
     */
    public CompletableFuture<Response> sendRaw(Operation request, Function<String, ByteBuf> encoder) {
        return send(request, encoder, false);
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    private static ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    private CompletableFuture<Response> send(Operation request, Function<String, ByteBuf> encoder) {
        return send(request, encoder, true);
    }

    private CompletableFuture<Response> send(Operation request, Function<String, ByteBuf> encoder,
            boolean failOnStatus) {
        if (closed) {
            return CompletableFuture.failedFuture(new ClientConnectionException("the client is closed"));
        }
        return attempt(request, encoder, true).thenApply(response -> {
            if (failOnStatus && response.status() != ResponseStatus.SUCCESS) {
                throw new StreamManagerException(response.status(), response.errorMessage());
            }
            return response;
        });
    }

    /**
     * Sends once; if the connection turns out closed before the request left (the server's idle timeout, a restart),
     * reconnects and sends again once: the request never reached the server, so repeating it is safe.
     */
    private CompletableFuture<Response> attempt(Operation request, Function<String, ByteBuf> encoder,
            boolean mayRetry) {
        return inOrder(connection()).thenCompose(channel -> {
            String requestId = idPrefix + nextId.incrementAndGet();
            CompletableFuture<Response> result = new CompletableFuture<>();
            ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> {
                if (pending.remove(requestId) != null) {
                    result.completeExceptionally(new ClientConnectionException(request + " request " + requestId
                            + " got no response within " + settings.requestTimeout().toMillis() + " ms"));
                }
            }, settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            pending.put(requestId, new Pending(request.response(), result, timeout));
            ByteBuf frame;
            try {
                frame = encoder.apply(requestId);
            } catch (RuntimeException e) {
                pending.remove(requestId);
                timeout.cancel(false);
                return CompletableFuture.failedFuture(e);
            }
            channel.writeAndFlush(frame).addListener(written -> {
                if (!written.isSuccess() && pending.remove(requestId) != null) {
                    timeout.cancel(false);
                    if (mayRetry && !channel.isActive() && !closed) {
                        attempt(request, encoder, false).whenComplete((response, failure) -> {
                            if (failure == null) {
                                result.complete(response);
                            } else {
                                result.completeExceptionally(failure);
                            }
                        });
                    } else {
                        result.completeExceptionally(new ClientConnectionException("cannot send " + request + ": "
                                + written.cause(), written.cause()));
                    }
                }
            });
            return result;
        });
    }

    /**
     * The connection, delivered to requests in the order they were made. A CompletableFuture runs its dependents
     * in reverse order when it completes, which would reverse the appends a thread issued while connecting; so
     * requests that find the connection still opening wait in a FIFO queue, drained in order once it is open.
     */
    private CompletableFuture<Channel> inOrder(CompletableFuture<Channel> opening) {
        synchronized (connectLock) {
            if (opening.isDone() && waitingForConnection.isEmpty()) {
                return opening;
            }
            CompletableFuture<Channel> turn = new CompletableFuture<>();
            waitingForConnection.add(turn);
            if (waitingForConnection.size() == 1) {
                opening.whenComplete((channel, failure) -> {
                    List<CompletableFuture<Channel>> waiting;
                    synchronized (connectLock) {
                        waiting = List.copyOf(waitingForConnection);
                        waitingForConnection.clear();
                    }
                    for (CompletableFuture<Channel> next : waiting) {
                        if (failure == null) {
                            next.complete(channel);
                        } else {
                            next.completeExceptionally(failure);
                        }
                    }
                });
            }
            return turn;
        }
    }

    /** The open, handshaken connection, opening one if there is none. */
    private CompletableFuture<Channel> connection() {
        synchronized (connectLock) {
            if (connection != null && !connection.isCompletedExceptionally()
                    && (!connection.isDone() || connection.join().isActive())) {
                return connection;
            }
            connection = connect();
            return connection;
        }
    }

    private CompletableFuture<Channel> connect() {
        CompletableFuture<Channel> handshaken = new CompletableFuture<>();
        SocketAddress address = settings.unixSocket().map(Transport.CURRENT::unixAddress)
                .orElseGet(() -> new InetSocketAddress(settings.host(), settings.port()));
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(settings.unixSocket().isPresent() ? Transport.CURRENT.unixClient()
                        : Transport.CURRENT.tcpClient())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (settings.unixSocket().isEmpty()) {
                            channel.config().setOption(ChannelOption.TCP_NODELAY, true);
                        }
                        FrameDecoder frames = new FrameDecoder(true, settings.maxFrameSize(), Duration.ZERO);
                        // a ReadMessages answer of ~11 MB arrives in pieces: keep them as pieces until the frame is
                        // whole, rather than one buffer growing beyond the allocator's pools (fresh pages each time)
                        frames.setCumulator(io.netty.handler.codec.ByteToMessageDecoder.COMPOSITE_CUMULATOR);
                        channel.pipeline().addLast(frames, new ResponseHandler(handshaken));
                    }
                });
        ChannelFuture connecting = bootstrap.connect(address);
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                handshaken.completeExceptionally(ConnectFailures.cannotConnect(settings.address(), done.cause(),
                        settings.connectTimeout()));
                return;
            }
            Channel channel = connecting.channel();
            channel.writeAndFlush(RequestEncoder.connect(alloc(), idPrefix + "connect",
                    settings.authToken().orElse(null)));
            channel.eventLoop().schedule(() -> {
                if (handshaken.completeExceptionally(handshakeFailed(ClientConnectionException.Reason.TIMED_OUT,
                        "no answer to the handshake within " + settings.connectTimeout().toMillis() + " ms"))) {
                    channel.close();
                }
            }, settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        });
        return handshaken;
    }

    /** The connection opened but the handshake failed: {@code cannot connect to ADDRESS: DETAIL}. */
    private ClientConnectionException handshakeFailed(ClientConnectionException.Reason reason, String detail) {
        return new ClientConnectionException(settings.address(), reason, detail, null, null);
    }

    /** Reads the server's preamble, ConnectResponse, then responses. One per connection, on the event loop. */
    private final class ResponseHandler extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Channel> handshaken;
        private boolean connected;

        ResponseHandler(CompletableFuture<Channel> handshaken) {
            this.handshaken = handshaken;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof Preamble preamble) {
                if (!preamble.isSupported()) {
                    fail(ctx, handshakeFailed(ClientConnectionException.Reason.NOT_A_STREAM_MANAGER,
                            "the server there does not speak the Stream Manager protocol: it sent connect version "
                                    + preamble.version() + ", not 1"));
                }
                return;
            }
            if (!(message instanceof MessageFrame frame)) {
                return;
            }
            Operation operation = Operation.fromCode(frame.operation()).orElse(Operation.UNKNOWN);
            Response response;
            try {
                response = ResponseDecoder.decode(operation, frame.payload());
            } catch (MalformedRequestException e) {
                fail(ctx, "unreadable " + operation + " from the server: " + e.getMessage());
                return;
            }
            if (!connected) {
                if (!(response instanceof Response.Connect connect)) {
                    fail(ctx, handshakeFailed(ClientConnectionException.Reason.NOT_A_STREAM_MANAGER,
                            "the server answered the handshake with " + operation));
                } else if (connect.status() != ResponseStatus.SUCCESS) {
                    fail(ctx, new StreamManagerException(connect.status(), connect.errorMessage()));
                } else {
                    connected = true;
                    handshaken.complete(ctx.channel());
                }
                return;
            }
            Pending waiting = pending.remove(response.requestId());
            if (waiting == null) {
                LOG.debug("response to unknown or timed-out request {}", response.requestId());
                return;
            }
            waiting.timeout().cancel(false);
            waiting.result().complete(response);
        }

        private void fail(ChannelHandlerContext ctx, String message) {
            fail(ctx, new ClientConnectionException(message));
        }

        private void fail(ChannelHandlerContext ctx, RuntimeException failure) {
            handshaken.completeExceptionally(failure);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            handshaken.completeExceptionally(handshakeFailed(ClientConnectionException.Reason.CLOSED,
                    "the server closed the connection during the handshake"));
            for (String requestId : List.copyOf(pending.keySet())) {
                Pending lost = pending.remove(requestId);
                if (lost != null) {
                    lost.timeout().cancel(false);
                    lost.result().completeExceptionally(new ClientConnectionException(
                            "the connection was lost before request " + requestId + " was answered"));
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("client connection error", cause);
            ctx.close();
        }
    }

    /** Closes the connection; requests still pending fail. Idempotent. */
    @Override
    public void close() {
        closed = true;
        synchronized (connectLock) {
            if (connection != null && connection.isDone() && !connection.isCompletedExceptionally()) {
                connection.join().close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
