package dev.patchbay.demo;

import dev.patchbay.api.ApiRoutes;
import dev.patchbay.media.Tones;
import dev.patchbay.media.Wav;
import io.javalin.http.Context;

/**
 * The demo number's application, an ordinary TwiML web app served by the node itself at
 * {@code /demo/...}: a spoken welcome, a menu, a recording. It is what a Twilio user would
 * write, and the README's first call.
 */
public final class DemoApp {

    /** What a queue's callers hear when it has no waitUrl: a soft rising chime, then quiet, about five seconds. */
    private static final byte[] HOLD_MUSIC = Wav.encode(Tones.holdMusic());

    private DemoApp() {
    }


    public static void routes(ApiRoutes api) {
        api.routes().post("/demo/voice", DemoApp::welcome);
        api.routes().get("/demo/voice", DemoApp::welcome);
        api.routes().post("/demo/menu", DemoApp::menu);
        api.routes().get("/demo/hold.wav", ctx -> ctx.contentType("audio/wav").header("Cache-Control", "max-age=86400").result(HOLD_MUSIC));
        api.routes().get("/demo/tone.wav", ctx -> ctx.contentType("audio/wav").header("Cache-Control", "max-age=86400")
                .result(Wav.encode(Tones.sine(2000, 8000, 440))));
        api.routes().post("/demo/recorded", ctx -> twiml(ctx, """
                <Response>
                  <Say>Thank you. Here is what you said.</Say>
                  <Play>%s.wav</Play>
                  <Say>Goodbye.</Say>
                </Response>""".formatted(escape(ctx.formParam("RecordingUrl")))));
    }

    private static void welcome(Context ctx) {
        twiml(ctx, """
                <Response>
                  <Say>Welcome to Patchbay.</Say>
                  <Gather action="/demo/menu" numDigits="1" timeout="6">
                    <Say>Press 1 to hear a tone. Press 2 to leave a message. Press 3 to hang up.</Say>
                  </Gather>
                  <Say>We did not hear a choice.</Say>
                  <Redirect>/demo/voice</Redirect>
                </Response>""");
    }

    private static void menu(Context ctx) {
        String digits = ctx.formParam("Digits");
        switch (digits == null ? "" : digits) {
            case "1" -> twiml(ctx, """
                    <Response>
                      <Say>Here is a tone of four hundred and forty hertz.</Say>
                      <Play>/demo/tone.wav</Play>
                      <Redirect>/demo/voice</Redirect>
                    </Response>""");
            case "2" -> twiml(ctx, """
                    <Response>
                      <Say>Leave a message after the beep. Press pound when you are done.</Say>
                      <Record action="/demo/recorded" maxLength="30" finishOnKey="#"/>
                      <Say>We did not get a message.</Say>
                      <Redirect>/demo/voice</Redirect>
                    </Response>""");
            case "3" -> twiml(ctx, "<Response><Say>Goodbye.</Say><Hangup/></Response>");
            default -> twiml(ctx, "<Response><Say>That is not a choice.</Say><Redirect>/demo/voice</Redirect></Response>");
        }
    }

    private static void twiml(Context ctx, String xml) {
        ctx.contentType("text/xml").result(xml);
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
