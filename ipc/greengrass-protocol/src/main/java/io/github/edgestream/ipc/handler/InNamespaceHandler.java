package io.github.edgestream.ipc.handler;

import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.NamespaceNotFoundException;
import io.github.edgestream.ipc.dispatch.HandlerContext;
import io.github.edgestream.ipc.dispatch.OperationHandler;
import io.github.edgestream.ipc.wire.DefinitionDrafts;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.ResponseEncoder;
import io.github.edgestream.ipc.wire.ResponseStatus;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * DescribeInNamespace (80), UpdateInNamespace (82) and ListInNamespace (84): the protocol's DescribeMessageStream,
 * UpdateMessageStream and ListStreams on the streams of another namespace (an S2 basin {@code s2.<basin>}), through
 * that namespace's {@link StreamService}; the responses carry the protocol's fields under the extension's code. A
 * namespace that does not exist is {@code ResourceNotFound}; it is never created here.
 *
 * <p>Stateless and thread-safe.
 */
public final class InNamespaceHandler implements OperationHandler<Request.InNamespace> {

    private final Operation operation;

    private InNamespaceHandler(Operation operation) {
        this.operation = operation;
    }

    /** One handler per namespaced operation. */
    public static List<InNamespaceHandler> all() {
        return List.of(new InNamespaceHandler(Operation.DESCRIBE_IN_NAMESPACE),
                new InNamespaceHandler(Operation.UPDATE_IN_NAMESPACE),
                new InNamespaceHandler(Operation.LIST_IN_NAMESPACE));
    }

    /** The request operation this handler answers. */
    public Operation operation() {
        return operation;
    }

    @Override
    public Class<Request.InNamespace> requestType() {
        return Request.InNamespace.class;
    }

    @Override
    public CompletionStage<ByteBuf> handle(Request.InNamespace request, HandlerContext context) {
        StreamService service = service(request.namespace(), context);
        Operation response = request.operation().response();
        Request standard = request.request();
        if (standard instanceof Request.DescribeMessageStream describe) {
            return service.describe(StreamName.anyOf(describe.name()))
                    .thenApply(description -> ResponseEncoder.description(context.allocator(), response,
                            request.requestId(), description.info(), description.exports()));
        }
        if (standard instanceof Request.UpdateMessageStream update) {
            StreamDefinition definition = DefinitionDrafts.toNamespacedDefinition(update.definition());
            return service.update(definition)
                    .exceptionally(failure -> {
                        // a store-level rule's problems, in core's field paths: name them as the client wrote them
                        throw DefinitionDrafts.inProtocolTerms(definition, failure);
                    })
                    .thenApply(updated -> ResponseEncoder.status(context.allocator(), response,
                            request.requestId(), ResponseStatus.SUCCESS, null));
        }
        if (standard instanceof Request.ListStreams) {
            return service.list().thenApply(names -> ResponseEncoder.streams(context.allocator(), response,
                    request.requestId(), names));
        }
        throw new IllegalStateException(standard.operation() + " has no namespaced form");
    }

    private static StreamService service(String namespace, HandlerContext context) {
        Namespace name = Namespace.of(namespace);
        try {
            return context.service().namespace(name, false);
        } catch (IllegalArgumentException missing) {
            throw new NamespaceNotFoundException(name);
        }
    }
}
