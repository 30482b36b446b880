package dev.patchbay.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SignatureTest {

    @Test
    void matches_twilios_published_test_vector() {
        List<Map.Entry<String, String>> params = List.of(
                Map.entry("Digits", "1234"),
                Map.entry("CallSid", "CA1234567890ABCDE"),
                Map.entry("To", "+18005551212"),
                Map.entry("Caller", "+14158675309"),
                Map.entry("From", "+14158675309"));
        assertThat(Signature.compute("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params))
                .isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    }

    @Test
    void parameter_order_does_not_matter_but_values_do() {
        var a = Signature.compute("t", "https://x/", List.of(Map.entry("A", "1"), Map.entry("B", "2")));
        var b = Signature.compute("t", "https://x/", List.of(Map.entry("B", "2"), Map.entry("A", "1")));
        var c = Signature.compute("t", "https://x/", List.of(Map.entry("A", "1"), Map.entry("B", "3")));
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void signatures_made_at_once_on_many_threads_with_different_tokens_each_match_their_own_token() throws Exception {
        var params = List.of(Map.entry("CallSid", "CA1234567890ABCDE"));
        String vector = Signature.compute("12345", "https://x/", params);
        String other = Signature.compute("54321", "https://x/", params);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boolean first = i % 2 == 0;
                checks.add(threads.submit(() -> Signature.compute(first ? "12345" : "54321", "https://x/", params).equals(first ? vector : other)));
            }
            for (Future<Boolean> check : checks) {
                assertThat(check.get()).isTrue();
            }
        }
        assertThat(vector).isNotEqualTo(other);
    }
}
