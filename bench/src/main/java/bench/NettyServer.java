package bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The baseline: the TCP chat server a developer would write by hand with plain Netty 4.2 (NIO
 * transport, default settings). Line framing with a 64 KiB limit; echo writes each frame back and
 * flushes when a read burst ends; broadcast writes each frame to a {@link ChannelGroup} of every other
 * channel ({@code writeAndFlush} with a matcher), as in Netty's own chat examples.
 * Usage: {@code java -cp bench.jar bench.NettyServer echo|broadcast PORT}
 */
public final class NettyServer {

    private static final ByteBuf LF = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {'\n'}));

    public static void main(String[] args) throws Exception {
        boolean broadcast = args[0].equals("broadcast");
        int port = Integer.parseInt(args[1]);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        ChannelGroup everyone = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ChannelHandler handler = broadcast ? new Broadcast(everyone) : new Echo();
        Channel server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        everyone.add(channel);
                        channel.pipeline().addLast(new LineBasedFrameDecoder(64 * 1024), handler);
                    }
                }).bind(port).sync().channel();
        System.out.println("Listener netty listening on 0.0.0.0:" + port + " (" + args[0] + ")");
        server.closeFuture().sync();
    }

    @ChannelHandler.Sharable
    static final class Echo extends SimpleChannelInboundHandler<ByteBuf> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            ctx.write(frame.retain());
            ctx.write(LF.duplicate());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    @ChannelHandler.Sharable
    static final class Broadcast extends SimpleChannelInboundHandler<ByteBuf> {

        private final ChannelGroup everyone;

        Broadcast(ChannelGroup everyone) {
            this.everyone = everyone;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            ByteBuf line = Unpooled.wrappedBuffer(frame.retain(), LF.duplicate());
            everyone.writeAndFlush(line, ChannelMatchers.isNot(ctx.channel()));
        }
    }
}
