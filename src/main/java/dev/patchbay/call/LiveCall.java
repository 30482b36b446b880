package dev.patchbay.call;

import dev.patchbay.account.Account;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.Recorder;
import dev.patchbay.media.RtpStream;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A call this node owns, while it lives: its signaling leg, its media stream, and the events its
 * thread waits on. Only the call's own virtual thread runs its instructions; the SIP and RTP
 * threads reach it solely through {@link #remoteHangup()} and the stream listener, which only
 * enqueue events.
 */
public final class LiveCall implements RtpStream.Listener {

    private final String sid;
    private final Optional<String> parentCallSid;
    private final Account account;
    private final Optional<String> phoneNumberSid;
    private final String from;
    private final String to;
    private final String direction;
    private final Map<String, String> sipHeaders;
    private final SipLeg leg;
    private final RtpStream stream;
    private final String answerSdp;
    private final LinkedBlockingQueue<CallEvent> events = new LinkedBlockingQueue<>();
    private final AtomicInteger callbackSequence = new AtomicInteger();
    private final AtomicInteger usageSequence = new AtomicInteger();
    private volatile boolean ended;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile boolean answered;
    private volatile Instant answeredAt;
    private volatile Recorder recorder;
    private volatile Consumer<short[]> audioTap;
    private volatile Thread thread;
    private boolean inInterruptibleFetch;
    private boolean terminated;
    private String terminationReason = "shutdown";
    private Runnable onHangup;
    private volatile long documentArrivedNanos;
    private volatile Timer firstAudio;
    private Redirected pendingRedirect;
    private final Tenure tenure = new Tenure();
    private volatile Optional<BigDecimal> maxPrice = Optional.empty();
    private volatile VoiceTarget callbacks;

    LiveCall(String sid, Optional<String> parentCallSid, Account account, Optional<String> phoneNumberSid, String from, String to,
             String direction, Map<String, String> sipHeaders, SipLeg leg, RtpStream stream, String answerSdp) {
        this.sid = sid;
        this.parentCallSid = parentCallSid;
        this.account = account;
        this.phoneNumberSid = phoneNumberSid;
        this.from = from;
        this.to = to;
        this.direction = direction;
        this.sipHeaders = Map.copyOf(sipHeaders);
        this.leg = leg;
        this.stream = stream;
        this.answerSdp = answerSdp;
        stream.listen(this);
    }

    public String sid() {
        return sid;
    }

    public Optional<String> parentCallSid() {
        return parentCallSid;
    }

    /** The mode the call is in now, or empty before its first segment (unanswered). */
    public Optional<Mode> mode() {
        return tenure.mode();
    }

    /** Who has the call now, and since when (written by {@link Segments}). */
    Tenure tenure() {
        return tenure;
    }

    /** Where the call's status callbacks go (set when its thread starts). */
    void reportsTo(VoiceTarget target) {
        this.callbacks = target;
    }

    Optional<VoiceTarget> callbacks() {
        return Optional.ofNullable(callbacks);
    }

    /** The call ends when it has cost {@code limit} (MaxPrice); the cost guard watches it. */
    void limitCost(BigDecimal limit) {
        this.maxPrice = Optional.of(limit);
    }

    public Optional<BigDecimal> maxPrice() {
        return maxPrice;
    }

    /** A new number for counted usage of this call (its idempotency key's last part). */
    int nextUsageSequence() {
        return usageSequence.incrementAndGet();
    }

    public Account account() {
        return account;
    }

    Optional<String> phoneNumberSid() {
        return phoneNumberSid;
    }

    String from() {
        return from;
    }

    String to() {
        return to;
    }

    String direction() {
        return direction;
    }

    Map<String, String> sipHeaders() {
        return sipHeaders;
    }

    SipLeg leg() {
        return leg;
    }

    RtpStream stream() {
        return stream;
    }

    boolean isAnswered() {
        return answered;
    }

    Optional<Instant> answeredAt() {
        return Optional.ofNullable(answeredAt);
    }

    public boolean isEnded() {
        return ended;
    }

    /** Completes once the call has left this node: its end is written (or failed to be) and it is no longer live here. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    int nextCallbackSequence() {
        return callbackSequence.getAndIncrement();
    }

    void runsOn(Thread t) {
        this.thread = t;
    }

    /** An outgoing leg's callee answered: audio flows from now on. */
    void answeredByCallee(Instant now) {
        stream.sendAudio(true);
        answered = true;
        answeredAt = now;
    }

    /** Hands an event to the call's thread (a dialed leg's progress); safe from any thread. */
    void post(CallEvent event) {
        events.add(event);
    }

    /**
     * New instructions from outside: whatever the call's thread runs stops at its next wait and
     * the instructions take over. Returns false when the call already ended.
     */
    public boolean redirect(Outcome instructions, String reason) {
        synchronized (this) {
            if (ended) {
                return false;
            }
            pendingRedirect = new Redirected(instructions, reason);
        }
        events.add(new CallEvent.Redirect());
        return true;
    }

    /** Answers if not yet answered; returns true when this call did the answering. */
    boolean answer(Instant now) {
        if (answered) {
            return false;
        }
        checkLive();
        stream.sendAudio(true);   // no early media: audio flows from the answer on
        leg.answer(answerSdp);
        answered = true;
        answeredAt = now;
        return true;
    }

    /**
     * The far end hung up (BYE, CANCEL) or the media died: wake the call's thread wherever it
     * waits. The thread is interrupted only inside {@link #interruptibly} (an application fetch):
     * an interrupt landing in JDBC or file I/O would break the store's connection.
     */
    public void remoteHangup() {
        Runnable hook;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            if (inInterruptibleFetch && thread != null) {
                thread.interrupt();
            }
            hook = onHangup;
        }
        events.add(new CallEvent.HungUp());
        if (hook != null) {
            hook.run();
        }
    }

    /** Runs {@code hook} when this call hangs up (a dialed leg tells the call that dialed it). */
    synchronized void onHangup(Runnable hook) {
        this.onHangup = hook;
    }

    /** This node ends the call (shutdown): like a remote hang-up, but the caller still gets a BYE. */
    public void terminate() {
        terminate("shutdown");
    }

    /** Ends the call from our side for {@code reason} (shutdown, a REST request): the far end gets a BYE or CANCEL. */
    public void terminate(String reason) {
        synchronized (this) {
            if (ended) {
                return;
            }
            terminated = true;
            terminationReason = reason;
        }
        remoteHangup();
    }

    synchronized String terminationReason() {
        return terminationReason;
    }

    boolean wasTerminated() {
        synchronized (this) {
            return terminated;
        }
    }

    /** Runs a network wait that a hang-up may cut short; a pending interrupt never leaks out of it. */
    <T> T interruptibly(Supplier<T> fetch) {
        synchronized (this) {
            checkLive();
            inInterruptibleFetch = true;
        }
        try {
            return fetch.get();
        } finally {
            synchronized (this) {
                inInterruptibleFetch = false;
                Thread.interrupted();
            }
        }
    }

    /** Marks the call ended from our side (Hangup verb, end of document, errors). */
    void endLocally() {
        ended = true;
    }

    void checkLive() {
        if (ended) {
            throw new CallEnded();
        }
        Redirected r;
        synchronized (this) {
            r = pendingRedirect;
            pendingRedirect = null;
        }
        if (r != null) {
            throw r;
        }
    }

    /**
     * The next event, or empty after {@code timeout}; throws {@link CallEnded} when the call ends
     * and {@link Redirected} when new instructions arrive.
     */
    Optional<CallEvent> next(Duration timeout) {
        checkLive();
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        try {
            while (true) {
                CallEvent e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e instanceof CallEvent.HungUp || ended) {
                    throw new CallEnded();
                }
                if (e instanceof CallEvent.Redirect) {
                    checkLive();
                    continue;   // a redirect already taken by an earlier check
                }
                return Optional.ofNullable(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallEnded();
        }
    }

    /** Drops keys pressed before now (Twilio does not buffer input between verbs). */
    void discardPendingDigits() {
        events.removeIf(e -> e instanceof CallEvent.Digit);
    }

    /** A new document arrived now; the first audio it plays is timed from here into {@code timer}. */
    void documentArrived(long nanos, Timer timer) {
        this.documentArrivedNanos = nanos;
        this.firstAudio = timer;
    }

    /**
     * Speaks {@code audio} to the caller over whatever the call is doing, from any thread: played
     * ahead of the current audio, or, while a bridge relays the other party, by the bridge pausing
     * its relay for it.
     */
    public void announce(short[] audio) {
        if (stream.isRelayed()) {
            post(new CallEvent.Notice(audio));
        } else {
            stream.announce(AudioSource.of(audio, 1));
        }
    }

    /** Plays a source and returns its playback; completion arrives as a {@link CallEvent.PlaybackDone}. */
    RtpStream.Playback startPlayback(AudioSource source) {
        checkLive();
        RtpStream.Playback p = stream.play(source);
        long arrived = documentArrivedNanos;
        Timer timer = firstAudio;
        if (arrived != 0 && timer != null) {
            documentArrivedNanos = 0;
            p.firstFrame().thenAccept(sent -> timer.record(sent - arrived, TimeUnit.NANOSECONDS));
        }
        p.done().thenAccept(finished -> events.add(new CallEvent.PlaybackDone(p, finished)));
        return p;
    }

    void recordInto(Recorder r) {
        this.recorder = r;
    }

    /** Also hands every received frame to {@code tap} (a bridge recording); null stops it. */
    void tapAudio(Consumer<short[]> tap) {
        this.audioTap = tap;
    }

    @Override
    public void onAudio(short[] frame) {
        Recorder r = recorder;
        if (r != null) {
            r.append(frame);
        }
        Consumer<short[]> tap = audioTap;
        if (tap != null) {
            tap.accept(frame);
        }
    }

    @Override
    public void onDigit(char digit) {
        events.add(new CallEvent.Digit(digit));
    }

    /** Twilio's parameters for every request about this call. */
    List<Map.Entry<String, String>> baseParams(String callStatus) {
        List<Map.Entry<String, String>> p = new ArrayList<>(List.of(
                Map.entry("AccountSid", account.sid()),
                Map.entry("ApiVersion", "2010-04-01"),
                Map.entry("CallSid", sid),
                Map.entry("CallStatus", callStatus),
                Map.entry("Called", to),
                Map.entry("Caller", from),
                Map.entry("Direction", direction),
                Map.entry("From", from),
                Map.entry("To", to)));
        sipHeaders.forEach((name, value) -> p.add(Map.entry("SipHeader_" + name, value)));
        return p;
    }
}
