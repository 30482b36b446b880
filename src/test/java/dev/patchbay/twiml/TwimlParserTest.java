package dev.patchbay.twiml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchbay.number.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TwimlParserTest {

    @Test
    void verbs_get_twilios_defaults() {
        List<Verb> verbs = TwimlParser.parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <Response>
                  <Say>Hi</Say>
                  <Play>https://x/a.wav</Play>
                  <Pause/>
                  <Gather><Say>Menu</Say></Gather>
                  <Record/>
                  <Redirect>/next</Redirect>
                  <Hangup/>
                </Response>""");
        assertThat(verbs).containsExactly(
                new Verb.Say("Hi", "man", "en-US", 1),
                new Verb.Play(Optional.of("https://x/a.wav"), 1, Optional.empty()),
                new Verb.Pause(1),
                new Verb.Gather(Optional.empty(), HttpMethod.POST, 5, "#", 0, false, Set.of("dtmf"),
                        List.of(new Verb.Say("Menu", "man", "en-US", 1))),
                new Verb.Record(Optional.empty(), HttpMethod.POST, 5, "1234567890*#", 3600, true, true, Optional.empty(), HttpMethod.POST),
                new Verb.Redirect("/next", HttpMethod.POST),
                new Verb.Hangup());
    }

    @Test
    void reject_reasons_map_to_sip_statuses() {
        assertThat(((Verb.Reject) TwimlParser.parse("<Response><Reject reason=\"busy\"/></Response>").get(0)).sipStatus()).isEqualTo(486);
        assertThat(((Verb.Reject) TwimlParser.parse("<Response><Reject/></Response>").get(0)).sipStatus()).isEqualTo(603);
    }

    @Test
    void an_empty_response_is_valid_and_unknown_attributes_are_ignored() {
        assertThat(TwimlParser.parse("<Response/>")).isEmpty();
        assertThat(TwimlParser.parse("<Response><Say sparkle=\"yes\">x</Say></Response>")).hasSize(1);
    }

    @Test
    void bad_documents_are_refused_with_twilios_codes() {
        assertThatThrownBy(() -> TwimlParser.parse("<Response>")).extracting(e -> ((TwimlException) e).code()).isEqualTo(12100);
        assertThatThrownBy(() -> TwimlParser.parse("<Resp/>")).extracting(e -> ((TwimlException) e).code()).isEqualTo(12200);
        assertThatThrownBy(() -> TwimlParser.parse("<Response><Gather><Record/></Gather></Response>")).hasMessageContaining("<Gather>");
        assertThatThrownBy(() -> TwimlParser.parse("<Response><Gather input=\"speech\"/></Response>")).hasMessageContaining("speech");
        assertThatThrownBy(() -> TwimlParser.parse("<Response><Say loop=\"-1\">x</Say></Response>")).hasMessageContaining("loop");
        assertThat(TwimlParser.parse("<Response><Redirect/></Response>")).containsExactly(new Verb.Redirect("", HttpMethod.POST));   // the current document again (the menu twimlet's)
        assertThatThrownBy(() -> TwimlParser.parse("<Response><Record method=\"PUT\"/></Response>")).hasMessageContaining("GET or POST");
    }

    @Test
    void entity_expansion_and_external_entities_are_impossible() {
        String billionLaughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
                + "<Response><Say>&lol2;</Say></Response>";
        assertThatThrownBy(() -> TwimlParser.parse(billionLaughs)).extracting(e -> ((TwimlException) e).code()).isEqualTo(12100);
        assertThatThrownBy(() -> TwimlParser.parse(new byte[TwimlParser.MAX_BYTES + 1])).hasMessageContaining("limited");
    }

    @Test
    void long_documents_with_multi_byte_text_parse_whole_in_their_declared_encoding() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>");
        List<Verb> expected = new ArrayList<>();
        for (int i = 0; xml.length() < 4096; i++) {
            String text = "Grüße Nummer " + i + " — 電話";
            xml.append("<Say language=\"de-DE\">").append(text).append("</Say>");
            expected.add(new Verb.Say(text, "man", "de-DE", 1));
        }
        xml.append("</Response>");
        assertThat(TwimlParser.parse(xml.toString())).isEqualTo(expected);

        byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Response><Say>Grüße</Say></Response>"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(TwimlParser.parse(latin1)).containsExactly(new Verb.Say("Grüße", "man", "en-US", 1));
    }
}
