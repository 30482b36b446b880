package dev.patchbay.api;

import dev.patchbay.account.Accounts;
import dev.patchbay.billing.AutoRecharge;
import dev.patchbay.billing.CountedUsage;
import dev.patchbay.billing.Ledger;
import dev.patchbay.billing.Meter;
import dev.patchbay.billing.Periods;
import dev.patchbay.billing.Statements;
import dev.patchbay.billing.UsagePlans;
import dev.patchbay.billing.UsageRecords;
import dev.patchbay.billing.UsageTriggers;
import dev.patchbay.call.CallControl;
import dev.patchbay.call.CallRouter;
import dev.patchbay.call.Calls;
import dev.patchbay.call.Conferences;
import dev.patchbay.call.Queues;
import dev.patchbay.call.Segments;
import dev.patchbay.endpoint.SipDomains;
import dev.patchbay.endpoint.Trunks;
import dev.patchbay.call.Notifications;
import dev.patchbay.call.Recordings;
import dev.patchbay.linking.Linking;
import dev.patchbay.number.Applications;
import dev.patchbay.number.Numbers;
import dev.patchbay.service.CallCenterAgents;
import dev.patchbay.service.CallingCards;
import dev.patchbay.service.SurveyAnswers;
import dev.patchbay.service.Verifications;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HTTP server: Twilio-compatible resources under {@code /2010-04-01}, Patchbay's
 * own under {@code /v1}, plus {@code /health} and {@code /metrics}. Every API route requires
 * Basic authentication; errors leave through {@link ErrorResponses}.
 */
public final class RestApi implements AutoCloseable {

    private static final Logger requestLog = LoggerFactory.getLogger("patchbay.http");

    private final Javalin app;

    /** Everything the API serves. {@code extraRoutes} lets other features (calls, the demo app) add theirs. */
    public record Services(Accounts accounts, Numbers numbers, Applications applications, Calls calls, Recordings recordings,
                           Notifications notifications, PrometheusMeterRegistry metrics,
                           List<Consumer<ApiRoutes>> extraRoutes, CallRouter router, CallControl control, Segments segments,
                           Trunks trunks, SipDomains sipDomains, Linking linking,
                           UsagePlans usagePlans, Meter meter, Ledger ledger,
                           Statements statements, UsageRecords usageRecords,
                           UsageTriggers usageTriggers, Periods periods,
                           Optional<String> operatorToken, AutoRecharge autoRecharge,
                           CountedUsage countedUsage, SurveyAnswers surveyAnswers,
                           Queues queues, Verifications verifications,
                           Conferences conferences, CallCenterAgents callCenterAgents,
                           CallingCards callingCards) {
    }

    public RestApi(String host, int port, long maxRequestBytes, Services services) {
        Auth auth = new Auth(services.accounts(), services.countedUsage());
        AccountsResource accounts = new AccountsResource(services.accounts());
        NumbersResource numbers = new NumbersResource(accounts, services.numbers());
        ApplicationsResource applications = new ApplicationsResource(accounts, services.applications());
        this.app = Javalin.create(cfg -> {
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            cfg.http.maxRequestSize = maxRequestBytes;
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.requestLogger.http((ctx, ms) -> {
                requestLog.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.status().getCode(), Math.round(ms));
                Timer.builder("http.server.requests")
                        .tag("method", ctx.method().name())
                        .tag("status", Integer.toString(ctx.status().getCode()))
                        .register(services.metrics())
                        .record(Math.round(ms * 1000), TimeUnit.MICROSECONDS);
            });
            RoutesConfig r = cfg.routes;
            ErrorResponses.register(r);
            r.before("/2010-04-01/*", auth::authenticate);
            r.before("/v1/*", auth::authenticate);
            r.get("/health", ctx -> ctx.json(Json.object().put("status", "ok").map()));
            r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(services.metrics().scrape()));
            accounts.routes(r);
            numbers.routes(r);
            applications.routes(r);
            new CallsResource(accounts, services.calls(), services.notifications(), services.recordings(), services.router(),
                    services.control(), services.segments(), services.applications(), services.linking()).routes(r);
            new LinkingResource(services.linking(), services.segments(), services.usagePlans(), services.surveyAnswers(),
                    services.callCenterAgents(), services.callingCards()).routes(r);
            new BillingResource(services.usagePlans(), services.meter(), services.ledger(), services.statements(), services.autoRecharge()).routes(r);
            new UsageResource(accounts, services.usageRecords(), services.ledger(), services.usageTriggers()).routes(r);
            new OperatorResource(services.operatorToken(), services.periods(), services.ledger()).routes(r);
            new QueuesResource(accounts, services.queues(), services.router()).routes(r);
            new VerificationsResource(services.verifications(), services.numbers()).routes(r);
            new ConferencesResource(accounts, services.conferences(), services.router(), services.recordings()).routes(r);
            new EndpointsResource(accounts, services.sipDomains(), services.trunks()).routes(r);
            new RecordingsResource(accounts, services.recordings(), services.accounts()).routes(r);
            ApiRoutes extra = new ApiRoutes(r, accounts);
            services.extraRoutes().forEach(route -> route.accept(extra));
        });
    }

    public RestApi start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
