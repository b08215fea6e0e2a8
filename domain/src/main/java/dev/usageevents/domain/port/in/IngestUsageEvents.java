package dev.usageevents.domain.port.in;

import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import java.util.List;

/** Ingest a batch of usage events: all of them or none. */
public interface IngestUsageEvents {

    int MAX_BATCH_SIZE = 1000;

    /**
     * Validates every event, then stores the batch in one transaction under the command's supersede rule.
     * Returns once the batch is committed, with one outcome per event in order.
     *
     * @throws InvalidInputException naming every bad field with its index; nothing is stored
     * @throws dev.usageevents.domain.port.out.StoreUnavailableException when the store cannot commit
     */
    List<IngestOutcome> ingest(IngestCommand command);
}
