package dev.patchbay.call;

import dev.patchbay.account.Account;
import dev.patchbay.account.Accounts;
import dev.patchbay.number.Application;
import dev.patchbay.number.Applications;
import dev.patchbay.number.IncomingNumber;
import dev.patchbay.number.Numbers;
import dev.patchbay.number.PhoneNumbers;
import dev.patchbay.number.VoiceSettings;
import dev.patchbay.store.ShortLived;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Answers "which number, account and voice settings does a call to this address reach, and does
 * the account's balance have a floor?" for the
 * INVITE path, remembering each answer for {@link #TTL_MILLIS} so a burst of calls to one
 * number costs one set of queries. Changes made on any node are seen within that time; misses
 * (unknown numbers) are never remembered.
 */
final class Directory {

    static final long TTL_MILLIS = 1000;

    /** What a call to a number needs to be routed; {@code limited}: the account's balance has a floor (prepaid, credit limit). */
    record Entry(IncomingNumber number, Account account, VoiceSettings voice, boolean limited) {
    }

    private final Numbers numbers;
    private final Accounts accounts;
    private final Applications applications;
    private final Clock clock;
    private final Predicate<String> limited;
    private final ShortLived<String, Entry> entries = new ShortLived<>(TTL_MILLIS);

    Directory(Numbers numbers, Accounts accounts, Applications applications, Clock clock, Predicate<String> limited) {
        this.limited = limited;
        this.numbers = numbers;
        this.accounts = accounts;
        this.applications = applications;
        this.clock = clock;
    }

    Optional<Entry> lookup(String requestUser) {
        long now = clock.millis();
        Optional<Entry> cached = entries.get(requestUser, now);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<IncomingNumber> number = numbers.findByAddress(PhoneNumbers.candidatesForSipUser(requestUser));
        Optional<Account> account = number.flatMap(n -> accounts.find(n.accountSid()));
        if (number.isEmpty() || account.isEmpty()) {
            entries.remove(requestUser);
            return Optional.empty();
        }
        VoiceSettings voice = number.get().voiceApplicationSid()
                .flatMap(app -> applications.findInAccount(number.get().accountSid(), app))
                .map(Application::voice)
                .orElse(number.get().voice());
        Entry entry = new Entry(number.get(), account.get(), voice, limited.test(account.get().sid()));
        entries.put(requestUser, entry, now);
        return Optional.of(entry);
    }
}
