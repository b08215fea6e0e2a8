package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.Customer;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.CustomerProfile;
import dev.usageevents.domain.port.out.StoredCustomer;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

@Entity
@Table(name = "mantle_customers")
public class CustomerEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(nullable = false)
    public String reference;

    @Column(nullable = false)
    public String platform;

    @Column(name = "platform_id")
    public String platformId;

    @Column(name = "myshopify_domain")
    public String myshopifyDomain;

    public String name;

    public String email;

    @Column(name = "platform_plan_name")
    public String platformPlanName;

    @Column(name = "custom_fields", columnDefinition = "jsonb")
    @ColumnTransformer(read = "custom_fields::text", write = "?::jsonb")
    public String customFields;

    @Column(name = "customer_created_at")
    public Instant customerCreatedAt;

    @Column(name = "first_identified_at", nullable = false)
    public Instant firstIdentifiedAt;

    @Column(name = "last_identified_at", nullable = false)
    public Instant lastIdentifiedAt;

    @Column(name = "token_version", nullable = false)
    public int tokenVersion;

    @Column(name = "token_hash", nullable = false)
    public String tokenHash;

    static CustomerEntity from(StoredCustomer stored) {
        CustomerEntity entity = new CustomerEntity();
        entity.id = stored.customer().id();
        entity.accountId = stored.customer().accountId().value();
        entity.reference = stored.customer().reference().value();
        entity.firstIdentifiedAt = stored.customer().firstIdentifiedAt();
        entity.set(stored);
        return entity;
    }

    /** Takes over what may change: the profile, the last identify and the token. */
    void set(StoredCustomer stored) {
        CustomerProfile profile = stored.customer().profile();
        platform = profile.platform();
        platformId = profile.platformId();
        myshopifyDomain = profile.myshopifyDomain();
        name = profile.name();
        email = profile.email();
        platformPlanName = profile.platformPlanName();
        customFields = profile.customFields() == null ? null : profile.customFields().toJson();
        customerCreatedAt = profile.createdAt();
        lastIdentifiedAt = stored.customer().lastIdentifiedAt();
        tokenVersion = stored.tokenVersion();
        tokenHash = stored.tokenHash();
    }

    StoredCustomer toDomain() {
        CustomerProfile profile = new CustomerProfile(platform, platformId, myshopifyDomain, name, email,
                platformPlanName, customFields == null ? null : PropertiesJson.read(customFields), customerCreatedAt);
        return new StoredCustomer(new Customer(id, new AccountId(accountId), new CustomerId(reference), profile,
                firstIdentifiedAt, lastIdentifiedAt), tokenVersion, tokenHash);
    }
}
