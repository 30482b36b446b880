package dev.patchbay.account;

import dev.patchbay.PatchbayException;
import java.util.Locale;

public enum AccountStatus {
    ACTIVE, SUSPENDED, CLOSED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AccountStatus parse(String value) {
        for (AccountStatus status : values()) {
            if (status.wire().equals(value)) {
                return status;
            }
        }
        throw PatchbayException.InvalidParameter.invalid("Status", value, "one of active, suspended, closed");
    }
}
