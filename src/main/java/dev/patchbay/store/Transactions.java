package dev.patchbay.store;

import org.jdbi.v3.core.HandleCallback;

/** Something that runs transactions: the {@link Database} on any pooled connection, or one {@linkplain Database.Pinned pinned} connection. */
public interface Transactions {

    /** Runs the callback in one transaction: everything it writes lands together or not at all. */
    <T> T inTransaction(HandleCallback<T, RuntimeException> callback);
}
