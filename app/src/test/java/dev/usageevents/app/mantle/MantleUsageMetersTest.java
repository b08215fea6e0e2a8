package dev.usageevents.app.mantle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mantle's usage reads as a client sees them: the report at both paths and under both keys, its periods,
 * defaults and caps, who may read what, GET /v1/customer, and Mantle's error shape. Counted values are
 * {@link MantleUsageMetersEndToEndTest}'s.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MantleUsageMetersTest {

    @Test
    void reportsAtBothPathsUnderBothKeysByIdOrName() {
        MantleMeterAccount account = MantleMeterAccount.create();
        String id = account.meter("api-calls", "COUNT", null);

        for (String path : List.of("/v1/usage_metrics/" + id + "/report", "/v1/usage_metrics/api-calls/report",
                "/v1/usage_events/api-calls/report", "/v1/usage_events/" + id + "/report")) {
            JsonPath report = account.mantle().server().queryParam("period", "daily")
                    .queryParam("startDate", "2024-01-01").queryParam("endDate", "2024-01-03")
                    .when().get(path).then().statusCode(200).extract().jsonPath();
            assertThat(report.getMap("usageReport")).isEqualTo(report.getMap("report"));
            assertThat(report.getString("usageReport.startDate")).isEqualTo("2024-01-01T00:00:00Z");
            assertThat(report.getString("usageReport.endDate")).isEqualTo("2024-01-03T23:59:59.999Z");
            assertThat(report.getString("usageReport.period")).isEqualTo("daily");
            assertThat(report.getList("usageReport.data.date")).containsExactly("2024-01-01T00:00:00Z",
                    "2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z");
            assertThat(report.getList("usageReport.data.value", Integer.class)).containsExactly(0, 0, 0);
        }
    }

    @Test
    void defaultsToThirtyDaysTwelveWeeksOrTwelveMonthsBackFromToday() {
        MantleMeterAccount account = MantleMeterAccount.create();
        account.meter("m", "COUNT", null);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String report = "/v1/usage_metrics/m/report";

        account.mantle().server().when().get(report).then().statusCode(200)
                .body("usageReport.period", equalTo("daily"))
                .body("usageReport.data", hasSize(30))
                .body("usageReport.startDate", equalTo(today.minusDays(29) + "T00:00:00Z"));
        account.mantle().server().queryParam("period", "weekly").when().get(report).then().statusCode(200)
                .body("usageReport.data", hasSize(12))
                .body("usageReport.data[11].date", equalTo(
                        today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)) + "T00:00:00Z"));
        account.mantle().server().queryParam("period", "monthly").queryParam("endDate", "2024-12-15")
                .when().get(report).then().statusCode(200)
                .body("usageReport.data", hasSize(12))
                .body("usageReport.startDate", equalTo("2024-01-01T00:00:00Z"))
                .body("usageReport.endDate", equalTo("2024-12-31T23:59:59.999Z"));
        account.mantle().server().queryParam("startDate", "2024-01-31T23:59:59Z")
                .queryParam("endDate", "2024-02-01T23:59:59Z").when().get(report).then().statusCode(200)
                .body("usageReport.data", hasSize(2));
    }

    @Test
    void refusesPeriodsBeyondTheCapsAndBadParametersInMantlesShape() {
        MantleMeterAccount account = MantleMeterAccount.create();
        account.meter("m", "COUNT", null);
        String report = "/v1/usage_metrics/m/report";

        account.mantle().server().queryParam("startDate", "2024-01-01").queryParam("endDate", "2024-03-30")
                .when().get(report).then().statusCode(200).body("usageReport.data", hasSize(90));
        account.mantle().server().queryParam("startDate", "2024-01-01").queryParam("endDate", "2024-03-31")
                .when().get(report).then().statusCode(422)
                .body("details[0].field", equalTo("startDate")).body("error", notNullValue());
        account.mantle().server().queryParam("period", "weekly").queryParam("startDate", "2024-01-01")
                .queryParam("endDate", "2024-03-31").when().get(report).then().statusCode(422);
        account.mantle().server().queryParam("period", "monthly").queryParam("startDate", "2024-01-01")
                .queryParam("endDate", "2025-01-01").when().get(report).then().statusCode(422);
        account.mantle().server().queryParam("startDate", "2024-01-02").queryParam("endDate", "2024-01-01")
                .when().get(report).then().statusCode(422).body("details[0].field", equalTo("startDate"));
        account.mantle().server().queryParam("period", "hourly").when().get(report).then().statusCode(400)
                .body("details[0].field", equalTo("period"));
        account.mantle().server().queryParam("endDate", "tomorrow").when().get(report).then().statusCode(400)
                .body("details[0].field", equalTo("endDate"));
    }

    @Test
    void anUnknownMeterOrAnotherAccountsIsAbsent() {
        MantleMeterAccount owner = MantleMeterAccount.create();
        MantleMeterAccount other = MantleMeterAccount.create();
        String id = owner.meter("mine", "COUNT", null);

        other.mantle().server().when().get("/v1/usage_metrics/" + id + "/report").then().statusCode(404)
                .body("error", notNullValue());
        other.mantle().server().when().get("/v1/usage_metrics/mine/report").then().statusCode(404);
        owner.mantle().server().when().get("/v1/usage_metrics/missing/report").then().statusCode(404);
        given().when().get("/v1/usage_metrics/mine/report").then().statusCode(401);
    }

    @Test
    void aCustomerTokenReadsItsOwnUsageOnly() {
        MantleMeterAccount account = MantleMeterAccount.create();
        account.meter("m", "COUNT", null);
        String token = account.mantle().identify("cus_1");

        account.mantle().customer(token).when().get("/v1/usage_metrics/m/report").then().statusCode(200);
        account.mantle().customer(token).queryParam("customerId", "cus_1").when().get("/v1/usage_metrics/m/report")
                .then().statusCode(200);
        account.mantle().customer(token).queryParam("customerId", "cus_2").when().get("/v1/usage_metrics/m/report")
                .then().statusCode(403).body("details[0].field", equalTo("customerId"));
        account.mantle().customer(token).queryParam("id", "cus_2").when().get("/v1/customer")
                .then().statusCode(403);
    }

    @Test
    void theCustomerCarriesTheUsageOfEveryMeterByName() {
        MantleMeterAccount account = MantleMeterAccount.create();
        String calls = account.meter("api-calls", "COUNT", null);
        account.meter("tokens", "SUM", "tokens");
        String token = account.mantle().identify("cus_1");

        JsonPath byToken = account.mantle().customer(token).when().get("/v1/customer").then().statusCode(200)
                .extract().jsonPath();
        JsonPath byKey = account.mantle().server().queryParam("id", "cus_1").when().get("/v1/customer").then()
                .statusCode(200).extract().jsonPath();

        assertThat(byToken.getMap("customer")).isEqualTo(byKey.getMap("customer"));
        assertThat(byToken.getString("customer.platformId")).isEqualTo("cus_1");
        assertThat(byToken.getString("customer.platform")).isEqualTo("stripe");
        assertThat(byToken.getString("customer.id")).isNotBlank();
        Map<String, Object> usage = byToken.getMap("customer.usage.api-calls");
        assertThat(usage).containsEntry("id", calls).containsEntry("name", "api-calls")
                .containsEntry("eventName", "api.call");
        assertThat(usage).containsKeys("currentValue", "monthToDateValue", "last24HoursValue", "last7DaysValue",
                "last30DaysValue", "last90DaysValue", "last365DaysValue", "allTimeValue");
        assertThat(byToken.getMap("customer.usage")).containsOnlyKeys("api-calls", "tokens");
    }

    @Test
    void anUnknownCustomerIsA404InMantlesShape() {
        MantleMeterAccount account = MantleMeterAccount.create();

        account.mantle().server().queryParam("id", "nobody").when().get("/v1/customer").then().statusCode(404)
                .body("error", equalTo("No customer 'nobody'"));
        account.mantle().server().when().get("/v1/customer").then().statusCode(400)
                .body("details[0].field", equalTo("id"));
        given().when().get("/v1/customer").then().statusCode(401);
    }
}
