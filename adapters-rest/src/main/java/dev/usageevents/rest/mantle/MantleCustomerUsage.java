package dev.usageevents.rest.mantle;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.usageevents.rest.common.PlainDecimal;
import java.math.BigDecimal;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code GET /v1/customer}: the customer as its app identified it, with the usage of each of the account's meters,
 * keyed by meter name.
 */
@Schema(name = "MantleCustomerResponse")
public record MantleCustomerUsage(Customer customer) {

    @Schema(name = "MantleCustomer")
    public record Customer(
            @Schema(required = true, description = "This service's id of the customer") String id,
            @Schema(description = "The customerId of its events, unless myshopifyDomain is") String platformId,
            String myshopifyDomain,
            String platform,
            String name,
            String email,
            String platformPlanName,
            Map<String, Object> customFields,
            String createdAt,
            @Schema(required = true, description = "Every meter of the account, by name") Map<String, Usage> usage) {
    }

    /**
     * One meter's values for this customer. {@code currentValue} is the calendar month to date in UTC (the same
     * as {@code monthToDateValue}); the "last" values end now; {@code allTimeValue} starts at 2000-01-01.
     */
    @Schema(name = "MantleCustomerMeterUsage")
    public record Usage(
            @Schema(required = true) String id,
            @Schema(required = true) String name,
            @Schema(required = true) String eventName,
            @Schema(type = SchemaType.NUMBER, nullable = true) @JsonSerialize(using = PlainDecimal.class)
            BigDecimal currentValue,
            @Schema(type = SchemaType.NUMBER, nullable = true) @JsonSerialize(using = PlainDecimal.class)
            BigDecimal monthToDateValue,
            @Schema(type = SchemaType.NUMBER, nullable = true) @JsonSerialize(using = PlainDecimal.class)
            BigDecimal last24HoursValue,
            @Schema(type = SchemaType.NUMBER, nullable = true) @JsonSerialize(using = PlainDecimal.class)
            BigDecimal last7DaysValue,
            @Schema(type = SchemaType.NUMBER, nullable = true) @JsonSerialize(using = PlainDecimal.class)
            BigDecimal last30DaysValue,
            @Schema(type = SchemaType.NUMBER, nullable = true) @JsonSerialize(using = PlainDecimal.class)
            BigDecimal last90DaysValue,
            @Schema(type = SchemaType.NUMBER, nullable = true) @JsonSerialize(using = PlainDecimal.class)
            BigDecimal last365DaysValue,
            @Schema(type = SchemaType.NUMBER, nullable = true) @JsonSerialize(using = PlainDecimal.class)
            BigDecimal allTimeValue) {
    }
}
