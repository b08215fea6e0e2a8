package dev.usageevents.grpc;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a service parse its own requests, so that a request protobuf cannot read ends the call with
 * INVALID_ARGUMENT. Left to the transport, such a message (a Struct nested past protobuf's limit of 100 message
 * levels, or plain garbage) is dropped with nothing but a log line: a unary call then fails with INTERNAL
 * ("half-closed without a request") and a stream waits forever for a batch that never comes.
 *
 * <p>The transport hands each method its request as bytes; the service's own handler gets it parsed. The method
 * names, types and schema (which server reflection shows) stay as they are.
 *
 * <p>A message that does not parse is taken as the end of the client's messages: the handler finishes what it
 * has (a stream acknowledges the batches before it, once committed), and the call then ends with
 * INVALID_ARGUMENT whatever status the handler closes it with.
 */
final class ParsedRequests {

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private ParsedRequests() {
    }

    static ServerServiceDefinition of(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<byte[], ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<byte[], ?> parsing = parsing(method);
            descriptor.addMethod(parsing.getMethodDescriptor());
            methods.add(parsing);
        }
        ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(definition::addMethod);
        return definition.build();
    }

    private static <Q, R> ServerMethodDefinition<byte[], R> parsing(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> typed = method.getMethodDescriptor();
        ServerCallHandler<Q, R> handler = method.getServerCallHandler();
        MethodDescriptor<byte[], R> bytes = typed.toBuilder(BYTES, typed.getResponseMarshaller()).build();
        return ServerMethodDefinition.create(bytes, (call, headers) -> {
            TypedCall<Q, R> typedCall = new TypedCall<>(call, typed);
            return new ParsingListener<>(typedCall, handler.startCall(typedCall, headers));
        });
    }

    /** Parses each message for the handler's listener; a message that does not parse ends the call. */
    private static final class ParsingListener<Q, R> extends ServerCall.Listener<byte[]> {

        private final TypedCall<Q, R> call;
        private final ServerCall.Listener<Q> delegate;
        private boolean failed;

        ParsingListener(TypedCall<Q, R> call, ServerCall.Listener<Q> delegate) {
            this.call = call;
            this.delegate = delegate;
        }

        @Override
        public void onMessage(byte[] message) {
            if (failed) {
                return;
            }
            Q request;
            try {
                request = call.getMethodDescriptor().parseRequest(new ByteArrayInputStream(message));
            } catch (RuntimeException e) {
                failed = true;
                call.closeWith(Status.INVALID_ARGUMENT.withDescription("A request message of "
                        + call.getMethodDescriptor().getFullMethodName() + " cannot be parsed: it is malformed or nests "
                        + "too deeply (properties nest at most 16 levels). Nothing of it was stored."));
                delegate.onHalfClose();
                return;
            }
            delegate.onMessage(request);
        }

        @Override
        public void onHalfClose() {
            if (!failed) {
                delegate.onHalfClose();
            }
        }

        @Override
        public void onCancel() {
            delegate.onCancel();
        }

        @Override
        public void onComplete() {
            delegate.onComplete();
        }

        @Override
        public void onReady() {
            if (!failed) {
                delegate.onReady();
            }
        }
    }

    /** The transport's call, seen with the method's own request type. */
    private static final class TypedCall<Q, R> extends ServerCall<Q, R> {

        private final ServerCall<byte[], R> call;
        private final MethodDescriptor<Q, R> method;
        private volatile Status closeWith;

        TypedCall(ServerCall<byte[], R> call, MethodDescriptor<Q, R> method) {
            this.call = call;
            this.method = method;
        }

        @Override
        public void request(int numMessages) {
            call.request(numMessages);
        }

        @Override
        public void sendHeaders(Metadata headers) {
            call.sendHeaders(headers);
        }

        @Override
        public void sendMessage(R message) {
            call.sendMessage(message);
        }

        @Override
        public boolean isReady() {
            return call.isReady();
        }

        /** The status the call will end with, whatever the handler closes it with. */
        void closeWith(Status status) {
            closeWith = status;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            Status imposed = closeWith;
            if (imposed == null) {
                call.close(status, trailers);
            } else {
                call.close(imposed, new Metadata());
            }
        }

        @Override
        public boolean isCancelled() {
            return call.isCancelled();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            call.setMessageCompression(enabled);
        }

        @Override
        public void setCompression(String compressor) {
            call.setCompression(compressor);
        }

        @Override
        public SecurityLevel getSecurityLevel() {
            return call.getSecurityLevel();
        }

        @Override
        public Attributes getAttributes() {
            return call.getAttributes();
        }

        @Override
        public String getAuthority() {
            return call.getAuthority();
        }

        @Override
        public MethodDescriptor<Q, R> getMethodDescriptor() {
            return method;
        }
    }
}
