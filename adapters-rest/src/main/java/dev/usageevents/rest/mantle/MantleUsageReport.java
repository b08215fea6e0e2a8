package dev.usageevents.rest.mantle;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.usageevents.rest.common.PlainDecimal;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A usage report of one meter: the same report under {@code usageReport} (Mantle's docs) and {@code report}
 * (Mantle's SDK), as the two disagree on the key.
 */
@Schema(name = "MantleUsageReportResponse")
public record MantleUsageReport(Report usageReport, Report report) {

    static MantleUsageReport of(Report report) {
        return new MantleUsageReport(report, report);
    }

    /** {@code startDate} and {@code endDate} are the first and last millisecond of the period reported. */
    @Schema(name = "MantleUsageReport")
    public record Report(
            @Schema(required = true, examples = "2024-01-01T00:00:00Z") String startDate,
            @Schema(required = true, examples = "2024-01-31T23:59:59.999Z") String endDate,
            @Schema(required = true, enumeration = {"daily", "weekly", "monthly"}) String period,
            @Schema(required = true) List<Point> data) {
    }

    /** One window: its first instant, and the meter's exact value (null for MIN/MAX/AVG/LATEST with no event). */
    @Schema(name = "MantleUsageReportPoint")
    public record Point(
            @Schema(required = true, examples = "2024-01-01T00:00:00Z") String date,
            @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.NUMBER, examples = "42",
                    nullable = true) @JsonSerialize(using = PlainDecimal.class) BigDecimal value) {
    }
}
