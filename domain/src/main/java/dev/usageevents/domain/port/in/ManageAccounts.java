package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.AccountId;
import java.util.List;
import java.util.Optional;

/** The admin's use cases: create accounts, list them, rotate their secrets. */
public interface ManageAccounts {

    AccountCredentials create(String name);

    List<Account> list();

    /** New secrets for both schemas; the ids stay, the old secrets stop working at once. */
    Optional<AccountCredentials> rotateSecrets(AccountId id);
}
