package dev.usageevents.rest.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.usageevents.rest.testing.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminAccountsTest {

    static final String ADMIN = TestAccount.ADMIN;

    static ExtractableResponse<Response> createAccount(String name) {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\"}")
                .when().post("/admin/accounts")
                .then().statusCode(201).extract();
    }

    @Test
    void createsAnAccountInTheContractShape() {
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"name\":\"Acme\"}")
                .when().post("/admin/accounts")
                .then().statusCode(201)
                .header("Location", matchesPattern(".*/admin/accounts/[0-9a-f-]{36}"))
                .body("id", matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"))
                .body("name", equalTo("Acme"))
                .body("sequence.clientId", notNullValue())
                .body("sequence.clientSecret", notNullValue())
                .body("mantle.appId", notNullValue())
                .body("mantle.apiKey", notNullValue())
                .body("size()", equalTo(4))
                .body("sequence.size()", equalTo(2))
                .body("mantle.size()", equalTo(2));
    }

    @Test
    void listsAccountsWithoutSecrets() {
        ExtractableResponse<Response> created = createAccount("Listed");
        String secret = created.path("sequence.clientSecret");
        String apiKey = created.path("mantle.apiKey");

        String body = given().header("Authorization", ADMIN).when().get("/admin/accounts")
                .then().statusCode(200)
                .body("items.id", hasItem((String) created.path("id")))
                .body("items.sequence.clientId", hasItem((String) created.path("sequence.clientId")))
                .extract().asString();
        org.assertj.core.api.Assertions.assertThat(body).doesNotContain(secret).doesNotContain(apiKey);
    }

    @Test
    void rotatesSecrets() {
        ExtractableResponse<Response> created = createAccount("Rotated");
        String id = created.path("id");

        given().header("Authorization", ADMIN).when().post("/admin/accounts/" + id + "/rotate-secrets")
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("sequence.clientId", equalTo((String) created.path("sequence.clientId")))
                .body("sequence.clientSecret", not(equalTo((String) created.path("sequence.clientSecret"))))
                .body("mantle.apiKey", not(equalTo((String) created.path("mantle.apiKey"))));
        given().header("Authorization", ADMIN).when()
                .post("/admin/accounts/0190a8e0-0000-7000-8000-000000000000/rotate-secrets")
                .then().statusCode(404).body("error.type", equalTo("NotFound"));
    }

    @Test
    void rejectsMissingAndWrongTokens() {
        given().contentType(ContentType.JSON).body("{\"name\":\"x\"}").when().post("/admin/accounts")
                .then().statusCode(401).header("WWW-Authenticate", notNullValue())
                .body("error.type", equalTo("Unauthorized"));
        given().header("Authorization", "Bearer wrong").when().get("/admin/accounts")
                .then().statusCode(401);
        given().header("Authorization", "Basic dGVzdC1hZG1pbi10b2tlbg==").when().get("/admin/accounts")
                .then().statusCode(401);
    }

    @Test
    void rejectsBadBodies() {
        for (String body : new String[] {"", "not json", "[]", "{}", "{\"name\":5}", "{\"name\":\"  \"}",
                "{\"name\":\"" + "x".repeat(201) + "\"}"}) {
            given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(body)
                    .when().post("/admin/accounts")
                    .then().statusCode(400).body("error.type", equalTo("InvalidRequest"));
        }
    }
}
