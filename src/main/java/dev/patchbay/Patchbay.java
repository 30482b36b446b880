package dev.patchbay;

import dev.patchbay.account.Accounts;
import dev.patchbay.api.RestApi;
import dev.patchbay.call.CallControl;
import dev.patchbay.call.CallRouter;
import dev.patchbay.call.CostGuard;
import dev.patchbay.call.Conferences;
import dev.patchbay.call.Outbound;
import dev.patchbay.call.Queues;
import dev.patchbay.call.LiveCalls;
import dev.patchbay.call.Segments;
import dev.patchbay.cluster.NatsLink;
import dev.patchbay.endpoint.Digest;
import dev.patchbay.billing.Ledger;
import dev.patchbay.billing.Meter;
import dev.patchbay.billing.RatingQueue;
import dev.patchbay.billing.AutoRecharge;
import dev.patchbay.billing.CountedUsage;
import dev.patchbay.billing.PaymentProvider;
import dev.patchbay.billing.PaymentTerms;
import dev.patchbay.billing.TestPaymentProvider;
import dev.patchbay.billing.Periods;
import dev.patchbay.billing.Spending;
import dev.patchbay.billing.Statements;
import dev.patchbay.billing.UsageRecords;
import dev.patchbay.billing.UsageTriggers;
import dev.patchbay.billing.UsagePlans;
import dev.patchbay.linking.CallState;
import dev.patchbay.linking.Dispatcher;
import dev.patchbay.linking.Flows;
import dev.patchbay.linking.Installations;
import dev.patchbay.linking.Linking;
import dev.patchbay.linking.ModuleEvents;
import dev.patchbay.linking.Modules;
import dev.patchbay.linking.Policies;
import dev.patchbay.endpoint.SipDomains;
import dev.patchbay.endpoint.Trunk;
import dev.patchbay.endpoint.Trunks;
import dev.patchbay.call.CallServices;
import dev.patchbay.call.Calls;
import dev.patchbay.call.Notifications;
import dev.patchbay.call.Recordings;
import dev.patchbay.config.Config;
import dev.patchbay.config.ConfigException;
import dev.patchbay.demo.DemoApp;
import dev.patchbay.media.AudioCache;
import dev.patchbay.media.CachingTts;
import dev.patchbay.media.MediaEngine;
import dev.patchbay.media.Tts;
import dev.patchbay.number.Applications;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.number.Numbers;
import dev.patchbay.number.VoiceSettings;
import dev.patchbay.service.CallCenterAgents;
import dev.patchbay.service.CallingCards;
import dev.patchbay.service.ServiceRuntime;
import dev.patchbay.service.SurveyAnswers;
import dev.patchbay.service.TwimletEndpoint;
import dev.patchbay.service.Verifications;
import dev.patchbay.sip.Registrar;
import dev.patchbay.sip.SipEdge;
import dev.patchbay.store.Database;
import dev.patchbay.twiml.Verb;
import dev.patchbay.webhook.AppClient;
import dev.patchbay.webhook.Callbacks;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * One node of the platform, wired from a {@link Config}: the store, the services, and (after
 * {@link #start()}) the REST API, the SIP edge and the media engine. This is the composition
 * root; nothing else constructs services.
 */
public final class Patchbay implements AutoCloseable {

    private final Config config;
    private final Clock clock;
    private final Database db;
    private final Accounts accounts;
    private final Numbers numbers;
    private final Applications applications;
    private final Calls calls;
    private final Recordings recordings;
    private final Notifications notifications;
    private final Trunks trunks;
    private final SipDomains sipDomains;
    private final Modules modules;
    private final Installations installations;
    private final Flows flows;
    private final UsagePlans usagePlans;
    private final Ledger ledger;
    private final PaymentTerms paymentTerms;
    private final Periods periods;
    private final SurveyAnswers surveyAnswers;
    private final CallCenterAgents callCenterAgents;
    private final CallingCards callingCards;
    private final ServiceRuntime serviceRuntime;
    private final Optional<PaymentProvider> paymentProvider;
    private final AutoRecharge autoRecharge;
    private final LiveCalls live = new LiveCalls();
    private final PrometheusMeterRegistry metrics;
    private final List<AutoCloseable> running = new ArrayList<>();
    private RestApi api;
    private SipEdge sip;
    private MediaEngine media;
    private CallRouter router;
    private Linking linking;
    private CostGuard guard;
    private CountedUsage counted;
    private Queues queues;

    private Patchbay(Config config, Database db, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.db = db;
        this.accounts = new Accounts(db, clock);
        this.numbers = new Numbers(db, clock);
        this.applications = new Applications(db, clock);
        this.calls = new Calls(db, clock);
        this.recordings = new Recordings(db, clock, config.recordingsDir());
        this.notifications = new Notifications(db, clock);
        this.trunks = new Trunks(db, clock, config.trunk().map(t -> new Trunk("TK" + "0".repeat(32), Optional.empty(), "platform", t.prefix(),
                t.uri(), t.username(), t.password(), clock.instant(), clock.instant())));
        this.sipDomains = new SipDomains(db, clock);
        this.usagePlans = new UsagePlans(db, clock);
        this.ledger = new Ledger(db, config.commission(), clock);
        this.paymentTerms = new PaymentTerms(db);
        this.periods = new Periods(db, new Statements(db), ledger, config.billing().countedPrices(), usagePlans, clock);
        this.paymentProvider = config.billing().payments().equals("test") ? Optional.of(new TestPaymentProvider()) : Optional.empty();
        this.autoRecharge = new AutoRecharge(db, ledger, paymentProvider);
        this.surveyAnswers = new SurveyAnswers(db, clock);
        this.callCenterAgents = new CallCenterAgents(db, clock);
        this.callingCards = new CallingCards(db, clock);
        this.serviceRuntime = new ServiceRuntime(surveyAnswers, callCenterAgents, callingCards, config.modePlans().get("basic"), db, clock,
                () -> config.publicHttpBase(httpPort()), this::serviceConfiguration);
        this.modules = new Modules(db, clock, serviceRuntime);
        this.installations = new Installations(db, modules, usagePlans, clock);
        this.flows = new Flows(db, modules, clock);
        this.metrics = NodeMetrics.registry();
    }

    /** Opens the store and applies migrations; call {@link #start()} to serve. */
    public static Patchbay open(Config config, Clock clock) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new ConfigException("cannot create data folder " + config.dataDir() + ": " + e.getMessage());
        }
        Database db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword(), config.dbGroupCommit());
        try {
            db.migrate();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new Patchbay(config, db, clock);
    }

    /** Starts the network edges: media, SIP, REST. */
    public Patchbay start() {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        int sipPort = config.sipPort() == 0 ? SipEdge.freePort(config.sipHost()) : config.sipPort();
        String nodeId = config.nodeId().isBlank() ? config.publicHost() + ":" + sipPort : config.nodeId();
        Meter meter = new Meter(db, usagePlans, config.modePlans(), ledger, clock);
        CountedUsage counted = new CountedUsage(db, clock, nodeId);
        this.counted = counted;
        Spending spending = new Spending(db, meter, clock, nodeId);
        media = track(new MediaEngine(config.sipHost(), config.rtpPorts(), config.rtpSenders()));
        Callbacks callbacks = track(new Callbacks(http, Duration.ofSeconds(10), 3, Duration.ofSeconds(1)));
        linking = linking(callbacks, spending);
        Segments segments = new Segments(db, nodeId, clock, Optional.of(linking.events()));
        int orphans = segments.closeOrphans();   // at their last heartbeat; then the calls end when their segments did
        orphans += calls.failLiveCallsOf(nodeId);
        spending.releaseOrphans();
        Queues queues = new Queues(db, clock, nodeId);
        queues.releaseOrphans();
        this.queues = queues;
        MediaEngine engine = media;
        Conferences conferences = new Conferences(db, clock, nodeId, engine::frame);
        conferences.closeOrphans();
        if (orphans > 0) {
            LoggerFactory.getLogger(Patchbay.class).warn("closed {} segment(s) and call(s) left live by this node's previous run", orphans);
        }
        meter.onCharged(charged -> modules.resolve(charged.moduleSid()).flatMap(m -> m.eventsUrl()).ifPresent(url ->
                linking.events().publish(new ModuleEvents.Event("billing.charged", charged.moduleSid(), charged.developerSid(), url,
                        charged.accountSid(), charged.callSid(), Optional.empty(), Optional.empty(), Map.of(
                                "UsagePlanSid", charged.planSid(), "UsagePlanVersion", Integer.toString(charged.planVersion()),
                                "BilledSeconds", Long.toString(charged.billedSeconds()), "Amount", charged.amount().toPlainString(),
                                "DeveloperShare", charged.split().developer().toPlainString(),
                                "Commission", charged.split().platform().toPlainString())))));
        UsageRecords usageRecords = new UsageRecords(db, config.billing().countedPrices());
        UsageTriggers triggers = new UsageTriggers(db, usageRecords, callbacks, clock);
        meter.onMetered(accountSid -> Thread.ofVirtual().name("usage-triggers").start(() -> {
            Chores.safely("usage triggers of " + accountSid, () -> accounts.find(accountSid).ifPresent(triggers::evaluate));
            Chores.safely("auto-recharge of " + accountSid, () -> autoRecharge.check(accountSid));
        }));
        RatingQueue rating = track(new RatingQueue(meter, 200, Duration.ofMillis(50), spending::release));
        segments.onClosed(rating::add);   // a segment is charged when it closes; the call's end charges any left
        int unrated = meter.meterUnrated(nodeId);
        if (unrated > 0) {
            LoggerFactory.getLogger(Patchbay.class).info("rated the segments of {} call(s) this node's previous run left unrated", unrated);
        }
        Tts tts = new CachingTts(Tts.create(config.ttsEngine()), 8000L * 60 * 60);
        CallServices services = new CallServices(calls, recordings, notifications, track(new AppClient(http, config.webhookTimeout())), callbacks,
                new AudioCache(http, clock, config.webhookTimeout()), tts, media, clock, nodeId, config.publicHost(),
                () -> config.publicHttpBase(httpPort()),
                NodeMetrics.firstAudio(metrics),
                segments, () -> sip.dialer(), trunks, sipDomains, config.directMedia(), linking, meter, spending, counted, serviceRuntime, queues,
                conferences);
        router = new CallRouter(services, live, accounts, numbers, applications);
        Verifications verifications = new Verifications(db, clock, new SecureRandom(), (verification, from, code) ->
                accounts.find(verification.accountSid()).ifPresent(account -> router.originate(account, Outbound.Request.of(
                        verification.to(), from, Optional.empty(), HttpMethod.POST,
                        Optional.of(List.of(new Verb.Say(Verifications.spoken(code), "woman", "en-US", 1))),
                        Optional.empty(), HttpMethod.POST, Optional.empty(), HttpMethod.POST,
                        Set.of(VoiceSettings.CallEvent.COMPLETED), 60, 300, Optional.empty()))));
        CostGuard guard = new CostGuard(live, spending, services, config.billing().debitInterval(), config.billing().warningMargin(),
                config.billing().warningNotice());
        this.guard = guard;
        track(counted);   // closed after the chores stop: the last counts are written
        track(new Chores())
                .every(config.billing().heartbeat(), "heartbeat", () -> segments.heartbeat(clock.instant()))
                .every(Duration.ofSeconds(1), "counted usage", counted::flush)
                .every(config.billing().guardInterval(), "cost guard", guard::check);
        CallControl control = new CallControl(calls, live, nodeId);
        config.natsUrl().ifPresent(url -> control.reachOthersThrough(track(NatsLink.start(url, nodeId, control))));
        api = track(new RestApi(config.httpHost(), config.httpPort(), config.maxRequestBytes(),
                new RestApi.Services(accounts, numbers, applications, calls, recordings, notifications, metrics,
                        List.of(DemoApp::routes, TwimletEndpoint::routes), router, control, segments, trunks, sipDomains, linking, usagePlans, meter, ledger,
                        new Statements(db), usageRecords, triggers, periods, config.operatorToken(), autoRecharge, counted, surveyAnswers,
                        queues, verifications, conferences, callCenterAgents, callingCards)).start());
        byte[] nonceSecret = new byte[32];
        new SecureRandom().nextBytes(nonceSecret);
        sip = track(new SipEdge(config.sipHost(), sipPort, config.publicHost(), router,
                new Registrar(sipDomains, new Digest(nonceSecret), clock, nodeId), config.sipMaxRouting()));
        NodeMetrics.gauges(metrics, router, sip, db.grouped(), media);
        return this;
    }

    /** A service module's configuration, for the service runtime (which the modules store needs for its checks, hence late). */
    private Optional<String> serviceConfiguration(String accountSid, String moduleSid) {
        return installations.serviceConfiguration(accountSid, moduleSid);
    }

    /** The linking system: modules, installations, flows, the dispatcher with the policy chain, call state, module events. */
    private Linking linking(Callbacks callbacks, Spending spending) {
        Dispatcher dispatcher = new Dispatcher(modules, Policies.standard(db, config.maxConcurrentCallsPerAccount(), usagePlans, ledger,
                spending, config.modePlans().get("application"), clock), clock);
        modules.onChange(dispatcher::changed);   // what the dispatcher keeps for a second is read again after a change made here
        installations.onChange(dispatcher::changed);
        accounts.onChange(dispatcher::changed);
        paymentTerms.onChange(dispatcher::changed);
        return new Linking(modules, installations, flows, dispatcher,
                new CallState(db, clock), track(new ModuleEvents(db, accounts, callbacks, clock)));
    }

    private <T extends AutoCloseable> T track(T resource) {
        running.add(resource);
        return resource;
    }

    public Config config() {
        return config;
    }

    public Database db() {
        return db;
    }

    public Accounts accounts() {
        return accounts;
    }

    public Numbers numbers() {
        return numbers;
    }

    public Applications applications() {
        return applications;
    }

    public Calls calls() {
        return calls;
    }

    public Notifications notifications() {
        return notifications;
    }

    public Modules modules() {
        return modules;
    }

    public Installations installations() {
        return installations;
    }

    public PaymentTerms paymentTerms() {
        return paymentTerms;
    }

    /** Counted usage (available once started): API requests, recording seconds, TTS characters. */
    public CountedUsage countedUsage() {
        return counted;
    }

    public AutoRecharge autoRecharge() {
        return autoRecharge;
    }

    /** The payment provider auto-recharge charges ({@code billing.payments}); empty when none is configured. */
    public Optional<PaymentProvider> paymentProvider() {
        return paymentProvider;
    }

    public Periods periods() {
        return periods;
    }

    public Ledger ledger() {
        return ledger;
    }

    public UsagePlans usagePlans() {
        return usagePlans;
    }

    public Flows flows() {
        return flows;
    }

    /** The linking system (available once started). */
    public Linking linking() {
        return linking;
    }

    public Trunks trunks() {
        return trunks;
    }

    public SipDomains sipDomains() {
        return sipDomains;
    }

    public Recordings recordings() {
        return recordings;
    }

    public int httpPort() {
        return api.port();
    }

    public int sipPort() {
        return sip.port();
    }

    public MediaEngine media() {
        return media;
    }

    /** The cost guard (available once started): tests on a fake clock run its checks themselves. */
    public CostGuard costGuard() {
        return guard;
    }

    public CallRouter router() {
        return router;
    }

    @Override
    public void close() {
        if (router != null) {
            router.terminateAll(Duration.ofSeconds(3));
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                LoggerFactory.getLogger(Patchbay.class).warn("error while stopping {}", running.get(i), e);
            }
        }
        db.close();
    }
}
