package dev.usageevents.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.port.out.StoreUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {

    @Test
    void badInputIsInvalidArgumentWithEveryFieldInABadRequest() throws Exception {
        InvalidInputException invalid = new InvalidInputException(List.of(
                FieldError.of("customerId", "must not be empty").at(1),
                FieldError.of("properties.ratio", "must be a finite number").at(4)));

        StatusRuntimeException e = GrpcErrors.of(invalid, FieldPaths.batch("events"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription())
                .isEqualTo("events[1].customer_id: must not be empty; events[4].properties.ratio: must be a finite number");
        BadRequest details = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
        assertThat(details.getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
                .containsExactly("events[1].customer_id", "events[4].properties.ratio");
    }

    @Test
    void aStoreThatCannotCommitIsUnavailable() {
        StatusRuntimeException e = GrpcErrors.of(
                new StoreUnavailableException("PostgreSQL is unavailable", new SQLException("refused", "08001")),
                FieldPaths.request());

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(e.getStatus().getDescription()).contains("nothing was stored").doesNotContain("08001");
    }

    @Test
    void aDefectIsInternalAndTellsTheClientNothingOfIt() {
        StatusRuntimeException e = GrpcErrors.of(new IllegalStateException("secret detail"), FieldPaths.request());

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(e.getStatus().getDescription()).doesNotContain("secret detail");
    }

    @Test
    void aStatusIsKept() {
        StatusRuntimeException notFound = GrpcErrors.eventNotFound("0190a8e0-0000-7000-8000-000000000000");

        assertThat(GrpcErrors.of(notFound, FieldPaths.request())).isSameAs(notFound);
        assertThat(notFound.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }
}
