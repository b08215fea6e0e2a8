package dev.usageevents.domain.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The supersede rules, applied by a store inside one transaction. The store locks the keys of the events it is
 * about to write, loads the events that are current for those keys, and hands both to a plan; the plan applies
 * the rules to the batches in order (later batches see what earlier ones did) and says what to write: the rows
 * to insert (with their final superseded state, when a later event of the same transaction replaced them) and
 * the stored rows to mark as superseded.
 *
 * <ul>
 *   <li>no current event for the key: the event is stored and becomes current ({@code CREATED});</li>
 *   <li>the current event carries the same usage: nothing is stored ({@code REPLAY});</li>
 *   <li>first wins: nothing is stored ({@code DUPLICATE_IGNORED});</li>
 *   <li>last wins: the event is stored and becomes current, the previous one is linked to it
 *       ({@code SUPERSEDED_PREVIOUS}).</li>
 * </ul>
 */
public final class SupersedePlan {

    private final Set<EventKey> lockedKeys;
    private final Map<EventKey, UsageEvent> current = new HashMap<>();
    private final Map<UUID, UsageEvent> inserts = new LinkedHashMap<>();
    private final List<Supersession> updates = new ArrayList<>();

    /**
     * @param lockedKeys the keys the store holds locks on for this transaction
     * @param currentInStore the stored current events for (some of) those keys
     */
    public SupersedePlan(Set<EventKey> lockedKeys, Collection<UsageEvent> currentInStore) {
        this.lockedKeys = Set.copyOf(lockedKeys);
        for (UsageEvent event : currentInStore) {
            if (!event.isCurrent()) {
                throw new IllegalArgumentException("event " + event.id() + " is not current");
            }
            if (current.put(EventKey.of(event), event) != null) {
                throw new IllegalStateException("two current events for " + EventKey.of(event));
            }
        }
    }

    /** Applies the rule to each event of the batch in order and returns one outcome per event. */
    public List<IngestOutcome> apply(SupersedeRule rule, List<NewEvent> batch) {
        List<IngestOutcome> outcomes = new ArrayList<>(batch.size());
        for (NewEvent candidate : batch) {
            outcomes.add(apply(rule, candidate));
        }
        return outcomes;
    }

    /**
     * The outcome of an event whose key had no current event and that the store claimed for it (the first rule:
     * {@code CREATED}). A store that claims new keys in bulk, before it locks and plans the others (the set-based
     * writer), takes their outcome from here.
     */
    public static IngestOutcome claimed(NewEvent candidate) {
        return new IngestOutcome(IngestOutcome.Kind.CREATED, candidate.event(), null);
    }

    private IngestOutcome apply(SupersedeRule rule, NewEvent candidate) {
        EventKey key = candidate.key();
        if (!lockedKeys.contains(key)) {
            throw new IllegalStateException("the store did not lock " + key);
        }
        UsageEvent event = candidate.event();
        UsageEvent previous = current.get(key);
        if (previous == null) {
            store(key, event);
            return claimed(candidate);
        }
        if (previous.sameUsageAs(event, !candidate.timestampGiven())) {
            return new IngestOutcome(IngestOutcome.Kind.REPLAY, previous, null);
        }
        if (rule == SupersedeRule.FIRST_WINS) {
            return new IngestOutcome(IngestOutcome.Kind.DUPLICATE_IGNORED, previous, null);
        }
        if (inserts.containsKey(previous.id())) {
            inserts.put(previous.id(), previous.supersededBy(event.id(), event.receivedAt()));
        } else {
            updates.add(new Supersession(previous.id(), event.id(), event.receivedAt()));
        }
        store(key, event);
        return new IngestOutcome(IngestOutcome.Kind.SUPERSEDED_PREVIOUS, event, previous.id());
    }

    private void store(EventKey key, UsageEvent event) {
        inserts.put(event.id(), event);
        current.put(key, event);
    }

    /** The new rows, in arrival order, each with its final state in this transaction. */
    public List<UsageEvent> inserts() {
        return List.copyOf(inserts.values());
    }

    /** The rows stored before this transaction that it supersedes. */
    public List<Supersession> updates() {
        return List.copyOf(updates);
    }
}
