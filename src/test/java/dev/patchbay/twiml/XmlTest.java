package dev.patchbay.twiml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The TwiML documents' XML reader: what XML 1.0 says a well-formed document means, and a clear refusal of the rest. */
class XmlTest {

    private static Xml.Element parse(String xml) {
        return Xml.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void elements_attributes_and_text_read_as_the_dom_reads_them() {
        Xml.Element root = parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- a comment --><?app hint?>
                <Response>
                  <Say voice='alice' language="en-GB">Tom &amp; Jerry &lt;3 &#x263A; &#65;<![CDATA[ <raw> & ]]></Say>
                  <Gather numDigits="1"><Play>http://a/b?x=1&amp;y=2</Play></Gather>
                  <Hangup/>
                </Response>
                """);

        assertThat(root.name()).isEqualTo("Response");
        assertThat(root.elements()).extracting(Xml.Element::name).containsExactly("Say", "Gather", "Hangup");
        Xml.Element say = root.elements().get(0);
        assertThat(say.attributes()).isEqualTo(Map.of("voice", "alice", "language", "en-GB"));
        assertThat(say.text()).isEqualTo("Tom & Jerry <3 \u263A A <raw> & ");
        assertThat(root.elements().get(1).elements().get(0).text()).isEqualTo("http://a/b?x=1&y=2");
        assertThat(root.elements().get(2).content()).isEmpty();
    }

    @Test
    void text_of_nested_elements_joins_in_document_order() {
        assertThat(parse("<Say>Hello <prosody rate=\"slow\">dear <emphasis>caller</emphasis></prosody>, bye</Say>").text())
                .isEqualTo("Hello dear caller, bye");
    }

    @Test
    void line_ends_and_attribute_whitespace_are_normalized() {
        Xml.Element root = parse("<Say a=\"x\ty\r\nz\">one\r\ntwo\rthree</Say>");
        assertThat(root.attribute("a")).contains("x y z");
        assertThat(root.text()).isEqualTo("one\ntwo\nthree");
    }

    @Test
    void the_declared_encoding_or_a_byte_order_mark_decides_how_bytes_read() {
        byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Say>Grüße</Say>".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Xml.parse(latin1).text()).isEqualTo("Grüße");
        byte[] utf16 = "\uFEFF<Say>電話</Say>".getBytes(StandardCharsets.UTF_16BE);
        assertThat(Xml.parse(utf16).text()).isEqualTo("電話");
        byte[] bom = "\uFEFF<Say>ä</Say>".getBytes(StandardCharsets.UTF_8);
        assertThat(Xml.parse(bom).text()).isEqualTo("ä");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",                                                  // nothing
        "<Response>",                                        // not closed
        "<Response></Say>",                                  // wrong end tag
        "<Response><Say>a</Response>",                       // crossed
        "<Response/><Response/>",                            // two roots
        "text<Response/>",                                   // text before the root
        "<Response/>text",                                   // text after it
        "<Response a=\"1\" a=\"2\"/>",                       // an attribute twice
        "<Response a=1/>",                                   // unquoted
        "<Response a=\"<\"/>",                               // '<' in a value
        "<Response a=\"1\"b=\"2\"/>",                        // no space between attributes
        "<Response>&nbsp;</Response>",                       // an entity XML does not define
        "<Response>a & b</Response>",                        // a bare ampersand
        "<Response>&#0;</Response>",                         // a character XML does not allow
        "<Response>\u0001</Response>",                       // a control character
        "<Response>a ]]> b</Response>",                      // ']]>' in text
        "<Response><!-- a -- b --></Response>",              // '--' in a comment
        "<Response><![CDATA[open</Response>",                // CDATA not closed
        " <?xml version=\"1.0\"?><Response/>",               // a declaration not at the start
        "<!DOCTYPE Response><Response/>",                    // a DTD
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>",
        "<Response><!ENTITY x \"y\"></Response>",            // a declaration inside content
        "<1Response/>",                                      // not a name
    })
    void documents_that_are_not_well_formed_are_refused(String xml) {
        assertThatThrownBy(() -> parse(xml)).isInstanceOf(Xml.MalformedException.class);
    }

    @Test
    void a_refusal_says_where_reading_stopped() {
        assertThatThrownBy(() -> parse("<Response>\n  <Say>hi</Sai>\n</Response>"))
                .hasMessage("line 2, column 15: </Sai> closes <Say>");
    }

    @Test
    void bytes_that_are_not_valid_in_the_encoding_are_refused() {
        byte[] bad = {'<', 'S', '>', (byte) 0xC3, '(', '<', '/', 'S', '>'};
        assertThatThrownBy(() -> Xml.parse(bad)).isInstanceOf(Xml.MalformedException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void nesting_is_bounded() {
        String deep = "<a>".repeat(Xml.MAX_DEPTH + 1) + "</a>".repeat(Xml.MAX_DEPTH + 1);
        assertThatThrownBy(() -> parse(deep)).hasMessageContaining("nest deeper");
        String fine = "<a>".repeat(Xml.MAX_DEPTH) + "</a>".repeat(Xml.MAX_DEPTH);
        assertThat(parse(fine).elements()).hasSize(1);
    }

    @Test
    void whitespace_between_elements_is_kept_as_text_for_the_parser_to_judge() {
        assertThat(parse("<Response> <Hangup/> </Response>").content()).hasSize(3);
        assertThat(parse("<Response><Hangup/></Response>").content()).extracting(o -> ((Xml.Element) o).name()).isEqualTo(List.of("Hangup"));
    }
}
