package dev.usageevents.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import java.nio.charset.StandardCharsets;

/**
 * Sends every status message as the gRPC spec encodes it: only the bytes outside 0x20–0x7E, and {@code %}, are
 * percent-encoded ("Status-Message → Percent-Encoded", PROTOCOL-HTTP2.md). The Vert.x gRPC server that Quarkus
 * serves gRPC with on the HTTP port URL-encodes the message instead ({@code :} as {@code %3A}, a space as
 * {@code %20}), which clients such as grpc-js, that decode by the spec's rule, show as escapes.
 *
 * <p>So a call that closes with a description is closed with none, and the {@code grpc-message} trailer carries
 * the spec-encoded description: the Vert.x bridge copies the call's trailers to the response as they are and adds
 * its own {@code grpc-message} only when the status has a description. The interceptor is global and runs
 * outermost, so that the closes of every other interceptor and service pass through it.
 */
@ApplicationScoped
@GlobalInterceptor
public class StatusMessageEncoding implements ServerInterceptor, Prioritized {

    static final Metadata.Key<String> GRPC_MESSAGE = Metadata.Key.of("grpc-message", Metadata.ASCII_STRING_MARSHALLER);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    @Override
    public int getPriority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        return next.startCall(new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                String description = status.getDescription();
                if (status.isOk() || description == null) {
                    super.close(status, trailers);
                    return;
                }
                trailers.removeAll(GRPC_MESSAGE);
                trailers.put(GRPC_MESSAGE, encode(description));
                super.close(status.withDescription(null), trailers);
            }
        }, headers);
    }

    /** The spec's percent-encoding of a status message: its UTF-8 bytes, those outside 0x20–0x7E and '%' as %XX. */
    static String encode(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        StringBuilder encoded = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int unsigned = b & 0xFF;
            if (unsigned >= 0x20 && unsigned <= 0x7E && unsigned != '%') {
                encoded.append((char) unsigned);
            } else {
                encoded.append('%').append(HEX[unsigned >> 4]).append(HEX[unsigned & 0xF]);
            }
        }
        return encoded.toString();
    }
}
