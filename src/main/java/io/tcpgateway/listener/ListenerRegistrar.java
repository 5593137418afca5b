package io.tcpgateway.listener;

import io.tcpgateway.auth.TokenVerifier;
import io.tcpgateway.ban.BanGate;
import io.tcpgateway.config.Auth;
import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.config.InvalidGatewayConfigurationException;
import io.tcpgateway.config.ListenerProperties;
import io.tcpgateway.connection.ConnectionExecutors;
import io.tcpgateway.connection.DescriptorReserve;
import io.tcpgateway.connection.GatewayConnectionSupport;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.connection.InboundBudget;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.connection.PrincipalLogin;
import io.tcpgateway.connection.SocketLayer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.metrics.ListenerMetrics;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.integration.ip.event.IpIntegrationEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionServerExceptionEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionServerListeningEvent;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.IntegrationFlowBuilder;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.dsl.context.IntegrationFlowContext.IntegrationFlowRegistration;
import org.springframework.integration.ip.dsl.Tcp;
import org.springframework.integration.ip.dsl.TcpInboundChannelAdapterSpec;
import org.springframework.integration.ip.dsl.TcpOutboundChannelAdapterSpec;
import org.springframework.messaging.MessageHandler;
import org.springframework.stereotype.Component;

/**
 * Builds one server connection factory and one Spring Integration flow per configured listener and
 * registers them with the {@link IntegrationFlowContext}:
 * <pre>
 * Tcp.inboundAdapter ─▶ FrameHandler: PING/PONG answered ─▶ echo: to-one channel
 *                                                       ├▶ broadcast: BroadcastHandler (every other peer)
 *                                                       └▶ forward: FrameForwarding (Kafka, the kafka package)
 * to-one channel (echo, the admin API's send) ─▶ Tcp.outboundAdapter (the connection in ip_connectionId)
 * </pre>
 * Flows are registered when the context starts (not while beans are still being created), so every
 * event listener is in place before the first client can connect; start-up waits until each
 * listener is bound and fails, naming the listener, when one cannot bind.
 */
@Component
public class ListenerRegistrar implements SmartLifecycle, ApplicationListener<IpIntegrationEvent> {

    private static final Logger log = LoggerFactory.getLogger(ListenerRegistrar.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    /** Connections the kernel completes and holds until accepted (listen's backlog: not a connection's backlog). */
    private static final int KERNEL_ACCEPT_QUEUE = 1024;

    private final GatewayProperties properties;
    private final IntegrationFlowContext flowContext;
    private final ConnectionExecutors executors;
    private final SslBundles sslBundles;
    private final ObjectProvider<MeterRegistry> meterRegistry;
    private final ListableBeanFactory beans;
    private final ObjectProvider<BroadcastRelay> relay;
    private final PeerRegistry registry;
    private final BanGate bans;
    private final TokenVerifier tokens;
    private final InboundBudget inboundBudget;
    private final DescriptorReserve descriptors;
    private final ObjectProvider<PrincipalLogin> principalLogin;
    private final ObjectProvider<FrameForwarding> forwarding;
    private final List<GatewayListener> listeners = new CopyOnWriteArrayList<>();
    /** Per listener name: completed by the factory's listening event, or failed by its exception event. */
    private final Map<String, CompletableFuture<Void>> binding = new ConcurrentHashMap<>();
    private volatile boolean running;

    public ListenerRegistrar(GatewayProperties properties, IntegrationFlowContext flowContext,
            ConnectionExecutors executors, SslBundles sslBundles, ObjectProvider<MeterRegistry> meterRegistry,
            ListableBeanFactory beans, ObjectProvider<BroadcastRelay> relay, PeerRegistry registry, BanGate bans,
            TokenVerifier tokens, InboundBudget inboundBudget, DescriptorReserve descriptors,
            ObjectProvider<PrincipalLogin> principalLogin, ObjectProvider<FrameForwarding> forwarding) {
        this.principalLogin = principalLogin;
        this.forwarding = forwarding;
        this.inboundBudget = inboundBudget;
        this.descriptors = descriptors;
        this.beans = beans;
        this.tokens = tokens;
        this.bans = bans;
        this.registry = registry;
        this.relay = relay;
        this.properties = properties;
        this.flowContext = flowContext;
        this.executors = executors;
        this.sslBundles = sslBundles;
        this.meterRegistry = meterRegistry;
    }

    /** Every listener, in configuration order. */
    public List<GatewayListener> listeners() {
        return List.copyOf(listeners);
    }

    public @Nullable GatewayListener listener(String name) {
        return listeners.stream().filter((listener) -> listener.name().equals(name)).findFirst().orElse(null);
    }

    @Override
    public void start() {
        List<ListenerProperties> configured = properties.listeners();
        for (int i = 0; i < configured.size(); i++) {
            GatewayListener listener = register(configured.get(i), i);
            listeners.add(listener);
        }
        for (int i = 0; i < listeners.size(); i++) {
            GatewayListener listener = listeners.get(i);
            awaitBound(listener, i);
            ListenerProperties config = listener.properties();
            log.info("Listener {} listening on {}:{} ({}, {} framing{})", config.name(), config.bindAddress(),
                    listener.boundPort(), config.mode().configName(), config.framing().configName(), config.tls() ? ", TLS" : "");
        }
        OpenFilesLimit.warnIfBelow(configured, properties.inbound().reservedDescriptors(), descriptors.openFilesLimit());
        running = true;
    }

    private GatewayListener register(ListenerProperties config, int index) {
        binding.put(config.name(), new CompletableFuture<>());
        GatewayListener listener = new GatewayListener(config, properties.outbound(),
                executors, properties.cluster().connectionIdSuffix(), bans, properties.auth().timeout(), inboundBudget,
                descriptors);
        principalLogin.ifAvailable(listener.auth()::completeLoginsWith);
        SslBundle bundle = config.tls() ? TlsSocketFactories.bundleFor(config, index, sslBundles) : null;
        GatewayServerConnectionFactory factory = connectionFactory(listener, bundle);
        listener.bind(factory);
        registry.register(listener);
        meterRegistry.ifAvailable((registry) -> ListenerMetrics.bind(listener, registry));

        String flowId = "listener-" + config.name();
        // Both adapters register with the factory as they are built, so the outbound one knows every
        // connection from the first. The factory becomes a bean with the main flow; the outbound adapter's
        // flow starts first (starting the adapter starts the factory) so that an echo always finds it.
        TcpInboundChannelAdapterSpec inbound = Tcp.inboundAdapter(factory).id(flowId + "-inbound");
        TcpOutboundChannelAdapterSpec outbound = Tcp.outboundAdapter(factory);
        DirectChannel toOneChannel = new DirectChannel();
        MessageHandler mode = switch (config.mode()) {
            case ECHO -> toOneChannel::send;
            case BROADCAST -> new BroadcastHandler(listener, relay.getIfAvailable(() -> BroadcastRelay.NONE));
            case FORWARD -> forwarding.getObject().forwarderOf(listener); // the validator made sure Kafka is on
        };
        AuthFrames authFrames = listener.auth().requiresToken() ? new AuthFrames(listener, tokens) : null;
        IntegrationFlowBuilder flow = IntegrationFlow.from(inbound).handle(new FrameHandler(mode, authFrames));
        IntegrationFlowRegistration registration = flowContext.registration(flow.get())
                .id(flowId)
                .addBean(flowId + "-connection-factory", factory)
                .autoStartup(false)
                .register();
        IntegrationFlowRegistration toOne = flowContext.registration(IntegrationFlow.from(toOneChannel)
                .handle(outbound, (endpoint) -> endpoint.id(flowId + "-outbound")).get())
                .id(flowId + "-to-one")
                .autoStartup(false)
                .register();
        withoutPerMessageMetrics(toOne);
        withoutPerMessageMetrics(registration);
        listener.bindOutbound(toOne.getInputChannel());
        toOne.start();
        registration.start();
        return listener;
    }

    /** Per-frame flows: see {@link PerMessageMetrics}. */
    private void withoutPerMessageMetrics(IntegrationFlowRegistration registration) {
        PerMessageMetrics.switchOff(beans, registration.getId() + ".", registration.getId() + "-");
    }

    private GatewayServerConnectionFactory connectionFactory(GatewayListener listener,
            @Nullable SslBundle bundle) {
        ListenerProperties config = listener.properties();
        GatewayServerConnectionFactory factory = new GatewayServerConnectionFactory(listener);
        factory.setLocalAddress(config.bindAddress());
        factory.setBacklog(KERNEL_ACCEPT_QUEUE);
        factory.setSoTcpNoDelay(true);
        factory.setLookupHost(false);
        factory.setDeserializer(listener.codec());
        factory.setMapper(new GatewayMessageMapper());
        factory.setTcpNetConnectionSupport(new GatewayConnectionSupport(listener, (bundle != null)
                ? TlsSocketFactories.layer(Objects.requireNonNull(config.sslBundle()), sslBundles, config.auth() == Auth.CLIENT_CERT)
                : SocketLayer.NONE));
        SimpleAsyncTaskExecutor readers = new SimpleAsyncTaskExecutor("tcp-" + config.name() + "-");
        readers.setVirtualThreads(true); // one blocking reader per connection costs a few hundred bytes
        factory.setTaskExecutor(readers);
        return factory;
    }

    /**
     * Waits for Spring Integration's listening event of this listener's factory, or its server
     * exception event (the port in use, say), and fails start-up naming the listener on the latter.
     */
    private void awaitBound(GatewayListener listener, int index) {
        CompletableFuture<Void> bound = Objects.requireNonNull(binding.get(listener.name()), "registered first");
        try {
            bound.get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException failed) {
            ListenerProperties config = listener.properties();
            throw new InvalidGatewayConfigurationException("gateway.listeners[" + index + "].port",
                    config.port(), "listener '" + config.name() + "' could not listen on "
                            + config.bindAddress() + ":" + config.port() + " (in use or not permitted; see the log)");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listener '" + listener.name() + "' was binding", ex);
        }
    }

    /** Completes the binding of the listener whose factory published the event. */
    @Override
    public void onApplicationEvent(IpIntegrationEvent event) {
        if (event.getSource() instanceof GatewayServerConnectionFactory factory) {
            CompletableFuture<Void> bound = binding.get(factory.listenerName());
            if (bound == null) {
                return;
            }
            if (event instanceof TcpConnectionServerListeningEvent) {
                bound.complete(null);
            }
            else if (event instanceof TcpConnectionServerExceptionEvent failure) {
                bound.completeExceptionally(failure.getCause());
            }
        }
    }

    @Override
    public void stop() {
        // Nothing here: the drain (shutdown package) runs first, then each flow stops with the context.
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
