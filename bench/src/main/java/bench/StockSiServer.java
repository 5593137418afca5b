package bench;

import java.util.concurrent.Executors;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.ip.tcp.connection.AbstractServerConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNetServerConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNioServerConnectionFactory;
import org.springframework.integration.ip.tcp.inbound.TcpReceivingChannelAdapter;
import org.springframework.integration.ip.tcp.outbound.TcpSendingMessageHandler;
import org.springframework.integration.ip.tcp.serializer.ByteArrayLfSerializer;

/**
 * The stock Spring Integration 7.1 echo server the I/O model is chosen against: inbound adapter
 * straight into outbound adapter, LF framing, 64 KiB max frame, nothing else.
 * Usage: {@code java -cp bench.jar bench.StockSiServer net-vt|net-pool|nio PORT}
 */
public final class StockSiServer {

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int port = Integer.parseInt(args[1]);
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.register(Config.class);
        AbstractServerConnectionFactory factory = switch (kind) {
            case "nio" -> new TcpNioServerConnectionFactory(port);
            case "net-vt", "net-pool" -> new TcpNetServerConnectionFactory(port);
            default -> throw new IllegalArgumentException(kind);
        };
        if (kind.equals("net-vt")) {
            factory.setTaskExecutor(Executors.newVirtualThreadPerTaskExecutor());
        }
        ByteArrayLfSerializer serializer = new ByteArrayLfSerializer();
        serializer.setMaxMessageSize(64 * 1024);
        factory.setSerializer(serializer);
        factory.setDeserializer(serializer);
        factory.setBacklog(1024);
        factory.setSoTcpNoDelay(true);
        factory.setLookupHost(false);
        context.registerBean("serverFactory", AbstractServerConnectionFactory.class, () -> factory);
        DirectChannel channel = new DirectChannel();
        context.registerBean("echoChannel", DirectChannel.class, () -> channel);
        TcpReceivingChannelAdapter inbound = new TcpReceivingChannelAdapter();
        inbound.setConnectionFactory(factory);
        inbound.setOutputChannel(channel);
        context.registerBean("inbound", TcpReceivingChannelAdapter.class, () -> inbound);
        TcpSendingMessageHandler outbound = new TcpSendingMessageHandler();
        outbound.setConnectionFactory(factory);
        context.registerBean("outbound", TcpSendingMessageHandler.class, () -> outbound);
        context.refresh();
        channel.subscribe(outbound);
        context.start();
        System.out.println("Listener stock listening on 0.0.0.0:" + port + " (" + kind + ")");
        Thread.currentThread().join();
    }

    @EnableIntegration
    static class Config {
    }
}
