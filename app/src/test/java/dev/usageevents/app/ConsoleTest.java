package dev.usageevents.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.usageevents.app.testing.TestAccount;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's security: sessions and their cookie, CSRF on every form, one account's session confined to its
 * account, secrets shown on the creation / rotation page only.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ConsoleTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    /** A signed-in browser: its session cookie and its CSRF token. */
    record Browser(String session, String csrf, List<String> pages) {

        RequestSpecification given() {
            return io.restassured.RestAssured.given().redirects().follow(false).cookie("usage_console", session);
        }

        String page(String path) {
            String html = given().when().get(path).then().statusCode(200).extract().asString();
            pages.add(html);
            return html;
        }

        ExtractableResponse<Response> post(String path, String... fields) {
            RequestSpecification request = given().contentType(ContentType.URLENC).formParam("csrf", csrf);
            for (int i = 0; i < fields.length; i += 2) {
                request.formParam(fields[i], fields[i + 1]);
            }
            ExtractableResponse<Response> response = request.when().post(path).then().extract();
            pages.add(response.asString());
            return response;
        }
    }

    private static String csrfOf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a csrf field in %s", html).isTrue();
        return m.group(1);
    }

    static ExtractableResponse<Response> signInPost(String... fields) {
        ExtractableResponse<Response> form = given().when().get("/console/sign-in").then().statusCode(200).extract();
        RequestSpecification request = given().redirects().follow(false).contentType(ContentType.URLENC)
                .cookie("usage_console_signin", form.cookie("usage_console_signin"))
                .formParam("csrf", csrfOf(form.asString()));
        for (int i = 0; i < fields.length; i += 2) {
            request.formParam(fields[i], fields[i + 1]);
        }
        return request.when().post("/console/sign-in").then().extract();
    }

    static Browser signIn(String... fields) {
        ExtractableResponse<Response> signedIn = signInPost(fields);
        assertThat(signedIn.statusCode()).as(signedIn.asString()).isEqualTo(303);
        String session = signedIn.cookie("usage_console");
        String html = given().cookie("usage_console", session).when().get("/console/events")
                .then().statusCode(200).extract().asString();
        return new Browser(session, csrfOf(html), new ArrayList<>());
    }

    static Browser operator() {
        return signIn("kind", "operator", "token", TestAccount.ADMIN_TOKEN);
    }

    static Browser account(TestAccount created) {
        return signIn("kind", "account", "clientId", created.sequenceClientId(),
                "clientSecret", created.sequenceClientSecret());
    }

    private static String postEvent(TestAccount account, String eventId, String customer, int n) {
        return account.sequence()
                .contentType(ContentType.JSON)
                .body("{\"customerEventId\":\"" + eventId + "\",\"customerAlias\":\"" + customer + "\","
                        + "\"eventType\":\"api-call\",\"eventProperties\":{\"units\":" + n + "}}")
                .when().post("/api/usage-events").then().statusCode(201).extract().path("id");
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteStrict() {
        ExtractableResponse<Response> signedIn = signInPost("kind", "operator", "token", TestAccount.ADMIN_TOKEN);

        assertThat(signedIn.statusCode()).isEqualTo(303);
        String setCookie = signedIn.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("usage_console=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/console")
                .doesNotContain("Secure");
    }

    @Test
    void wrongCredentialsGetAClearMessageAndNoSession() {
        ExtractableResponse<Response> wrong = signInPost("kind", "operator", "token", "not-the-token");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.asString()).contains("Wrong admin token");
        assertThat(wrong.cookie("usage_console")).isNull();

        ExtractableResponse<Response> wrongSecret = signInPost("kind", "account", "clientId", "nobody",
                "clientSecret", "nothing");
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.asString()).contains("Wrong client id or client secret");
    }

    @Test
    void withoutASessionPagesRedirectToSignIn() {
        given().redirects().follow(false).when().get("/console/events").then().statusCode(303)
                .header("Location", containsString("/console/sign-in"));
        given().redirects().follow(false).cookie("usage_console", "made-up").when().get("/console/accounts")
                .then().statusCode(303);
    }

    @Test
    void formsWithoutTheSessionsCsrfTokenAreRefused() {
        Browser operator = operator();

        operator.given().contentType(ContentType.URLENC).formParam("name", "no token")
                .when().post("/console/accounts").then().statusCode(403);
        operator.given().contentType(ContentType.URLENC).formParam("name", "wrong token").formParam("csrf", "x")
                .when().post("/console/accounts").then().statusCode(403);
        operator.given().contentType(ContentType.URLENC).when().post("/console/sign-out").then().statusCode(403);
        operator.page("/console/accounts");
        given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("kind", "operator").formParam("token", TestAccount.ADMIN_TOKEN)
                .when().post("/console/sign-in").then().statusCode(403);
        assertThat(operator.page("/console/accounts")).doesNotContain("no token").doesNotContain("wrong token");
    }

    @Test
    void signOutEndsTheSession() {
        Browser operator = operator();

        assertThat(operator.post("/console/sign-out").statusCode()).isEqualTo(303);

        operator.given().when().get("/console/accounts").then().statusCode(303);
    }

    @Test
    void anAccountsSessionCannotOpenAnotherAccountsEvents() {
        TestAccount mine = TestAccount.create("console mine");
        TestAccount theirs = TestAccount.create("console theirs");
        String myEvent = postEvent(mine, "console-e1", "cust-a", 3);
        String theirEvent = postEvent(theirs, "console-e2", "cust-b", 4);
        Browser me = account(mine);

        assertThat(me.page("/console/events/" + myEvent)).contains("console-e1");
        me.given().when().get("/console/events/" + theirEvent).then().statusCode(404);
        me.given().when().get("/console/events/" + theirEvent + "?account=" + theirs.id())
                .then().statusCode(404);
        assertThat(me.page("/console/events?account=" + theirs.id())).contains("console-e1")
                .doesNotContain("console-e2");
        me.given().when().get("/console/accounts").then().statusCode(404);
        me.given().contentType(ContentType.URLENC).formParam("csrf", me.csrf())
                .when().post("/console/accounts/" + theirs.id() + "/rotate").then().statusCode(404);
    }

    @Test
    void anAccountsSessionCannotOpenAnotherAccountsMeterChartOrCsv() {
        TestAccount mine = TestAccount.create("console meters mine");
        TestAccount theirs = TestAccount.create("console meters theirs");
        Browser me = account(mine);
        Browser them = account(theirs);
        String theirMeter = createMeter(them, "theirs");
        String myMeter = createMeter(me, "mine");

        me.page("/console/meters/" + myMeter);
        for (String path : List.of("/console/meters/" + theirMeter, "/console/meters/" + theirMeter + "/edit",
                "/console/meters/" + theirMeter + "/csv",
                "/console/meters/" + theirMeter + "?account=" + theirs.id())) {
            me.given().when().get(path).then().statusCode(404);
        }
        assertThat(me.post("/console/meters/" + theirMeter, "account", theirs.id(), "name", "taken over",
                "eventName", "api-call", "aggregation", "COUNT").statusCode()).isEqualTo(404);
        assertThat(me.page("/console/meters?account=" + theirs.id())).contains("mine").doesNotContain("theirs");
        assertThat(them.page("/console/meters/" + theirMeter)).contains("theirs").doesNotContain("taken over");
    }

    @Test
    void aMeterShowsTheDomainsValidationAndTheRightTotalAndCsv() {
        TestAccount account = TestAccount.create("console meter total");
        postEvent(account, "console-m1", "cust-x", 5);
        postEvent(account, "console-m2", "cust-y", 7);
        postEvent(account, "console-m1", "cust-x", 6);
        Browser owner = account(account);

        ExtractableResponse<Response> invalid = owner.post("/console/meters", "name", "Units", "eventName", "api-call",
                "aggregation", "SUM");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.asString()).contains("valueProperty");
        ExtractableResponse<Response> created = owner.post("/console/meters", "name", "Units", "eventName",
                "api-call", "aggregation", "SUM", "valueProperty", "units");
        assertThat(created.statusCode()).isEqualTo(303);
        String page = owner.page(created.header("Location").replaceFirst("^https?://[^/]+", ""));

        assertThat(page).contains("<strong id=\"meter-total\">13</strong>").contains("<svg class=\"chart\"");
        String csv = owner.given().when().get(created.header("Location").replaceFirst("^https?://[^/]+", "")
                .replaceFirst("\\?", "/csv?")).then().statusCode(200).extract().asString();
        assertThat(csv.lines().filter(l -> l.contains(",cust-x,")).mapToDouble(l -> Double.parseDouble(
                l.split(",")[3])).sum()).isEqualTo(6.0);
        assertThat(csv.lines().filter(l -> l.contains(",cust-y,")).count()).isEqualTo(7);
    }

    private static String createMeter(Browser browser, String name) {
        ExtractableResponse<Response> created = browser.post("/console/meters", "name", name, "eventName",
                "api-call", "aggregation", "COUNT");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(303);
        return created.header("Location").replaceFirst(".*/console/meters/", "").replaceFirst("\\?.*", "");
    }

    @Test
    void theEventListFiltersByCustomerNameChannelAndTime() {
        TestAccount account = TestAccount.create("console filters");
        postEvent(account, "console-f1", "cust-f1", 1);
        postEvent(account, "console-f2", "cust-f2", 2);
        Browser owner = account(account);

        assertThat(owner.page("/console/events?customer=cust-f1")).contains("console-f1").doesNotContain("console-f2");
        assertThat(owner.page("/console/events/rows?channel=SEQUENCE")).contains("console-f1").contains("console-f2");
        assertThat(owner.page("/console/events/rows?channel=MANTLE")).doesNotContain("console-f1")
                .contains("No events match.");
        assertThat(owner.page("/console/events/rows?name=other-name")).doesNotContain("console-f1");
        assertThat(owner.page("/console/events/rows?from=2000-01-01T00:00&to=2000-01-02T00:00"))
                .doesNotContain("console-f1");
        owner.given().when().get("/console/events/rows?from=yesterday").then().statusCode(400)
                .body(containsString("from: must be a date and time"));
    }

    @Test
    void anEventsPageShowsItsWholeHistory() {
        TestAccount account = TestAccount.create("console history");
        String first = postEvent(account, "console-h", "cust-h", 1);
        String second = postEvent(account, "console-h", "cust-h", 2);
        Browser operator = operator();

        String page = operator.page("/console/events/" + second + "?account=" + account.id());

        assertThat(page).contains(first).contains(second).contains("superseded at")
                .contains("&quot;units&quot; : 2");
    }

    @Test
    void secretsAppearOnlyOnTheCreationAndRotationPages() {
        Browser operator = operator();

        ExtractableResponse<Response> created = operator.post("/console/accounts", "name", "console secrets");
        assertThat(created.statusCode()).isEqualTo(200);
        String html = created.asString();
        assertThat(html).contains("shown on this page only");
        String secret = secretOf(html, "seq-secret");
        String apiKey = secretOf(html, "mantle-key");
        String id = secretOf(html, "seq-id");
        String accountId = Pattern.compile("Account id</dt><dd><code>([^<]+)</code>").matcher(html).results()
                .findFirst().orElseThrow().group(1);

        ExtractableResponse<Response> rotated = operator.post("/console/accounts/" + accountId + "/rotate");
        assertThat(rotated.statusCode()).isEqualTo(200);
        String newSecret = secretOf(rotated.asString(), "seq-secret");
        assertThat(newSecret).isNotEqualTo(secret);

        Browser owner = signIn("kind", "account", "clientId", id, "clientSecret", newSecret);
        List<String> others = new ArrayList<>();
        others.add(operator.page("/console/accounts"));
        others.add(operator.page("/console/events?account=" + accountId));
        others.add(operator.page("/console/meters?account=" + accountId));
        others.add(owner.page("/console/events"));
        others.add(owner.page("/console/meters"));
        others.add(owner.page("/console/health"));
        for (String page : others) {
            assertThat(page).doesNotContain(secret).doesNotContain(apiKey).doesNotContain(newSecret)
                    .doesNotContain(TestAccount.ADMIN_TOKEN);
        }
    }

    private static String secretOf(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\">([^<]+)<").matcher(html);
        assertThat(m.find()).as(id).isTrue();
        return m.group(1);
    }
}
