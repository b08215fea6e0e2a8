package dev.usageevents.app.mantle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * Counted values through the Mantle API, against the domain's implementation and PostgreSQL: events sent through
 * Mantle, read back in the report and in the customer's usage.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MantleUsageMetersEndToEndTest {

    private static void send(MantleMeterAccount account, String customer, Instant at, String tokens) {
        account.mantle().server().body("{\"customerId\":\"" + customer + "\",\"eventName\":\"api.call\","
                        + "\"timestamp\":" + at.toEpochMilli() + ",\"properties\":{\"tokens\":" + tokens + "}}")
                .when().post("/v1/usage_events").then().statusCode(200);
    }

    @Test
    void reportsAndCustomerUsageCountTheEventsSent() {
        MantleMeterAccount account = MantleMeterAccount.create();
        account.meter("calls", "COUNT", null);
        account.meter("tokens", "SUM", "tokens");
        String token = account.mantle().identify("cus_1");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        send(account, "cus_1", now.minus(Duration.ofHours(1)), "1.5");
        send(account, "cus_1", now.minus(Duration.ofDays(3)), "2");
        send(account, "cus_1", now.minus(Duration.ofDays(200)), "10");
        send(account, "cus_2", now.minus(Duration.ofHours(1)), "100");

        JsonPath customer = account.mantle().customer(token).when().get("/v1/customer").then().statusCode(200)
                .extract().jsonPath();
        assertThat(new BigDecimal(customer.getString("customer.usage.calls.last24HoursValue"))).isEqualByComparingTo("1");
        assertThat(new BigDecimal(customer.getString("customer.usage.calls.last7DaysValue"))).isEqualByComparingTo("2");
        assertThat(new BigDecimal(customer.getString("customer.usage.calls.last365DaysValue")))
                .isEqualByComparingTo("3");
        assertThat(new BigDecimal(customer.getString("customer.usage.tokens.allTimeValue")))
                .isEqualByComparingTo("13.5");
        assertThat(new BigDecimal(customer.getString("customer.usage.tokens.last7DaysValue")))
                .isEqualByComparingTo("3.5");

        JsonPath all = account.mantle().server().when().get("/v1/usage_metrics/tokens/report").then()
                .statusCode(200).extract().jsonPath();
        assertThat(all.getList("usageReport.data.value", BigDecimal.class).stream()
                .reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("103.5");
        JsonPath own = account.mantle().customer(token).when().get("/v1/usage_events/tokens/report").then()
                .statusCode(200).extract().jsonPath();
        assertThat(own.getList("report.data.value", BigDecimal.class).stream()
                .reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("3.5");
    }
}
