package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.Source;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Voids events: for each event id, a last-wins supersede of its current version by a copy whose customer is
 * {@link QueryMeters#VOID_CUSTOMER}, so that it counts for no one while its history stays readable. All or
 * nothing, like an ingest; an unknown event id is invalid input naming its index.
 */
public interface VoidEvents {

    CompletionStage<List<IngestOutcome>> voidEvents(AccountId accountId, Source source, List<String> eventIds);
}
